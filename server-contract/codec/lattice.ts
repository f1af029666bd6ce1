/**
 * Lattice detection for channels converted from a coarser unit. Samples replayed from a recording
 * in other units (for example MIT-BIH, 5 µV per ADC unit, converted to ECG-12 counts of 0.477 µV:
 * x = round(adc × 10.49)) take only the values round(k × scale) for integers k. Coding k instead
 * of x removes log2(scale) bits of pure rounding pattern per sample that prediction cannot see.
 *
 * Detection is a deterministic function of the samples (so the decoder can check that a chunk uses
 * exactly the lattice the encoder would have chosen): estimate the step from the distinct values
 * of the first {@link LATTICE_HEAD_SAMPLES} samples, then intersect, over every sample, the
 * intervals of scales that reproduce it, take the midpoint and verify it exactly. Native device
 * counts have no lattice and cost one pass over the head.
 */

/** Samples looked at to estimate the step. */
export const LATTICE_HEAD_SAMPLES = 4096;
/** Smallest step used (below it the saving is small and the estimate unreliable). */
export const MIN_LATTICE_SCALE = 2;
const MIN_DISTINCT_VALUES = 16;

/** Widest value range whose distinct values are found by marking rather than by sorting. */
const MARKED_RANGE = 1 << 16;
/** Marks of the values present, all zero between calls. */
const marks = new Uint8Array(MARKED_RANGE);

/**
 * The distinct values among x[0 … length − 1], ascending. A head of real signal spans a few
 * thousand counts, and marking each value then walking the range costs a few µs where sorting
 * 4096 samples costs ~80 µs; a head spanning more than MARKED_RANGE is sorted.
 */
function distinctAscending(x: Int32Array, length: number): number[] {
  let min = x[0] ?? 0;
  let max = min;
  for (let i = 1; i < length; i++) {
    const v = x[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const out: number[] = [];
  if (max - min < MARKED_RANGE) {
    for (let i = 0; i < length; i++) marks[x[i]! - min] = 1;
    for (let i = 0; i <= max - min; i++) {
      if (marks[i] === 1) {
        out.push(min + i);
        marks[i] = 0;
      }
    }
    return out;
  }
  const sorted = x.slice(0, length).sort();
  for (let i = 0; i < length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) out.push(sorted[i]!);
  return out;
}

/** Step estimate from the gaps between the distinct values of the head, or undefined. */
function estimateStep(x: Int32Array): number | undefined {
  const headLength = Math.min(x.length, LATTICE_HEAD_SAMPLES);
  // Fast exit for native counts: on a lattice of step ≥ 2, neighbours never differ by exactly 1
  // (round(a + m·s) − round(a) ≥ m·s − 1 > 1 for s > 2, and = 2m for s = 2), so this check never
  // changes the result, it only skips the search for distinct values.
  for (let i = 1; i < headLength; i++) {
    const d = x[i]! - x[i - 1]!;
    if (d === 1 || d === -1) return undefined;
  }
  const values = distinctAscending(x, headLength);
  const gaps: number[] = [];
  for (let i = 1; i < values.length; i++) gaps.push(values[i]! - values[i - 1]!);
  if (gaps.length + 1 < MIN_DISTINCT_VALUES) return undefined;
  const smallest = Math.min(...gaps);
  if (smallest < MIN_LATTICE_SCALE) return undefined;
  const span = values[values.length - 1]! - values[0]!;
  let step = smallest;
  for (let iteration = 0; iteration < 4; iteration++) {
    let steps = 0;
    for (const gap of gaps) steps += Math.max(1, Math.round(gap / step));
    step = span / steps;
  }
  return step;
}

/** The scale reproducing every sample as round(k × scale), refined from `step`, or undefined. */
function refineScale(x: Int32Array, step: number): number | undefined {
  let lo = MIN_LATTICE_SCALE;
  let hi = Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const k = Math.round(v / step);
    if (k === 0) {
      if (v !== 0) return undefined;
      continue;
    }
    const a = (v - 0.5) / k;
    const b = (v + 0.5) / k;
    lo = Math.max(lo, Math.min(a, b));
    hi = Math.min(hi, Math.max(a, b));
    // lo only grows and hi only shrinks: once empty, the intersection stays empty.
    if (!(lo < hi)) return undefined;
  }
  if (!(lo < hi) || hi === Infinity) return undefined;
  const scale = (lo + hi) / 2;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (Math.round(Math.round(v / scale) * scale) !== v) return undefined;
  }
  return scale;
}

/** The lattice scale of a channel (≥ MIN_LATTICE_SCALE), or undefined when it has none. */
export function detectLatticeScale(x: Int32Array): number | undefined {
  const step = estimateStep(x);
  return step === undefined ? undefined : refineScale(x, step);
}

/** Lattice indices k = round(x / scale) (exact inverse: {@link fromLattice}). */
export function toLattice(x: Int32Array, scale: number): Int32Array {
  const k = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) k[i] = Math.round(x[i]! / scale);
  return k;
}

/** Samples x = round(k × scale), wrapped to int32; `out` may be `k` itself (converted in place). */
export function fromLattice(k: Int32Array, scale: number, out?: Int32Array): Int32Array {
  const x = out ?? new Int32Array(k.length);
  for (let i = 0; i < k.length; i++) x[i] = Math.round(k[i]! * scale);
  return x;
}
