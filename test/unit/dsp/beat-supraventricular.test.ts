import { describe, expect, it } from 'vitest';
import { classifyRecordBeats } from '../../../main/dsp/beat-record.js';
import { atrialPrematurity, supraventricularQrs } from '../../../main/dsp/beat-supraventricular.js';
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
