import { describe, expect, it } from 'vitest';
import { detectQrs } from '../../../main/dsp/qrs.js';
import { wideRhythm, type WideBeat, type WideRhythm } from '../../../main/dsp/synthetic-wide.js';
import { scoreBeats } from '../../../bench/_scoring.js';
import { STRESS_NOISE_SETTINGS } from '../../../main/dsp/synthetic-noise.js';
import { liveQrs } from '../../fixtures/dsp/load.js';

/** Whole-record and live detections on the strip's first `leads` leads (II, V1), or on `leads`. */
function detections(strip: WideRhythm, leads: number | readonly Float64Array[]): number[][] {
  const chosen = typeof leads === 'number' ? strip.leads.slice(0, leads) : leads;
  return [Array.from(detectQrs(chosen, strip.sampleRateHz)), liveQrs(chosen, strip.sampleRateHz)];
}

describe('synthetic wide-complex strips', () => {
  it('multiform ectopy has several PVC morphologies, couplets and a compensatory pause', () => {
    const strip = wideRhythm({ pattern: 'multiform-pvc', seed: 2, durationS: 180 });
    const v = strip.beats.filter((b) => b.beatClass === 'V');
    expect(v.length).toBeGreaterThan(20);
    const couplets = strip.beats.filter(
      (b, i) => b.beatClass === 'V' && strip.beats[i + 1]?.beatClass === 'V',
    );
    expect(couplets.length).toBeGreaterThan(0);
    const rr = strip.beats.slice(1).map((b, i) => (b.sample - strip.beats[i]!.sample) / strip.sampleRateHz);
    expect(Math.min(...rr)).toBeGreaterThanOrEqual(0.3);
  });
});

describe('the chest leads of the wide-complex strips', () => {
  /** The largest deflection up and down within ±60 ms of each beat of `cls`, from the median of ±0.24 s. */
  const deflections = (strip: WideRhythm, lead: Float64Array, cls: 'N' | 'V'): [number, number][] => {
    const fs = strip.sampleRateHz;
    const half = Math.round(0.06 * fs);
    return strip.beats
      .filter((b) => b.beatClass === cls && b.sample > 4 * half && b.sample < lead.length - 4 * half)
      .map(({ sample }) => {
        const around = Array.from(lead.subarray(sample - 4 * half, sample + 4 * half)).sort((a, b) => a - b);
        const base = around[around.length >> 1]!;
        const window = lead.subarray(sample - half, sample + half + 1);
        return [Math.max(...window) - base, Math.min(...window) - base];
      });
  };

  it('left bundle-branch block: a deep QS in V2, a tall R in V5', () => {
    const strip = wideRhythm({ pattern: 'af-bbb', seed: 1, durationS: 60 });
    for (const [up, down] of deflections(strip, strip.chest[0], 'N')) expect(-down).toBeGreaterThan(4 * up);
    for (const [up, down] of deflections(strip, strip.chest[1], 'N')) expect(up).toBeGreaterThan(4 * -down);
  });

  it('normal conduction: an rS in V2, a qR in V5; each focus sized on the chest leads of its own', () => {
    const strip = wideRhythm({ pattern: 'multiform-pvc', seed: 2, durationS: 120 });
    for (const [up, down] of deflections(strip, strip.chest[0], 'N')) expect(-down).toBeGreaterThan(2 * up);
    for (const [up, down] of deflections(strip, strip.chest[1], 'N')) expect(up).toBeGreaterThan(3 * -down);
    // the PVCs on V5: more than one size (multiform)
    const sizes = deflections(strip, strip.chest[1], 'V').map(([up, down]) => Math.round((up - down) / 100));
    expect(new Set(sizes).size).toBeGreaterThan(1);
  });
});

describe('early multiform ventricular premature beats in sinus rhythm', () => {
  it.each([128, 360])(
    "every PVC coupled at 0.36-0.6 s is a beat, not a T wave, nor the second of a couplet the first PVC's T wave, whole-record and live, at %d Hz",
    (fs) => {
      // seed 4: a couplet's second PVC, 0.34 s after a first one found below threshold 1, was
      // missed at both rates before a complex repeating the last beat's was taken as a beat
      // (qrs-twave.ts `repeatsLastBeat`)
      for (const seed of [1, 2, 3, 4, 5, 6]) {
        const strip = wideRhythm({ pattern: 'multiform-pvc', seed, sampleRateHz: fs, durationS: 180 });
        const truth = strip.beats.map((b) => b.sample);
        for (const found of detections(strip, 1)) {
          expect(scoreBeats(truth, found, fs)).toMatchObject({ fn: 0, fp: 0 });
        }
      }
    },
  );

  it.each([128, 360])(
    "so does the fusion of II, V2 and V5 (the live pipeline's detection leads), whole-record and live, at %d Hz",
    (fs) => {
      // a couplet's second PVC from another focus, in the first one's T-wave window, and a PVC
      // plain on lead II whose noise share was a little above the fused feature's, were missed
      // (qrs-lead-wide.ts `repeatsLastBeatOn`, `QUIET_MARGIN`), at either rate. From 5 s: in
      // seed 5 a PVC comes 0.4 s after the first beat, while each lead's levels are still the
      // training's (lead II's noise level at 0.056 of its QRS level, no clean lead's)
      const after = (sample: number): boolean => sample >= 5 * fs;
      for (const seed of [1, 2, 3, 4, 5, 6]) {
        const strip = wideRhythm({ pattern: 'multiform-pvc', seed, sampleRateHz: fs, durationS: 180 });
        const truth = strip.beats.map((b) => b.sample).filter(after);
        for (const found of detections(strip, [strip.leads[0], ...strip.chest])) {
          expect(scoreBeats(truth, found.filter(after), fs)).toMatchObject({ fn: 0, fp: 0 });
        }
      }
    },
  );
});

