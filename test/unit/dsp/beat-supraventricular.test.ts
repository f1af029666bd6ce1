import { describe, expect, it } from 'vitest';
import { classifyRecordBeats } from '../../../main/dsp/beat-record.js';
import {
  abruptOnset,
  atrialPrematurity,
  EctopicAtrialFoci,
  supraventricularQrs,
} from '../../../main/dsp/beat-supraventricular.js';
import { atrialRhythm, type AtrialPattern } from '../../../main/dsp/synthetic-atrial.js';

/** S decisions of the live classifier on one labelled synthetic strip (exact R times). */
function scoreS(pattern: AtrialPattern, seed: number): { tp: number; fn: number; fp: number; beats: number } {
  const strip = atrialRhythm({ pattern, seed, durationS: 300 });
  const classes = classifyRecordBeats(
    strip.leads,
    strip.beats.map((b) => b.sample),
    strip.sampleRateHz,
  );
  const score = { tp: 0, fn: 0, fp: 0, beats: strip.beats.length };
  strip.beats.forEach((b, k) => {
    const isS = classes[k]!.beatClass === 'S';
    if (b.beatClass === 'S') {
      if (isS) score.tp++;
      else score.fn++;
    } else if (isS) score.fp++;
  });
  return score;
}

function summed(
  pattern: AtrialPattern,
  seeds: number[],
): { se: number; ppv: number; fp: number; beats: number } {
  const t = { tp: 0, fn: 0, fp: 0, beats: 0 };
  for (const seed of seeds) {
    const s = scoreS(pattern, seed);
    t.tp += s.tp;
    t.fn += s.fn;
    t.fp += s.fp;
    t.beats += s.beats;
  }
  return {
    se: t.tp / Math.max(1, t.tp + t.fn),
    ppv: t.tp / Math.max(1, t.tp + t.fp),
    fp: t.fp,
    beats: t.beats,
  };
}

describe('supraventricular ectopy on synthetic rhythms with exact labels', () => {
  const seeds = [1, 2, 3];

  it('the generator labels APCs, resets the sinus node after them and leaves AF without S', () => {
    const strip = atrialRhythm({ pattern: 'trigeminy', seed: 1, durationS: 120 });
    const s = strip.beats.filter((b) => b.beatClass === 'S');
    expect(s.length).toBeGreaterThan(10);
    // the interval after an APC is about one sinus cycle: longer than the APC's own, under two cycles
    const k = strip.beats.findIndex(
      (b, i) => i > 3 && b.beatClass === 'S' && strip.beats[i - 1]!.beatClass === 'N',
    );
    const pre = strip.beats[k]!.sample - strip.beats[k - 1]!.sample;
    const post = strip.beats[k + 1]!.sample - strip.beats[k]!.sample;
    const sinusBefore = strip.beats[k - 1]!.sample - strip.beats[k - 2]!.sample;
    expect(post).toBeGreaterThan(pre);
    expect(pre + post).toBeLessThan(2 * sinusBefore);
    const af = atrialRhythm({ pattern: 'atrial-fibrillation', seed: 1, durationS: 60 });
    expect(af.beats.every((b) => b.beatClass === 'N')).toBe(true);
    expect(atrialRhythm({ pattern: 'isolated', seed: 5, durationS: 60 })).toEqual(
      atrialRhythm({ pattern: 'isolated', seed: 5, durationS: 60 }),
    );
  });

  it.each(['isolated', 'bigeminy', 'trigeminy', 'svt-runs', 'frequent-slow', 'junctional'] as const)(
    'finds the S beats of %s with Se ≥ 85 % and +P ≥ 97 %',
    (pattern) => {
      const r = summed(pattern, seeds);
      expect(r.se).toBeGreaterThanOrEqual(0.85);
      expect(r.ppv).toBeGreaterThanOrEqual(0.97);
    },
  );

  it.each(['sinus-arrhythmia', 'atrial-fibrillation', 'paroxysmal-af'] as const)(
    'calls almost no beat S in %s (≤ 2 % of beats)',
    (pattern) => {
      const r = summed(pattern, seeds);
      expect(r.fp).toBeLessThanOrEqual(0.02 * r.beats);
    },
  );
});

describe('supraventricular beats conducted with minor aberration', () => {
  it('calls S the APCs whose QRS keeps the normal shape but reads slightly wide (incomplete RBBB)', () => {
    let narrowEnough = 0;
    let calledS = 0;
    for (const seed of [1, 2, 3]) {
      const strip = atrialRhythm({ pattern: 'aberrated', seed, durationS: 300 });
      const classes = classifyRecordBeats(
        strip.leads,
        strip.beats.map((b) => b.sample),
        strip.sampleRateHz,
      );
      strip.beats.forEach((b, k) => {
        const c = classes[k]!;
        // the APCs with the normal QRS shape (the full RBBB ones are a matter for another rule)
        if (b.beatClass !== 'S' || c.correlation < 0.95) return;
        narrowEnough++;
        if (c.beatClass === 'S') calledS++;
      });
    }
    expect(narrowEnough).toBeGreaterThan(15);
    expect(calledS).toBeGreaterThan(0.7 * narrowEnough);
  });

  it('asks a slightly wide QRS of the normal shape for a clearly foreign P wave', () => {
    expect(supraventricularQrs(0.92, 1.1)).toBe('normal');
    expect(supraventricularQrs(0.97, 1.35)).toBe('minor-aberrancy');
    expect(supraventricularQrs(0.92, 1.35)).toBeNull();
    expect(supraventricularQrs(0.97, 1.6)).toBeNull();
    const beat = { abrupt: true, prematurity: 0.6, pThreshold: 0.7, foreignPOnly: true };
    expect(atrialPrematurity({ ...beat, pCorrelation: 0.6 })).toBe(false);
    expect(atrialPrematurity({ ...beat, pCorrelation: 0.2 })).toBe(true);
    expect(atrialPrematurity({ ...beat, pCorrelation: 0.2, prematurity: 0.95 })).toBe(false);
  });
});

