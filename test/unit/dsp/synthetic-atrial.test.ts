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

describe('synthetic atrial flutter, Ashman beats and fusion beats (exact labels)', () => {
  it('conducts flutter at 2:1 to 4:1: RRs fall in clusters a flutter cycle apart, every beat N', () => {
    const strip = atrialRhythm({ pattern: 'atrial-flutter-variable', seed: 2, durationS: 300 });
    const fs = strip.sampleRateHz;
    const spans = strip.flutter ?? [];
    expect(spans.length).toBeGreaterThan(0);
    expect(strip.beats.every((b) => b.beatClass === 'N')).toBe(true);
    const inside = (s: number): boolean => spans.some(([a, b]) => s > a && s <= b);
    const rrs: number[] = [];
    for (let k = 2; k < strip.beats.length; k++) {
      const [a, b] = [strip.beats[k - 1]!.sample, strip.beats[k]!.sample];
      if (inside(strip.beats[k - 2]!.sample) && inside(b)) rrs.push((b - a) / fs);
    }
    expect(rrs.length).toBeGreaterThan(100);
    // 2:1 at 240-340/min gives RRs of 0.35-0.5 s, 4:1 twice that; nothing faster than 2:1
    expect(Math.min(...rrs)).toBeGreaterThan(0.33);
    const short = rrs.filter((x) => x < 0.55).length;
    const long = rrs.filter((x) => x > 0.65).length;
    expect(short).toBeGreaterThan(0.3 * rrs.length);
    expect(long).toBeGreaterThan(0.2 * rrs.length);
  });

  it('gives Ashman beats only at the end of a long-short cycle, and a longer cycle after each PVC', () => {
    const strip = atrialRhythm({ pattern: 'af-ashman', seed: 1, durationS: 300, noiseMicrovolts: 0 });
    const fs = strip.sampleRateHz;
    const b = strip.beats;
    // an R′ in V1 75 ms after R: the RBBB beats
    const rPrime = (k: number): boolean => strip.leads[1][b[k]!.sample + Math.round(0.075 * fs)]! > 400;
    let ashman = 0;
    for (let k = 2; k < b.length; k++) {
      if (b[k]!.beatClass !== 'N' || b[k - 1]!.beatClass !== 'N' || b[k - 2]!.beatClass !== 'N' || !rPrime(k))
        continue;
      ashman++;
      expect(b[k]!.sample - b[k - 1]!.sample).toBeLessThan(0.7 * (b[k - 1]!.sample - b[k - 2]!.sample));
    }
    expect(ashman).toBeGreaterThan(20);
    expect(b.filter((x) => x.beatClass === 'V').length).toBeGreaterThan(20);
  });

  it('puts fusion beats at the sinus time, PVCs earlier', () => {
    const strip = atrialRhythm({ pattern: 'fusion', seed: 1, durationS: 300 });
    const b = strip.beats;
    const ratio = (cls: 'F' | 'V'): number[] =>
      b
        .map((x, k) => ({ x, k }))
        .filter(
          ({ x, k }) =>
            k >= 2 && x.beatClass === cls && b[k - 1]!.beatClass === 'N' && b[k - 2]!.beatClass === 'N',
        )
        .map(({ k }) => (b[k]!.sample - b[k - 1]!.sample) / (b[k - 1]!.sample - b[k - 2]!.sample));
    const f = ratio('F');
    const v = ratio('V');
    expect(f.length).toBeGreaterThan(5);
    expect(Math.min(...f)).toBeGreaterThan(0.85);
    expect(median(v)).toBeLessThan(median(f));
  });
});