describe('where a wide ventricular premature beat is marked', () => {
  it.each([128, 360])(
    'on its broad main lobe, not on the narrower terminal wave of opposite sign, whole-record and live, at %d Hz',
    (fs) => {
      // the 5-15 Hz slope is steepest on the terminal wave, so the R search is anchored late and
      // its window starts on the main lobe; with that lobe taken for the baseline, 284 of 328 PVCs
      // were marked 60-130 ms late, on the terminal wave (seeds 1-6 at 360 Hz)
      const offsetsMs: number[] = [];
      for (const seed of [1, 2, 3]) {
        const strip = wideRhythm({ pattern: 'multiform-pvc', seed, sampleRateHz: fs, durationS: 180 });
        for (const found of detections(strip, 1)) {
          for (const b of strip.beats.filter((x) => x.beatClass === 'V')) {
            const nearest = found.reduce((best, d) =>
              Math.abs(d - b.sample) < Math.abs(best - b.sample) ? d : best,
            );
            offsetsMs.push((Math.abs(nearest - b.sample) / fs) * 1000);
          }
        }
      }
      expect(offsetsMs.length).toBeGreaterThan(100);
      expect(offsetsMs.filter((ms) => ms > 25).length).toBeLessThanOrEqual(0.02 * offsetsMs.length);
    },
  );
});

describe('wide ventricular premature beats with little 5-15 Hz energy', () => {
  it.each([128, 360])(
    'two leads, electrode-motion noise at 18 dB: every multiform PVC found by its size, whole-record and live, at %d Hz',
    (fs) => {
      // seed 5 draws foci whose broad complexes carry 3-6 x the noise peaks' 5-15 Hz energy
      // (before the size rule: 21 of them missed at 128 Hz, 41 at 360 Hz)
      const strip = wideRhythm({
        pattern: 'multiform-pvc',
        seed: 5,
        sampleRateHz: fs,
        durationS: 180,
        noise: { kind: 'em', snrDb: 18 },
      });
      const truth = strip.beats.map((b) => b.sample);
      for (const found of detections(strip, 2)) {
        const score = scoreBeats(truth, found, fs);
        expect(score.fn).toBe(0);
        expect(score.fp).toBeLessThanOrEqual(2);
      }
    },
  );
});

describe('a recording that starts in a pause of atrial fibrillation', () => {
  it.each([128, 360])(
    'first QRS at 1.8 s, coarse f waves before it: no f wave taken for a beat, whole-record and live, at %d Hz',
    (fs) => {
      // two of the four 1-s training segments held only f waves; the signal level started on
      // one of them, and f waves were beats for the first 10 s (5-12 false beats per strip)
      for (const pattern of ['af-bbb', 'af-aberrant-pvc'] as const) {
        const strip = wideRhythm({ pattern, seed: 6, sampleRateHz: fs, durationS: 180 });
        expect(strip.beats[0]!.sample).toBeGreaterThan(1.5 * fs);
        const truth = strip.beats.map((b) => b.sample);
        for (const found of detections(strip, 1)) expect(scoreBeats(truth, found, fs).fp).toBe(0);
      }
    },
  );
});

describe('the early-beat hold in atrial fibrillation with bundle-branch block', () => {
  it.each([
    [128, 8],
    [360, 2],
  ])(
    'clean and at 24 dB of muscle or electrode-motion noise, lead II, seeds 1-6, %d Hz: at most %d beats missed, whole-record and live',
    (fs, most) => {
      // wide complexes and f waves keep the feature busy, so the stretch counts as noisy, and by
      // chance two intervals are each about the median: a conducted beat then seemed early
      // between two on-time ones and was dropped (10 and 5 misses) until a held beat that plainly
      // has the patient's QRS shape was kept (qrs-hold.ts)
      const missed = [0, 0];
      for (const noise of [undefined, ...STRESS_NOISE_SETTINGS.filter((n) => n?.snrDb === 24)]) {
        for (const seed of [1, 2, 3, 4, 5, 6]) {
          const strip = wideRhythm({ pattern: 'af-bbb', seed, sampleRateHz: fs, durationS: 180, noise });
          const truth = strip.beats.map((b) => b.sample);
          detections(strip, 1).forEach((found, k) => (missed[k]! += scoreBeats(truth, found, fs).fn));
        }
      }
      for (const m of missed) expect(m).toBeLessThanOrEqual(most);
    },
  );
});

