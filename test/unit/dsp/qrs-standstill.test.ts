/**
 * Ventricular standstill with the P waves going on (complete AV block without an escape rhythm),
 * pasted into real records (main/dsp/synthetic-standstill.ts): no P wave may be counted as a beat,
 * and the asystole alarm must sound. On a single lead (a watch, or the whole-record detector on
 * MLII) the detector once took these P waves for beats after its thresholds had decayed in the
 * pause (qrs-levels.ts: SILENCE_FLOOR).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectQrs } from '../../../main/dsp/qrs.js';
import { loadScoredRecord } from '../../../bench/_records.js';
import { overlap, scoreBeats } from '../../../bench/_scoring.js';
import { holterAsAcquired, playLive } from '../../../bench/_vf-live.js';
import { pasteStandstillFrom, type PastedStandstill } from '../../../bench/_vf-standstill.js';

const mitdb = join(process.env.PULSEWATCH_DATA ?? '../shared/data', 'mitdb');
const MINUTES = 5;

/** MLII of the record's first minutes with an 8-s standstill (P waves going on) at 40, 120 and 200 s. */
function mliiWithStandstills(name: string): {
  signal: Float64Array;
  fs: number;
  beats: number[];
  spans: PastedStandstill[];
  microvoltsPerUnit: number;
} {
  const record = loadScoredRecord(mitdb, name, [0]);
  const fs = record.sampleRateHz;
  const length = MINUTES * 60 * fs;
  const signal = record.signals[0]!.slice(0, length);
  const spans = [40, 120, 200]
    .map((atS) => pasteStandstillFrom([signal], record, atS * fs, { seconds: 8, pWaves: true }))
    .filter((s) => s !== undefined);
  const outside = record.reference.filter(
    (b) => b < length && !spans.some((s) => b >= s.startSample && b <= s.endSample),
  );
  return { signal, fs, beats: outside, spans, microvoltsPerUnit: 1000 / record.gains[0]! };
}

describe('ventricular standstill with P waves, pasted into real records (MLII alone)', () => {
  // P waves of about 15 % of the QRS amplitude (peak to peak, 1-40 Hz) in both
  it.skipIf(!existsSync(join(mitdb, '117.hea'))).each(['117', '119'])(
    'mitdb %s: no P wave counted as a beat, every beat outside found',
    (name) => {
      const { signal, fs, beats, spans } = mliiWithStandstills(name);
      expect(spans).toHaveLength(3);
      const found = Array.from(detectQrs([signal], fs));
      const inside = found.filter((d) => spans.some((s) => d >= s.startSample && d <= s.endSample));
      expect(inside).toEqual([]);
      const score = scoreBeats(beats, found, fs);
      expect(score.fn).toBe(0);
      expect(score.fp).toBe(0);
    },
  );

  it.skipIf(!existsSync(join(mitdb, '117.hea'))).each(['117', '119'])(
    'mitdb %s: the live pipeline raises the asystole alarm in each standstill',
    (name) => {
      const { signal, fs, spans, microvoltsPerUnit } = mliiWithStandstills(name);
      const { channels, detectionLeads } = holterAsAcquired([signal]);
      const live = playLive(channels, fs, microvoltsPerUnit, detectionLeads);
      for (const span of spans) {
        expect(live.asystole.some((a) => overlap(a, span) > 0)).toBe(true);
        expect(live.beats.filter((b) => b >= span.startSample && b <= span.endSample)).toEqual([]);
      }
    },
  );
});

describe('ventricular standstill pasted into a real record on both leads, the second one noisy', () => {
  // MIT-BIH 108: tall P waves on the first lead, muscle noise on the second; in
  // the pause the thresholds decayed until P waves and noise on one lead passed search-back's
  // threshold 2, and each one taken taught the levels a smaller QRS (qrs-agreement.ts `beatSized`)
  it.skipIf(!existsSync(join(mitdb, '108.hea')))(
    'mitdb 108: no P wave or noise counted as a beat, the asystole alarm raised in each standstill, whole-record and live',
    () => {
      const record = loadScoredRecord(mitdb, '108', [0, 1]);
      const fs = record.sampleRateHz;
      const length = MINUTES * 60 * fs;
      const signals = record.signals.map((s) => s.slice(0, length));
      const spans = [40, 120, 200]
        .map((atS) => pasteStandstillFrom(signals, record, atS * fs, { seconds: 8, pWaves: true }))
        .filter((s) => s !== undefined);
      expect(spans).toHaveLength(3);
      const within = (d: number): boolean => spans.some((s) => d >= s.startSample && d <= s.endSample);
      const whole = Array.from(detectQrs(signals, fs, { microvoltsPerUnit: 1000 / record.gains[0]! }));
      expect(whole.filter(within)).toEqual([]);
      const { channels, detectionLeads } = holterAsAcquired(signals);
      const live = playLive(channels, fs, 1000 / record.gains[0]!, detectionLeads);
      expect(live.beats.filter(within)).toEqual([]);
      for (const span of spans) expect(live.asystole.some((a) => overlap(a, span) > 0)).toBe(true);
    },
  );
});
