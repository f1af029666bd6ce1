import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScoredRecord } from '../../../bench/_records.js';
import { holterAsAcquired, playLive } from '../../../bench/_vf-live.js';
import { scoreStandstills, withStandstills } from '../../../bench/_vf-standstill.js';

const mitdb = join(process.env.PULSEWATCH_DATA ?? '../shared/data', 'mitdb');

describe('P waves with no QRS after them are no beats', () => {
  // MIT-BIH 108's P waves are about a third of its low QRS on MLII: with the ventricles standing
  // still and the atria beating on (complete AV block without escape), the detector took them for
  // beats as its thresholds fell, and the asystole alarm never came (`npm run bench -- vf`, part 5).
  it.skipIf(!existsSync(join(mitdb, '108.hea')))(
    'raises asystole in ventricular standstill with P waves going on, lead MLII alone (MIT-BIH 108, first 9 min)',
    () => {
      const full = loadScoredRecord(mitdb, '108', [0, 1]);
      const end = Math.round(9 * 60 * full.sampleRateHz);
      const record = {
        ...full,
        signals: full.signals.map((s) => s.slice(0, end)),
        reference: full.reference.filter((b) => b < end),
        annotations: full.annotations.filter((a) => a.sample < end),
      };
      // 4 standstills of 6-12 s, the P waves going on in every other one
      const pasted = withStandstills(record);
      expect(pasted.spans.filter((s) => s.pWaves)).toHaveLength(2);
      const { channels, detectionLeads } = holterAsAcquired(pasted.signals.slice(0, 1));
      const live = playLive(channels, record.sampleRateHz, 1000 / record.gains[0]!, detectionLeads);
      const still = scoreStandstills(pasted.spans, live, record.sampleRateHz);
      // before the P-wave rule: neither alarmed, 16 P waves reported as beats
      expect(still.alarmedWithP).toBe(2);
      expect(still.alarmedWithoutP).toBe(2);
      expect(still.beatsInside).toBe(0);
    },
  );
});
