import { describe, expect, it } from 'vitest';
import { convertSampleIndex, resample, resampledLength, ResampleError } from '../../../main/dsp/resample.js';

function sine(frequencyHz: number, sampleRateHz: number, seconds: number): Float64Array {
  return Float64Array.from({ length: Math.round(seconds * sampleRateHz) }, (_, i) =>
    Math.sin((2 * Math.PI * frequencyHz * i) / sampleRateHz),
  );
}

function maxAbs(x: Float64Array, from: number, to: number): number {
  let m = 0;
  for (let i = from; i < to; i++) m = Math.max(m, Math.abs(x[i]!));
  return m;
}

describe('resample', () => {
  it.each([
    [360, 80, 10],
    [360, 128, 20],
    [360, 250, 30],
    [500, 128, 25],
    [128, 500, 25],
    [80, 1000, 15],
    [1000, 360, 50],
  ])('%d Hz → %d Hz keeps a %d Hz sine in amplitude and phase', (from, to, f) => {
    const y = resample(sine(f, from, 4), from, to);
    const expected = sine(f, to, 4);
    let maxError = 0;
    for (let i = to; i < y.length - to; i++) maxError = Math.max(maxError, Math.abs(y[i]! - expected[i]!));
    expect(maxError).toBeLessThan(0.005);
  });

  it('rejects what would alias: 60 Hz mains at 360 Hz is gone at 80 Hz (> 60 dB)', () => {
    const y = resample(sine(60, 360, 4), 360, 80);
    expect(maxAbs(y, 80, y.length - 80)).toBeLessThan(1e-3);
  });

  it('keeps a narrow pulse on its sample time (no delay)', () => {
    const x = new Float64Array(3600);
    for (let i = 0; i < x.length; i++) x[i] = Math.exp(-(((i - 1800) / 5) ** 2) / 2);
    const y = resample(x, 360, 128);
    let best = 0;
    for (let i = 1; i < y.length; i++) if (y[i]! > y[best]!) best = i;
    expect(best).toBe(convertSampleIndex(1800, 360, 128));
  });

  it('has the stated output length, handles non-rational rates and rejects bad ones', () => {
    expect(resampledLength(650000, 360, 128)).toBe(231111);
    expect(resample(new Float64Array(361), 360, 80).length).toBe(81);
    const y = resample(sine(5, 250, 2), 250, 127.3);
    expect(y.length).toBe(resampledLength(500, 250, 127.3));
    expect(() => resample([1, 2], 0, 80)).toThrow(ResampleError);
  });
});
