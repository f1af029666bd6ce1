import { describe, expect, it } from 'vitest';
import { liveFilterBand } from '../../../main/dsp/filters-ecg.js';

describe('live display band printed on the trace', () => {
  it.each([
    [1000, 50, { highPassHz: 0.5, lowPassHz: 40, notchHz: 50 }],
    [500, 60, { highPassHz: 0.5, lowPassHz: 40, notchHz: 60 }],
    [250, 'off', { highPassHz: 0.5, lowPassHz: 40, notchHz: null }],
    // 80 Hz: the low-pass is lowered to 0.45 × rate and mains is above Nyquist, so no notch
    [80, 50, { highPassHz: 0.5, lowPassHz: 36, notchHz: null }],
  ] as const)('at %i Hz with mains %s is %o', (rateHz, mains, band) => {
    expect(liveFilterBand(rateHz, mains)).toEqual(band);
  });
});
