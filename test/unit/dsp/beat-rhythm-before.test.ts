import { describe, expect, it } from 'vitest';
import { classifyRecordBeats } from '../../../main/dsp/beat-record.js';
import { changesGradually, RhythmBefore } from '../../../main/dsp/beat-rhythm-before.js';
import { atrialRhythm, type AtrialPattern } from '../../../main/dsp/synthetic-atrial.js';

/** Beats called S that the strip labels otherwise, and S beats called S, over `seeds`. */
function sCalls(pattern: AtrialPattern, seeds: readonly number[]): { falseS: number; trueS: number } {
  const out = { falseS: 0, trueS: 0 };
  for (const seed of seeds) {
    const strip = atrialRhythm({ pattern, seed, durationS: 300 });
    const classes = classifyRecordBeats(
      strip.leads,
      strip.beats.map((b) => b.sample),
      strip.sampleRateHz,
    );
    strip.beats.forEach((b, k) => {
      if (classes[k]!.beatClass !== 'S') return;
      if (b.beatClass === 'S') out.trueS++;
      else out.falseS++;
    });
  }
  return out;
}

/** A RhythmBefore fed beats called N with P correlation `p` and the given RRs (samples). */
function fed(p: number, rrs: readonly number[]): RhythmBefore {
  const before = new RhythmBefore();
  before.noteNormalBeat(p, null, 'N');
  for (const rr of rrs) before.noteNormalBeat(p, rr, 'N');
  return before;
}

describe('whether the rhythm before a premature beat was sinus', () => {
  const regular = [300, 306, 297, 303, 309, 300];
  const irregular = [300, 420, 240, 390, 260, 350];

  it('takes a gradually changing RR series with one outlier for regular, and random RRs for not', () => {
    expect(changesGradually(regular)).toBe(true);
    expect(changesGradually([300, 306, 180, 303, 309, 300])).toBe(true);
    expect(changesGradually(irregular)).toBe(false);
  });

  it('trusts clear sinus P waves whatever the RRs, and never clearly foreign ones', () => {
    expect(fed(0.95, irregular).sinusBefore(0.7)).toBe(true);
    expect(fed(0.2, regular).sinusBefore(0.7)).toBe(false);
  });

  it('asks middling P waves, like coarse f-waves, for regular RRs before', () => {
    expect(fed(0.6, regular).sinusBefore(0.7)).toBe(true);
    expect(fed(0.6, irregular).sinusBefore(0.7)).toBe(false);
  });

  it('takes a clearly foreign P at the beat just before, called N, for a rhythm that is no longer sinus', () => {
    const before = fed(0.95, regular);
    before.noteNormalBeat(0.1, 300, 'N');
    // the median of the last three still shows the sinus P; the beat just before does not
    expect(before.sinusBefore(0.7, 'N')).toBe(false);
    // after an ectopic beat the last N beat is not the one just before
    expect(before.sinusBefore(0.7, 'S')).toBe(true);
    before.noteNormalBeat(0.6, 300, 'N');
    expect(before.sinusBefore(0.7, 'N')).toBe(true);
  });

  it('reads only sinus-to-sinus RRs: the intervals around an ectopic beat do not count', () => {
    const before = fed(0.6, regular);
    before.noteNormalBeat(0.6, 150, 'S');
    expect(before.sinusBefore(0.7)).toBe(true);
  });

  it('calls fewer beats S at the onsets of paroxysmal AF and keeps the isolated APCs', () => {
    // before: 26 false S over seeds 1-4 (each onset chained S calls on the f-waves' middling P
    // correlation), 19 with the median of three, 8 with the beat just before read as well, 13
    // since a run whose first beats were called N is continued (beat-supraventricular.ts,
    // ectopicRunBefore: the synthetic f-waves, one 6.3-Hz sinusoid, make consecutive P windows
    // alike); isolated APCs 145 of 162 called S throughout, 150 since a recurring ectopic P
    // counts as an abrupt onset (beat-supraventricular.ts, EctopicAtrialFoci)
    expect(sCalls('paroxysmal-af', [1, 2, 3, 4]).falseS).toBeLessThanOrEqual(15);
    expect(sCalls('atrial-fibrillation', [1, 2, 3, 4]).falseS).toBeLessThanOrEqual(6);
    const isolated = sCalls('isolated', [1, 2, 3, 4]);
    expect(isolated.falseS).toBe(0);
    expect(isolated.trueS).toBeGreaterThanOrEqual(150);
  }, 60_000);
});
