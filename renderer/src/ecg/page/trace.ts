/**
 * One trace's path: samples [from, to) of a lead placed at `x0 + (k − from) × pxPerSample`. Where
 * several samples share a pixel column the column keeps its first, lowest, highest and last
 * values in time order, so QRS peaks survive decimation and the line stays continuous; with less
 * than one sample per pixel every sample is its own point. NaN breaks the line (a gap stays a gap).
 */

/** Where a trace goes: horizontal placement and the µV → px mapping (y grows downwards). */
export interface TracePlacement {
  x0: number;
  pxPerSample: number;
  baselineY: number;
  /** Pixels per microvolt (gain × px/mm / 1000). */
  pxPerUv: number;
}

/** The path-building part of CanvasRenderingContext2D (what a trace needs). */
export type PathSink = Pick<CanvasRenderingContext2D, 'moveTo' | 'lineTo'>;

/**
 * Adds the trace of `samples[from..to)` to the current path of `sink`; returns the number of
 * points emitted (0 when the span holds no signal).
 */
export function traceSegment(
  sink: PathSink,
  samples: ArrayLike<number>,
  from: number,
  to: number,
  at: TracePlacement,
): number {
  const end = Math.min(to, samples.length);
  const decimate = at.pxPerSample < 1;
  let points = 0;
  let pendingBreak = true;
  let column = Number.NaN;
  let first = 0;
  let low = 0;
  let high = 0;
  let lowAt = 0;
  let highAt = 0;
  let last = 0;
  const y = (uv: number): number => at.baselineY - uv * at.pxPerUv;
  const flush = (): void => {
    if (Number.isNaN(column)) return;
    const x = column;
    if (pendingBreak) sink.moveTo(x, y(first));
    else sink.lineTo(x, y(first));
    const lowFirst = lowAt <= highAt;
    if (low !== high) {
      sink.lineTo(x, y(lowFirst ? low : high));
      sink.lineTo(x, y(lowFirst ? high : low));
    }
    if (last !== (lowFirst ? high : low)) sink.lineTo(x, y(last));
    points += 1;
    pendingBreak = false;
    column = Number.NaN;
  };
  for (let k = Math.max(0, from); k < end; k++) {
    const v = samples[k] ?? Number.NaN;
    if (Number.isNaN(v)) {
      flush();
      pendingBreak = true;
      continue;
    }
    const xExact = at.x0 + (k - from) * at.pxPerSample;
    if (!decimate) {
      if (pendingBreak) sink.moveTo(xExact, y(v));
      else sink.lineTo(xExact, y(v));
      pendingBreak = false;
      points += 1;
      continue;
    }
    const col = Math.floor(xExact) + 0.5;
    if (col !== column) {
      flush();
      column = col;
      first = v;
      low = v;
      high = v;
      lowAt = k;
      highAt = k;
    } else if (v < low) {
      low = v;
      lowAt = k;
    } else if (v > high) {
      high = v;
      highAt = k;
    }
    last = v;
  }
  flush();
  return points;
}