/** PVCs found (±150 ms) and false beats over seeds 1-6 of atrial fibrillation with PVCs, per detector. */
function afPvcScores(fs: number, leads: number): { found: number; total: number; fp: number }[] {
  const scores = [0, 1].map(() => ({ found: 0, total: 0, fp: 0 }));
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const strip = wideRhythm({ pattern: 'af-aberrant-pvc', seed, sampleRateHz: fs, durationS: 180 });
    const near = (a: number, b: number): boolean => Math.abs(a - b) <= 0.15 * fs;
    detections(strip, leads).forEach((beats, k) => {
      const score = scores[k]!;
      for (const b of strip.beats.filter((x) => x.beatClass === 'V')) {
        score.total++;
        if (beats.some((d) => near(d, b.sample))) score.found++;
      }
      score.fp += beats.filter((d) => !strip.beats.some((b) => near(d, b.sample))).length;
    });
  }
  return scores;
}

describe('wide complexes judged on each lead against its own noise', () => {
  it.each([128, 360])(
    'atrial fibrillation with frequent wide PVCs: II + V1 find at least 96 percent of the PVCs and as many as II alone, whole-record and live, at %d Hz',
    (fs) => {
      // the f waves project onto V1; judged on the fused feature alone, with each missed PVC
      // taught as noise, 84.9 % of the PVCs were found at 360 Hz; 89.4 % when peaks of a QRS's
      // size were not taught; lead II alone finds 95.9 %
      const one = afPvcScores(fs, 1);
      const two = afPvcScores(fs, 2);
      two.forEach((score, k) => {
        expect(score.total).toBeGreaterThan(200);
        expect(score.found / score.total).toBeGreaterThanOrEqual(0.96);
        expect(score.found).toBeGreaterThanOrEqual(one[k]!.found);
        expect(score.fp).toBeLessThanOrEqual(10);
      });
    },
  );
});

/**
 * PVCs after the first 5 s that `chosen` picks (by the strip's beats and the PVC's index), missed
 * on lead II alone over seeds 1-6 of atrial fibrillation with PVCs, per detector.
 */
function pvcMisses(fs: number, chosen: (beats: readonly WideBeat[], i: number) => boolean): number[] {
  const misses = [0, 0];
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const strip = wideRhythm({ pattern: 'af-aberrant-pvc', seed, sampleRateHz: fs, durationS: 180 });
    const b = strip.beats;
    const pvcs = b.filter((x, i) => x.beatClass === 'V' && x.sample >= 5 * fs && chosen(b, i));
    detections(strip, 1).forEach((beats, k) => {
      misses[k]! += pvcs.filter((x) => !beats.some((d) => Math.abs(d - x.sample) <= 0.15 * fs)).length;
    });
  }
  return misses;
}

/** Is beat `i` in a salvo (three or more PVCs after a narrow beat)? */
function inSalvo(b: readonly WideBeat[], i: number): boolean {
  let first = i;
  while (b[first - 1]?.beatClass === 'V') first--;
  let last = i;
  while (b[last + 1]?.beatClass === 'V') last++;
  return last - first >= 2 && b[first - 1]?.beatClass === 'N';
}

describe('early PVCs below threshold 1', () => {
  it.each([360, 500])(
    'salvos of PVCs in atrial fibrillation: at most one of their PVCs missed on lead II alone, whole-record and live, at %d Hz',
    (fs) => {
      // a wide PVC right after a narrow beat may carry under threshold 1 of 5-15 Hz energy while
      // as large as the QRS; before such an early complex could outgrow the T wave, the first
      // PVC of a salvo at 180/min (seed 2, 71.5 s) was taken for the T wave, the noise level
      // it taught doubled and the third was missed too: 3 misses
      for (const missed of pvcMisses(fs, inSalvo)) expect(missed).toBeLessThanOrEqual(1);
    },
  );

  it.each([128, 360])(
    'PVCs smaller than the QRS right after a narrow beat: at most one missed on lead II alone, whole-record and live, at %d Hz',
    (fs) => {
      // a focus may project onto lead II at 0.6-0.75 of the QRS size; in the T-wave window such
      // a PVC was taken for the narrow beat's T wave although twice the size of the patient's
      // T waves (qrs-early.ts): 6 of these PVCs missed at either rate, 5 of them in the window
      const afterNarrow = (b: readonly WideBeat[], i: number): boolean => b[i - 1]?.beatClass === 'N';
      for (const missed of pvcMisses(fs, afterNarrow)) expect(missed).toBeLessThanOrEqual(1);
    },
  );
});
