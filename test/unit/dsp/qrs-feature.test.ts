import { describe, expect, it } from 'vitest';
import { QrsFeature } from '../../../main/dsp/qrs-feature.js';
import { complexHalfWidth } from '../../../main/dsp/qrs-refine.js';

/** Mean detection feature of a 1-mV sine at `hz` over its 3rd and 4th second (filters settled). */
function featureLevel(sampleRateHz: number, hz: number): number {
  const feature = new QrsFeature(sampleRateHz, 1);
  const frame = new Float64Array(1);
  let sum = 0;
  let count = 0;
  for (let i = 0; i < 4 * sampleRateHz; i++) {
    frame[0] = 1000 * Math.sin((2 * Math.PI * hz * i) / sampleRateHz);
    feature.step(frame);
    if (i >= 2 * sampleRateHz) {
      sum += feature.feature;
      count++;
    }
  }
  return sum / count;
}

/** Power of the feature at `hz` relative to 10 Hz (the QRS's band), dB. */
const relativeDb = (fs: number, hz: number): number =>
  10 * Math.log10(featureLevel(fs, hz) / featureLevel(fs, 10));

describe('QRS detection feature band', () => {
  it.each([250, 360, 500])(
    'keeps muscle noise and mains hum out of the feature at %d Hz (60 Hz ≥ 18 dB, 100 Hz ≥ 30 dB below 10 Hz)',
    (fs) => {
      // with the 5-15 Hz band-pass alone (second order) and the derivative, 60 Hz was only
      // 8.5-12 dB and 100 Hz 15-30 dB below 10 Hz; the 35-Hz muscle filter adds the rest
      expect(relativeDb(fs, 60)).toBeLessThanOrEqual(-18);
      expect(relativeDb(fs, 100)).toBeLessThanOrEqual(-30);
      // the QRS's own band stays: 20 Hz loses under 3 dB more than 10 Hz
      expect(relativeDb(fs, 20)).toBeGreaterThan(-3);
    },
  );
});

describe('half-height width of a complex (qrs-refine.ts complexHalfWidth)', () => {
  /** Feeds a Gaussian wave (µV, σ in s) at 1 s into a fresh feature and measures it 0.3 s later. */
  function widthOf(sampleRateHz: number, amplitude: number, sigmaS: number): number {
    const feature = new QrsFeature(sampleRateHz, 1);
    const frame = new Float64Array(1);
    const r = sampleRateHz;
    for (let i = 0; i <= r + Math.round(0.3 * sampleRateHz); i++) {
      frame[0] = amplitude * Math.exp(-(((i - r) / (sigmaS * sampleRateHz)) ** 2) / 2);
      feature.step(frame);
    }
    return complexHalfWidth(feature, r);
  }

  it.each([80, 250, 500])(
    'a P wave (a dome of σ 22 ms, 52 ms at half height) against an R wave (σ 8 ms, 19 ms) at %d Hz',
    (fs) => {
      // the 1-Hz high-pass takes a little of the dome's width, none of the R wave's
      const p = widthOf(fs, 200, 0.022);
      const r = widthOf(fs, 1000, 0.008);
      expect(p).toBeGreaterThan(0.04);
      expect(p).toBeLessThan(0.056);
      expect(r).toBeGreaterThan(0.014);
      expect(r).toBeLessThan(0.026);
    },
  );

  it('measures an inverted wave as an upright one', () => {
    expect(widthOf(250, -200, 0.022)).toBeCloseTo(widthOf(250, 200, 0.022), 6);
  });
});
