import { describe, expect, it } from 'vitest';
import { QrsFeature } from '../../../main/dsp/qrs-feature.js';
import { QrsTemplate } from '../../../main/dsp/qrs-template.js';
import { correlation } from '../../../main/dsp/stats.js';

const FS = 360;
const NARROW = (t: number): number =>
  1200 * Math.exp(-((t / 0.01) ** 2) / 2) - 300 * Math.exp(-(((t - 0.025) / 0.008) ** 2) / 2);
/** A wide complex of another shape (a bundle-branch block, a ventricular rhythm). */
const WIDE = (t: number): number =>
  -1000 * Math.exp(-((t / 0.03) ** 2) / 2) + 400 * Math.exp(-(((t - 0.06) / 0.025) ** 2) / 2);

/** Feeds a feature one beat of `shape` every 0.8 s, calling `onBeat(r)` once the ring holds 0.4 s after each R. */
function feed(
  feature: QrsFeature,
  shape: (t: number) => number,
  beats: number,
  onBeat: (r: number) => void,
): void {
  const start = feature.sampleIndex + 1;
  const period = Math.round(0.8 * FS);
  const frame = new Float64Array(1);
  for (let k = 0; k < beats; k++) {
    const r = start + k * period + Math.round(0.4 * FS);
    for (let n = start + k * period; n < start + (k + 1) * period; n++) {
      frame[0] = shape((n - r) / FS);
      feature.step(frame);
    }
    onBeat(r);
  }
}

describe('Pearson correlation', () => {
  it('is 1 for a scaled and shifted copy, −1 for an inverted one, 0 for a flat signal', () => {
    const a = Float64Array.from([0, 1, 3, 1, 0, -1]);
    const scaled = Float64Array.from(a, (x) => 2 * x + 5);
    const inverted = Float64Array.from(a, (x) => -x);
    expect(correlation(a, scaled)).toBeCloseTo(1, 12);
    expect(correlation(a, inverted)).toBeCloseTo(-1, 12);
    expect(correlation(a, new Float64Array(6).fill(3))).toBe(0);
  });
});

describe('the QRS template', () => {
  it('is used only after 8 beats, then matches the same shape and not another', () => {
    const feature = new QrsFeature(FS);
    const template = new QrsTemplate(feature);
    let last = -1;
    feed(feature, NARROW, 7, (r) => {
      template.learn(r);
      last = r;
    });
    expect(template.ready).toBe(false);
    expect(template.match(last)).toBe(0);
    feed(feature, NARROW, 1, (r) => template.learn(r));
    expect(template.ready).toBe(true);
    feed(feature, NARROW, 1, (r) => (last = r));
    expect(template.match(last)).toBeGreaterThan(0.99);
    // a mark a few ms off still matches (the best alignment within ±8 ms)
    expect(template.match(last + 2)).toBeGreaterThan(0.99);
    feed(feature, WIDE, 1, (r) => (last = r));
    expect(template.match(last)).toBeLessThan(0.7);
  });

  it('prefers the earlier of two peaks only when it matches and the larger one does not', () => {
    const feature = new QrsFeature(FS);
    const template = new QrsTemplate(feature);
    feed(feature, NARROW, 8, (r) => template.learn(r));
    let [qrs, other] = [-1, -1];
    feed(feature, NARROW, 1, (r) => (qrs = r));
    feed(feature, WIDE, 1, (r) => (other = r));
    // a QRS (the earlier peak) and an artefact of another shape (the larger one)
    expect(template.prefersEarlier(qrs, other)).toBe(true);
    // when the larger peak matches the template it is the QRS
    expect(template.prefersEarlier(other, qrs)).toBe(false);
    expect(template.prefersEarlier(qrs, qrs)).toBe(false);
  });

  it("keeps the last beat's complex, whatever its shape: the same complex repeats it, another does not", () => {
    const feature = new QrsFeature(FS);
    const template = new QrsTemplate(feature);
    let [first, second, third] = [-1, -1, -1];
    expect(template.repeatsLast(0)).toBe(false); // no beat yet
    feed(feature, WIDE, 1, (r) => (first = r));
    template.rememberLast(first);
    feed(feature, WIDE, 1, (r) => (second = r));
    feed(feature, NARROW, 1, (r) => (third = r));
    // no template is needed: a ventricular couplet may come before 8 clear beats
    expect(template.ready).toBe(false);
    expect(template.repeatsLast(second)).toBe(true);
    expect(template.repeatsLast(third)).toBe(false);
  });

  it('does not learn an odd beat, and learns afresh after 8 clear beats of a new shape in a row', () => {
    const feature = new QrsFeature(FS);
    const template = new QrsTemplate(feature);
    feed(feature, NARROW, 8, (r) => template.learn(r));
    feed(feature, WIDE, 1, (r) => template.learn(r));
    let last = -1;
    feed(feature, NARROW, 1, (r) => (last = r));
    expect(template.match(last)).toBeGreaterThan(0.99);
    // the QRS changed (a bundle-branch block came on): 8 misses, then 8 beats learned afresh
    feed(feature, WIDE, 8, (r) => template.learn(r));
    expect(template.ready).toBe(false);
    feed(feature, WIDE, 8, (r) => template.learn(r));
    feed(feature, WIDE, 1, (r) => (last = r));
    expect(template.match(last)).toBeGreaterThan(0.99);
  });
});