describe('supraventricular calls in atrial fibrillation', () => {
  it('calls no beat S once the rhythm has been watched for 40 beats, even where the f-waves look alike', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const strip = atrialRhythm({ pattern: 'atrial-fibrillation', seed, durationS: 300 });
      const classes = classifyRecordBeats(
        strip.leads,
        strip.beats.map((b) => b.sample),
        strip.sampleRateHz,
      );
      // the first beats go by before the RR window (32 RRs) and the sinus P consistency are filled
      const late = classes.slice(40).filter((c) => c.beatClass === 'S').length;
      expect({ seed, late }).toEqual({ seed, late: 0 });
    }
  });
});

describe('the P wave of a recurring ectopic atrial focus', () => {
  // a P window: a bump at `at` (0-1 of the window), upright or inverted
  const pWave = (at: number, sign: number): Float64Array =>
    Float64Array.from({ length: 80 }, (_, i) => sign * Math.exp(-(((i / 80 - at) / 0.08) ** 2)));
  const inverted = pWave(0.5, -1);

  it('is known only once seen before, clearly foreign, while the sinus P reads consistently', () => {
    const foci = new EctopicAtrialFoci();
    expect(foci.carries(inverted, -0.5, 0.7, 0.95)).toBe(false);
    foci.note(inverted, -0.5, 0.7);
    expect(foci.carries(inverted, -0.5, 0.7, 0.95)).toBe(true);
    // another shape, a P not clearly foreign, or sinus P waves read poorly: no known focus
    expect(foci.carries(pWave(0.2, 1), -0.5, 0.7, 0.95)).toBe(false);
    expect(foci.carries(inverted, 0.6, 0.7, 0.95)).toBe(false);
    expect(foci.carries(inverted, -0.5, 0.7, 0.6)).toBe(false);
    expect(foci.carries(inverted, -0.5, 0.7, NaN)).toBe(false);
    // a P window near the sinus P is not kept as a focus
    const other = new EctopicAtrialFoci();
    other.note(inverted, 0.6, 0.7);
    expect(other.carries(inverted, -0.5, 0.7, 0.95)).toBe(false);
  });

  it('makes an onset abrupt after a sinus rhythm, however short the RR before, never after fibrillation', () => {
    const onset = {
      lastClass: 'N' as const,
      rr: 300,
      previousRr: 310,
      atrialRr: 300,
      previousAtrialRr: 310,
      sinusPBefore: true,
    };
    expect(abruptOnset(onset)).toBe(false);
    expect(abruptOnset({ ...onset, knownFocusP: true })).toBe(true);
    expect(abruptOnset({ ...onset, knownFocusP: true, sinusPBefore: false })).toBe(false);
  });

  it('does not take the sinus rhythm resuming after a PVC pause for an abrupt onset; a clearly foreign P still is one', () => {
    // the beat before this one followed a V: the RR before (310) held the PVC's compensatory pause
    const afterPause = {
      lastClass: 'N' as const,
      rr: 250,
      previousRr: 310,
      atrialRr: 250,
      previousAtrialRr: 560,
      sinusPBefore: true,
      previousRrEndedPause: true,
    };
    expect(abruptOnset({ ...afterPause, previousRrEndedPause: false })).toBe(true);
    expect(abruptOnset(afterPause)).toBe(false);
    expect(abruptOnset({ ...afterPause, foreignP: true })).toBe(true);
    expect(abruptOnset({ ...afterPause, foreignP: true, sinusPBefore: false })).toBe(false);
  });

  it('calls S the APCs and junctional beats with a recurring P that are early only against the sinus rhythm', () => {
    // before the rule, over seeds 1-4: 145 of 162 isolated APCs, 224 of 250 in trigeminy, 83 of
    // 150 junctional beats with a retrograde P; after: 150, 230 and 99, no false S
    const seeds = [1, 2, 3, 4];
    const isolated = summed('isolated', seeds);
    const trigeminy = summed('trigeminy', seeds);
    const retrograde = summed('junctional-retrograde', seeds);
    expect(isolated.se).toBeGreaterThanOrEqual(150 / 162);
    expect(trigeminy.se).toBeGreaterThanOrEqual(230 / 250);
    expect(retrograde.se).toBeGreaterThanOrEqual(0.65);
    expect(isolated.fp + trigeminy.fp + retrograde.fp).toBe(0);
    // flutter waves recur too: the rule stands aside where a repeating wave fills the segments
    // between the beats (beat-flutter.ts wavesBetweenBeats, tested in beat-flutter.test.ts); on
    // seeds 5-8, where flutter goes unrecognised, it added 18 false S without that
    expect(summed('atrial-flutter-variable', seeds).fp).toBeLessThanOrEqual(40);
  }, 60_000);
});
