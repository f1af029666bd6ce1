import { describe, expect, it } from 'vitest';
import { pasteStandstill } from '../../../main/dsp/synthetic-standstill.js';

const FS = 250;

/** A schematic ECG: P (0.15 mV) 0.17 s before each R, QRS spike (1 mV), T (0.3 mV) 0.3 s after. */
function schematic(beats: number[], length: number): Float64Array {
  const x = new Float64Array(length);
  const bump = (centre: number, sigmaS: number, height: number): void => {
    for (let i = 0; i < length; i++)
      x[i] = x[i]! + height * Math.exp(-(((i - centre) / (sigmaS * FS)) ** 2) / 2);
  };
  for (const r of beats) {
    bump(r - 0.17 * FS, 0.025, 150);
    bump(r, 0.008, 1000);
    bump(r + 0.3 * FS, 0.05, 300);
  }
  return x;
}

describe('pasteStandstill', () => {
  const beats = Array.from({ length: 30 }, (_, k) => Math.round((1 + k) * FS));
  const length = Math.round(32 * FS);

  it('stops the QRS complexes from the end of a T wave to a later P wave, P waves going on at the cycle', () => {
    const x = schematic(beats, length);
    const span = pasteStandstill([x], beats, FS, 5, { seconds: 6, pWaves: true })!;
    expect(span.startSample).toBe(beats[5]! + Math.round(0.45 * FS));
    expect(span.endSample).toBe(beats[span.afterBeat]! - Math.round(0.25 * FS) - 1);
    expect(span.endSample - span.startSample + 1).toBeGreaterThanOrEqual(6 * FS);
    const inside = x.subarray(span.startSample, span.endSample + 1);
    // no QRS nor T inside; the P waves at their height, one per cycle, where the sinus node puts them
    expect(Math.max(...inside)).toBeGreaterThan(140);
    expect(Math.max(...inside)).toBeLessThan(160);
    const peaks: number[] = [];
    for (let i = 1; i + 1 < inside.length; i++)
      if (inside[i]! > 100 && inside[i]! >= inside[i - 1]! && inside[i]! > inside[i + 1]!)
        peaks.push(span.startSample + i);
    expect(peaks.length).toBe(span.afterBeat - span.beforeBeat - 1);
    for (const p of peaks) expect(Math.abs(((p - beats[5]!) % FS) - 0.83 * FS)).toBeLessThanOrEqual(2);
    // continuous where the record stops and resumes
    expect(Math.abs(x[span.startSample]! - x[span.startSample - 1]!)).toBeLessThan(5);
    expect(Math.abs(x[span.endSample + 1]! - x[span.endSample]!)).toBeLessThan(5);
  });

  it('leaves only the diastole in a sinus arrest', () => {
    const x = schematic(beats, length);
    const span = pasteStandstill([x], beats, FS, 5, { seconds: 6, pWaves: false })!;
    expect(Math.max(...x.subarray(span.startSample, span.endSample + 1).map(Math.abs))).toBeLessThan(20);
  });

  it('declines a beat whose cycle is outside 0.6-1.5 s, or with no beat to resume with', () => {
    const x = schematic(beats, length);
    const fast = beats.map((b, k) => (k > 10 ? b - Math.round(0.5 * FS) : b));
    expect(pasteStandstill([x], fast, FS, 10, { seconds: 4, pWaves: true })).toBeUndefined();
    expect(pasteStandstill([x], beats, FS, 25, { seconds: 6, pWaves: true })).toBeUndefined();
  });
});
