import { describe, expect, it } from 'vitest';
import { buildSweepTrace, createTracePoints, sweepX } from '../../../renderer/src/ecg/sweep-trace.js';

function points(out: ReturnType<typeof createTracePoints>) {
  return Array.from({ length: out.count }, (_, k) => ({
    x: out.x[k],
    a: out.a[k],
    b: out.b[k],
    brk: out.breakBefore[k] === 1,
  }));
}

describe('sweep mode trace', () => {
  it('places sample i at its phase within the window', () => {
    expect(sweepX(0, 100, 200)).toBe(0);
    expect(sweepX(50, 100, 200)).toBe(100);
    expect(sweepX(150, 100, 200)).toBe(100);
    expect(sweepX(199, 100, 200)).toBe(198);
  });

  it('keeps every sample as its own point when there are fewer samples than pixels', () => {
    const out = createTracePoints(100);
    const n = buildSweepTrace(
      (i) => i * 10,
      { headIndex: 9, windowSamples: 10, eraseSamples: 0, widthPx: 100 },
      out,
    );
    expect(n).toBe(10);
    expect(points(out).map((p) => p.x)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(points(out).filter((p) => p.brk)).toHaveLength(1);
  });

  it('reduces many samples per pixel to the min and max of each column, so a spike survives', () => {
    const out = createTracePoints(100);
    const read = (i: number) => (i === 537 ? 1500 : 0);
    buildSweepTrace(read, { headIndex: 999, windowSamples: 1000, eraseSamples: 0, widthPx: 100 }, out);
    expect(out.count).toBe(100);
    const spike = points(out).find((p) => Math.max(p.a ?? 0, p.b ?? 0) === 1500);
    expect(spike?.x).toBe(53);
  });

  it('breaks the line at a gap instead of joining across it', () => {
    const out = createTracePoints(100);
    const read = (i: number) => (i >= 4 && i < 7 ? NaN : 1);
    buildSweepTrace(read, { headIndex: 9, windowSamples: 10, eraseSamples: 0, widthPx: 100 }, out);
    const pts = points(out);
    expect(pts.map((p) => p.x)).toEqual([0, 10, 20, 30, 70, 80, 90]);
    expect(pts.map((p) => p.brk)).toEqual([true, false, false, false, true, false, false]);
  });

  it('blanks the erase bar ahead of the head and starts a new line at the wrap', () => {
    const out = createTracePoints(100);
    buildSweepTrace(() => 0, { headIndex: 14, windowSamples: 10, eraseSamples: 3, widthPx: 100 }, out);
    const pts = points(out);
    // shown: indices 8..14; 8,9 are before the wrap (x 80, 90), 10..14 after it (x 0..40)
    expect(pts.map((p) => p.x)).toEqual([80, 90, 0, 10, 20, 30, 40]);
    expect(pts.map((p) => p.brk)).toEqual([true, false, true, false, false, false, false]);
    expect(pts.some((p) => (p.x ?? 0) >= 50 && (p.x ?? 0) < 80)).toBe(false);
  });

  it('draws nothing before the first sample', () => {
    const out = createTracePoints(10);
    expect(
      buildSweepTrace(() => 1, { headIndex: -1, windowSamples: 10, eraseSamples: 0, widthPx: 100 }, out),
    ).toBe(0);
  });

  it('stops at the output capacity instead of overrunning', () => {
    const out = createTracePoints(5);
    expect(
      buildSweepTrace(() => 1, { headIndex: 99, windowSamples: 100, eraseSamples: 0, widthPx: 1000 }, out),
    ).toBe(5);
  });
});
