import { describe, expect, it } from 'vitest';
import { fusionBeat, fusionFit, type FusionEvidence, type FusionFit } from '../../../main/dsp/beat-fusion.js';
import { classifyRecordBeats } from '../../../main/dsp/beat-record.js';
import { atrialRhythm } from '../../../main/dsp/synthetic-atrial.js';

const WIDTH = 72;
const gauss = (centre: number, sigma: number, height: number): Float64Array =>
  Float64Array.from({ length: WIDTH }, (_, j) => height * Math.exp(-((j - centre) ** 2) / (2 * sigma ** 2)));
const normal = (): Float64Array => {
  const r = gauss(29, 3.5, 1);
  const s = gauss(39, 3, -0.3);
  return r.map((x, j) => x + s[j]!);
};
const ventricular = (): Float64Array => gauss(33, 11, 1.2);

describe('fusion fit: a beat as a sum of the normal and a ventricular QRS', () => {
  it('explains half of each, the ventricular part a few samples early, and tells the shares', () => {
    const v = gauss(29, 11, 1.2);
    const n = normal();
    const beat = n.map((x, j) => 0.5 * x + 0.5 * v[j]!);
    const fit = fusionFit(beat, n, [ventricular()], WIDTH, 14);
    expect(fit.residual).toBeLessThan(0.01);
    expect(fit.residualAlone).toBeGreaterThan(0.05);
    expect(fit.normalShare).toBeGreaterThan(0.3);
    expect(fit.normalShare).toBeLessThan(0.7);
  });

  it('finds no sum better than the normal template for a normal beat', () => {
    const n = normal();
    const fit = fusionFit(
      n.map((x) => 2 * x),
      n,
      [ventricular()],
      WIDTH,
      14,
    );
    expect(fit.residualAlone).toBeLessThan(1e-9);
    expect(fit.normalShare).toBeGreaterThan(0.95);
  });
});

const FUSION: FusionEvidence = {
  correlation: 0.85,
  widthRatio: 1.4,
  prematurity: 1,
  ventricularCorrelation: 0.7,
  atrialRhythm: true,
  bestLeadCorrelation: 0.9,
  pCorrelation: 0.9,
  pThreshold: 0.7,
  sinceV: 3,
};
const GOOD_FIT: FusionFit = { residual: 0.02, residualAlone: 0.2, normalShare: 0.5 };

describe('fusion rule', () => {
  it('calls F a beat at the sinus time after the sinus P that is a sum of both QRS shapes', () => {
    expect(fusionBeat(FUSION, () => GOOD_FIT)).toBe(true);
  });

  it.each([
    ['no ventricular focus firing lately', { sinceV: 40 }, GOOD_FIT],
    ['premature', { prematurity: 0.8 }, GOOD_FIT],
    ['no sinus P before it', { pCorrelation: 0.2 }, GOOD_FIT],
    ['the normal QRS', { correlation: 0.97 }, GOOD_FIT],
    ['not explained by the sum (noise)', {}, { ...GOOD_FIT, residual: 0.3 }],
    ['no better than one template alone', {}, { ...GOOD_FIT, residualAlone: 0.03 }],
    ['almost all ventricular', {}, { ...GOOD_FIT, normalShare: 0.1 }],
  ])('does not when %s', (_, change, fit) => {
    expect(fusionBeat({ ...FUSION, ...change }, () => fit)).toBe(false);
  });
});

describe('late PVCs and fusion beats (synthetic, exact labels)', () => {
  it('calls a good share of the fusion beats F and no other beat F', () => {
    const t = { f: 0, fAsF: 0, otherAsF: 0 };
    for (const seed of [1, 2]) {
      const strip = atrialRhythm({ pattern: 'fusion', seed, durationS: 300 });
      const classes = classifyRecordBeats(
        strip.leads,
        strip.beats.map((b) => b.sample),
        strip.sampleRateHz,
      );
      strip.beats.forEach((b, k) => {
        const f = classes[k]!.beatClass === 'F';
        if (b.beatClass === 'F') {
          t.f++;
          if (f) t.fAsF++;
        } else if (f) t.otherAsF++;
      });
    }
    expect(t.f).toBeGreaterThan(15);
    // the earlier rule (0.7 <= r < 0.85, >= 1.2 x wide, on time, 8 beats after a V) found few
    expect(t.fAsF / t.f).toBeGreaterThan(0.3);
    expect(t.otherAsF).toBe(0);
  });
});
