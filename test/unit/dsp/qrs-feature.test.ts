import { describe, expect, it } from 'vitest';
import { QrsFeature } from '../../../main/dsp/qrs-feature.js';

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
