import { describe, expect, it } from 'vitest';
import { atrialRhythm, type LabelledBeat } from '../../../main/dsp/synthetic-atrial.js';
import { median } from '../../../main/dsp/stats.js';

/** For each beat of `cls` between two sinus beats: (next R − previous R) / twice the sinus RR before. */
function pauseRatios(beats: readonly LabelledBeat[], cls: 'S' | 'V'): number[] {
  const out: number[] = [];
  for (let k = 2; k < beats.length - 1; k++) {
    if (beats[k]!.beatClass !== cls || beats[k - 1]!.beatClass !== 'N' || beats[k - 2]!.beatClass !== 'N')
      continue;
    if (beats[k + 1]!.beatClass !== 'N') continue;
    const sinus = beats[k - 1]!.sample - beats[k - 2]!.sample;
    out.push((beats[k + 1]!.sample - beats[k - 1]!.sample) / (2 * sinus));
  }
  return out;
}

describe('synthetic wide and nodal ectopy (exact labels)', () => {
  it('follows a PVC with a fully compensatory pause unless it reaches the atria, an APC with a shorter one', () => {
    const pvc = atrialRhythm({ pattern: 'pvc-dissociated', seed: 1, durationS: 300 });
    const v = pauseRatios(pvc.beats, 'V');
    expect(v.length).toBeGreaterThan(20);
    // the sinus node is undisturbed: the sinus beat after the PVC comes two cycles after the one before
    expect(median(v)).toBeGreaterThan(0.95);
    expect(median(v)).toBeLessThan(1.05);
    const apc = atrialRhythm({ pattern: 'aberrated', seed: 1, durationS: 300 });
    const s = pauseRatios(apc.beats, 'S');
    expect(s.length).toBeGreaterThan(10);
    expect(median(s)).toBeLessThan(0.9);
    expect(apc.beats.some((b) => b.beatClass === 'V')).toBe(false);
  });

  it('draws aberrant APCs with an R′ in V1 and PVCs without the normal beat’s onset', () => {
    const apc = atrialRhythm({ pattern: 'aberrated', seed: 2, durationS: 300, noiseMicrovolts: 0 });
    const fs = apc.sampleRateHz;
    const lateV1 = (b: LabelledBeat): number => apc.leads[1][b.sample + Math.round(0.075 * fs)]!;
    const s = apc.beats.filter((b) => b.beatClass === 'S').map(lateV1);
    const n = apc.beats.filter((b) => b.beatClass === 'N').map(lateV1);
    // RBBB: a terminal R′ in V1 where the normal beat has returned from its S wave
    expect(s.filter((x) => x > 400).length).toBeGreaterThan(0.6 * s.length);
    expect(n.every((x) => x < 300)).toBe(true);
  });

  it('gives junctional premature beats nearly on time, often with an inverted P and a short PR', () => {
    const strip = atrialRhythm({
      pattern: 'junctional-retrograde',
      seed: 3,
      durationS: 300,
      noiseMicrovolts: 0,
    });
    const fs = strip.sampleRateHz;
    const b = strip.beats;
    const ratios: number[] = [];
    let inverted = 0;
    let junctional = 0;
    for (let k = 2; k < b.length; k++) {
      if (b[k]!.beatClass !== 'S') continue;
      junctional++;
      ratios.push((b[k]!.sample - b[k - 1]!.sample) / (b[k - 1]!.sample - b[k - 2]!.sample));
      // lead II 60–100 ms before R: the inverted P of a short PR (a sinus P lies 160 ms before R)
      const p = strip.leads[0][b[k]!.sample - Math.round(0.08 * fs)]!;
      if (p < -40) inverted++;
    }
    expect(junctional).toBeGreaterThan(10);
    expect(Math.min(...ratios)).toBeGreaterThan(0.6);
    expect(median(ratios)).toBeGreaterThan(0.75);
    expect(inverted).toBeGreaterThan(0.25 * junctional);
  });
});
