/**
 * Lattice detection (server-contract/codec/lattice.ts) finds the distinct values of a channel's head
 * by marking them rather than by sorting; the result must be exactly the sorted reference's (the
 * decoder checks every lattice against it), for heads narrow enough to mark and wide ones.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectLatticeScale } from '../../../server-contract/codec/lattice.js';

/** The detection as first written (sorting the head), kept here as the oracle. */
function referenceScale(x: Int32Array): number | undefined {
  const headLength = Math.min(x.length, 4096);
  for (let i = 1; i < headLength; i++) if (Math.abs(x[i]! - x[i - 1]!) === 1) return undefined;
  const head = x.slice(0, headLength).sort();
  const gaps: number[] = [];
  for (let i = 1; i < head.length; i++) if (head[i] !== head[i - 1]) gaps.push(head[i]! - head[i - 1]!);
  if (gaps.length + 1 < 16) return undefined;
  if (Math.min(...gaps) < 2) return undefined;
  const span = head[head.length - 1]! - head[0]!;
  let step = Math.min(...gaps);
  for (let iteration = 0; iteration < 4; iteration++) {
    let steps = 0;
    for (const gap of gaps) steps += Math.max(1, Math.round(gap / step));
    step = span / steps;
  }
  let lo = 2;
  let hi = Infinity;
  for (const v of x) {
    const k = Math.round(v / step);
    if (k === 0) {
      if (v !== 0) return undefined;
      continue;
    }
    lo = Math.max(lo, Math.min((v - 0.5) / k, (v + 0.5) / k));
    hi = Math.min(hi, Math.max((v - 0.5) / k, (v + 0.5) / k));
  }
  if (!(lo < hi) || hi === Infinity) return undefined;
  const scale = (lo + hi) / 2;
  return x.every((v) => Math.round(Math.round(v / scale) * scale) === v) ? scale : undefined;
}

/** Walks of integers (steps up to `maxStep`), converted by `scale` (1: native), plus an offset. */
const channelArb = fc
  .record({
    n: fc.integer({ min: 0, max: 5000 }),
    maxStep: fc.constantFrom(3, 40, 5000, 2_000_000),
    scale: fc.constantFrom(1, 2, 2.0971, 10.49, 37.5, 1000.3),
    offset: fc.constantFrom(0, 1, -70_000),
    seed: fc.nat(),
  })
  .map(({ n, maxStep, scale, offset, seed }) => {
    let s = seed >>> 0;
    let v = 0;
    return Int32Array.from({ length: n }, () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      v += (s % (2 * maxStep + 1)) - maxStep;
      return (Math.round(v * scale) + offset) | 0;
    });
  });

describe('lattice detection by marking distinct values', () => {
  it('gives exactly the sorted reference’s scale, narrow heads and wide', () => {
    let found = 0;
    fc.assert(
      fc.property(channelArb, (x) => {
        const scale = detectLatticeScale(x);
        expect(scale).toBe(referenceScale(x));
        if (scale !== undefined) found++;
      }),
      { numRuns: 300, seed: 5 },
    );
    // The runs must include lattices, or the comparison says little.
    expect(found).toBeGreaterThan(20);
  });
});
