import { describe, expect, it } from 'vitest';
import { emptyTotals, SummaryAccumulator, TotalsSchema } from '../../../main/recorder/summary.js';
import type { LeadQualityName } from '../../../main/recorder/live-ecg.js';
import type { RecordingSummary } from '../../../server-contract/api/recordings.js';
import { STANDARD_LEAD_NAMES, type LeadName } from '../../../server-contract/api/streams.js';

const VF = 'ventricular_flutter_fibrillation';

function withEcg(): SummaryAccumulator {
  const s = new SummaryAccumulator(emptyTotals());
  // 10 s of good ECG, so the ECG counts are given
  const good = Object.fromEntries(STANDARD_LEAD_NAMES.map((lead) => [lead, 'good'])) as Record<
    LeadName,
    LeadQualityName
  >;
  s.quality(good, 5000);
  return s;
}

/** A summary's arrest counts: VF episodes, VF ms, asystole episodes, asystole ms. */
const arrest = (s: RecordingSummary) => [s.vfEpisodes, s.vfMs, s.asystoleEpisodes, s.asystoleMs];

describe('SummaryAccumulator: arrest episodes', () => {
  it('counts an episode once (onset, then its end) and sums the lengths', () => {
    const s = withEcg();
    s.episode(VF, 10_000, undefined);
    s.episode(VF, 10_000, undefined); // its onset heard again: no change
    s.episode(VF, 10_000, 15_000);
    s.episode('asystole', 40_000, undefined);
    s.episode('asystole', 40_000, 8_000);
    s.episode('asystole', 60_000, undefined);
    s.episode('asystole', 60_000, 5_500);
    expect(arrest(s.summary(90_000, 'stopped', 100_000))).toEqual([1, 15_000, 2, 13_500]);
  });

  it('counts an episode still going on up to the end, and one begun before the recording with its length', () => {
    const s = withEcg();
    s.episode(VF, 5_000, 7_000); // began before: only its end was heard
    s.episode('asystole', 80_000, undefined);
    expect(arrest(s.summary(60_000, 'stopped', 95_000))).toEqual([1, 7_000, 1, 15_000]);
  });

  it('keeps an open episode across a restart (the totals as stored), and reads totals stored before episodes were counted', () => {
    const s = withEcg();
    s.episode(VF, 10_000, undefined);
    const stored = TotalsSchema.parse(JSON.parse(JSON.stringify(s.totals)));
    const again = new SummaryAccumulator(stored);
    again.episode(VF, 10_000, 12_000);
    expect(arrest(again.summary(30_000, 'stopped', 40_000))).toEqual([1, 12_000, 0, 0]);
    const old: Record<string, unknown> = { ...emptyTotals() };
    delete old.episodes;
    delete old.openEpisodes;
    expect(TotalsSchema.parse(old)).toMatchObject({ episodes: {}, openEpisodes: [] });
  });

  it('gives no arrest counts without ECG', () => {
    const summary = new SummaryAccumulator(emptyTotals()).summary(1000, 'stopped', 1000);
    expect(summary.vfEpisodes).toBeUndefined();
    expect(summary.asystoleEpisodes).toBeUndefined();
  });
});
