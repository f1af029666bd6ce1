/**
 * Signal preparation for delineation (whole-record, zero-phase): baseline removal and low-pass.
 *
 * Kept inside the delineator so that measurement does not depend on the display filters' settings;
 * both steps are zero-phase so that onsets and offsets are not shifted in time.
 */

/**
 * Baseline estimate by the classic two-stage median filter (200 ms then 600 ms: de Chazal et al. 2004),
 * computed on 20 ms block means to stay fast at any rate, then linearly interpolated back to every sample.
 * @param signal samples (any unit).
 * @param sampleRateHz sampling rate, Hz (any rate ≥ 50 Hz works; lower rates use one sample per block).
 * @returns the baseline, same length and unit.
 */
export function estimateBaseline(signal: ArrayLike<number>, sampleRateHz: number): Float64Array {
  const n = signal.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  const block = Math.max(1, Math.round(0.02 * sampleRateHz));
  const blocks = Math.ceil(n / block);
  const means = new Float64Array(blocks);
  for (let b = 0; b < blocks; b++) {
    const start = b * block;
    const end = Math.min(n, start + block);
    let sum = 0;
    for (let i = start; i < end; i++) sum += signal[i]!;
    means[b] = sum / (end - start);
  }
  const blockRateHz = sampleRateHz / block;
  const stage1 = medianFilter(means, oddWidth(0.2 * blockRateHz));
  const stage2 = medianFilter(stage1, oddWidth(0.6 * blockRateHz));
  for (let i = 0; i < n; i++) {
    const pos = (i + 0.5) / block - 0.5;
    const b0 = Math.max(0, Math.min(blocks - 1, Math.floor(pos)));
    const b1 = Math.min(blocks - 1, b0 + 1);
    const frac = Math.max(0, Math.min(1, pos - b0));
    out[i] = stage2[b0]! * (1 - frac) + stage2[b1]! * frac;
  }
  return out;
}

function oddWidth(width: number): number {
  const w = Math.max(1, Math.round(width));
  return w % 2 === 1 ? w : w + 1;
}

/** Running median of odd width, edges handled by shrinking the window symmetrically-clamped. */
export function medianFilter(x: ArrayLike<number>, width: number): Float64Array {
  const n = x.length;
  const half = (width - 1) >> 1;
  const out = new Float64Array(n);
  const window: number[] = [];
  let lo = 0;
  let hi = -1;
  for (let i = 0; i < n; i++) {
    const wantLo = Math.max(0, i - half);
    const wantHi = Math.min(n - 1, i + half);
    while (hi < wantHi) insertSorted(window, x[++hi]!);
    while (lo < wantLo) removeSorted(window, x[lo++]!);
    const m = window.length;
    out[i] = m % 2 === 1 ? window[m >> 1]! : (window[m / 2 - 1]! + window[m / 2]!) / 2;
  }
  return out;
}

function lowerBound(sorted: number[], value: number): number {
  let a = 0;
  let b = sorted.length;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (sorted[mid]! < value) a = mid + 1;
    else b = mid;
  }
  return a;
}

function insertSorted(sorted: number[], value: number): void {
  sorted.splice(lowerBound(sorted, value), 0, value);
}

function removeSorted(sorted: number[], value: number): void {
  sorted.splice(lowerBound(sorted, value), 1);
}

/**
 * Zero-phase low-pass: a 2nd-order Butterworth biquad (bilinear transform, RBJ cookbook) run forward
 * and backward, so a 4th-order magnitude response with −6 dB at the cut-off and no delay.
 * When the cut-off is at or above 0.45 × the sampling rate the signal is returned unchanged (copy).
 * @param cutoffHz cut-off frequency, Hz.
 */
export function lowPassZeroPhase(
  signal: ArrayLike<number>,
  sampleRateHz: number,
  cutoffHz: number,
): Float64Array {
  const x = Float64Array.from(signal);
  if (cutoffHz >= 0.45 * sampleRateHz || x.length === 0) return x;
  const w0 = (2 * Math.PI * cutoffHz) / sampleRateHz;
  const alpha = Math.sin(w0) / Math.SQRT2;
  const cos = Math.cos(w0);
  const a0 = 1 + alpha;
  const b0 = (1 - cos) / 2 / a0;
  const b1 = (1 - cos) / a0;
  const a1 = (-2 * cos) / a0;
  const a2 = (1 - alpha) / a0;
  runBiquad(x, b0, b1, b0, a1, a2, false);
  runBiquad(x, b0, b1, b0, a1, a2, true);
  return x;
}

/** Direct form I in place; starts in the steady state of the first sample to avoid an edge transient. */
function runBiquad(
  x: Float64Array,
  b0: number,
  b1: number,
  b2: number,
  a1: number,
  a2: number,
  reverse: boolean,
): void {
  const n = x.length;
  const first = reverse ? x[n - 1]! : x[0]!;
  let x1 = first;
  let x2 = first;
  let y1 = first;
  let y2 = first;
  for (let k = 0; k < n; k++) {
    const i = reverse ? n - 1 - k : k;
    const xi = x[i]!;
    const yi = b0 * xi + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = xi;
    y2 = y1;
    y1 = yi;
    x[i] = yi;
  }
}

/** Central-difference derivative in units per second. */
export function derivative(x: ArrayLike<number>, sampleRateHz: number): Float64Array {
  const n = x.length;
  const d = new Float64Array(n);
  for (let i = 1; i < n - 1; i++) d[i] = ((x[i + 1]! - x[i - 1]!) * sampleRateHz) / 2;
  if (n > 1) {
    d[0] = d[1]!;
    d[n - 1] = d[n - 2]!;
  }
  return d;
}
