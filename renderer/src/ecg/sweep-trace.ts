/**
 * Builds the polyline of one lead in sweep mode (the classic monitor: the trace is written left
 * to right and wraps, with an erase bar just ahead of the newest sample). Many samples per pixel
 * are reduced to the min and max of each pixel column so QRS peaks survive decimation; fewer than
 * one sample per pixel keeps every sample as its own point. A missing sample (NaN) breaks the
 * line: gaps are drawn as gaps, never interpolated.
 */

/** Reads one sample of the lead; NaN when absent. */
export type SampleReader = (index: number) => number;

/** Reusable output: point k is (x[k], a[k]) then (x[k], b[k]); `breakBefore[k]` starts a new line. */
export interface TracePoints {
  x: Float32Array;
  a: Float32Array;
  b: Float32Array;
  breakBefore: Uint8Array;
  count: number;
}

/** Output buffers for strips up to `maxPoints` points (about 2 × width in px is plenty). */
export function createTracePoints(maxPoints: number): TracePoints {
  return {
    x: new Float32Array(maxPoints),
    a: new Float32Array(maxPoints),
    b: new Float32Array(maxPoints),
    breakBefore: new Uint8Array(maxPoints),
    count: 0,
  };
}

export interface SweepWindow {
  /** Newest sample index to show. */
  headIndex: number;
  /** Samples across the strip's width. */
  windowSamples: number;
  /** Samples blanked ahead of the head (the erase bar). */
  eraseSamples: number;
  widthPx: number;
}

/** x (px from the strip's left edge) of sample `index` in sweep mode. */
export function sweepX(index: number, windowSamplesCount: number, widthPx: number): number {
  const phase = ((index % windowSamplesCount) + windowSamplesCount) % windowSamplesCount;
  return (phase / windowSamplesCount) * widthPx;
}

/**
 * Fills `out` with the strip's points, oldest first, and returns the point count. Samples shown
 * are (head − windowSamples + eraseSamples, head]; the wrap at phase 0 starts a new line.
 */
export function buildSweepTrace(read: SampleReader, win: SweepWindow, out: TracePoints): number {
  const first = win.headIndex - win.windowSamples + Math.max(0, win.eraseSamples) + 1;
  let n = 0;
  let pendingBreak = true;
  let column = -1;
  for (let i = Math.max(0, first); i <= win.headIndex; i++) {
    const phase = i % win.windowSamples;
    if (phase === 0) pendingBreak = true;
    const v = read(i);
    if (Number.isNaN(v)) {
      pendingBreak = true;
      continue;
    }
    const x = (phase / win.windowSamples) * win.widthPx;
    const col = Math.floor(x);
    if (!pendingBreak && col === column && n > 0) {
      extend(out, n - 1, v);
      continue;
    }
    if (n >= out.x.length) break;
    out.x[n] = win.windowSamples > win.widthPx ? col : x;
    out.a[n] = v;
    out.b[n] = v;
    out.breakBefore[n] = pendingBreak ? 1 : 0;
    n++;
    pendingBreak = false;
    column = col;
  }
  out.count = n;
  return n;
}

/** Widens point k to include v, keeping a as the value nearer the previous point's end. */
function extend(out: TracePoints, k: number, v: number): void {
  const a = out.a[k] ?? v;
  const b = out.b[k] ?? v;
  const lo = Math.min(a, b, v);
  const hi = Math.max(a, b, v);
  const prevEnd = k > 0 && out.breakBefore[k] === 0 ? (out.b[k - 1] ?? a) : a;
  const loFirst = Math.abs(prevEnd - lo) <= Math.abs(prevEnd - hi);
  out.a[k] = loFirst ? lo : hi;
  out.b[k] = loFirst ? hi : lo;
}
