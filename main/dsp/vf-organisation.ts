/**
 * Organised ventricular complexes in a window: the veto that keeps wide-complex beating rhythms
 * (atrial fibrillation with bundle-branch block, fast ventricular tachycardia, aberrant beats)
 * from being called ventricular flutter/fibrillation (VF). A wide QRS is nearly sinusoidal, so
 * those rhythms pass the spectral and leakage criteria of vf-features.ts; what tells them apart is
 * physiology: a beating rhythm repeats **the same complex** (one activation sequence through the
 * ventricles) and between complexes the ventricles are at rest, so the lead returns to a **quiet
 * baseline** (isoelectric, or only atrial f waves); VF waves change shape from wave to wave and
 * never rest. Ventricular flutter is regular and same-shaped too, but a sinusoid with no baseline
 * between its waves, so the veto demands both: pairs of consecutive same-shaped complexes with a
 * quiet stretch between them. This is the "baseline content" idea of the shockable-rhythm
 * literature (Irusta et al.'s bWT, Resuscitation 2012; Jekova's count features, Physiol Meas
 * 2007, measure how long a lead stays near zero, low in VF) joined to beat-to-beat morphology
 * agreement (template correlation, as beat classifiers use it).
 *
 * - **Complexes**: runs of |x| ≥ {@link COMPLEX_SHARE} of the window's 98th-percentile |x| (the
 *   reference), merged across gaps under {@link MERGE_S} (a notched QRS and its T are one
 *   complex; a sinusoid of ≥ 3 Hz dips under half its peak for < 60 ms, so its waves merge into
 *   one long run); failing a beating rhythm there, again at half that reference ({@link organisation}).
 *   Complexes cut by the window's edges are left out.
 * - **Same shape**: two complexes whose segments from {@link SEGMENT_BEFORE_S} before to
 *   {@link SEGMENT_AFTER_S} after their onsets (depolarisation and early repolarisation) correlate
 *   ≥ {@link SAME_SHAPE_R} at the best shift within ±{@link SHIFT_S}, with peak sizes within a
 *   ratio of {@link MAX_SIZE_RATIO}. The long segment matters: over a short one any two smooth
 *   VF waves look alike (on `bench vf`'s synthetic fibrillation 41 % of neighbouring waves reach
 *   r ≥ 0.9 over 120 ms, 6 % over 280 ms; AF+LBBB beats 61 % and 82 %).
 * - **Quiet baseline**: between two consecutive complexes of the commonest shape a run of
 *   ≥ {@link QUIET_S} with |x| < {@link QUIET_SHARE} of the reference. A sinusoid stays under
 *   25 % of its peak for 0.08/f s at each zero crossing (27 ms at 3 Hz), a third of it.
 * - **Organised**: at least {@link MIN_QUIET_PAIRS} such pair, at least {@link MIN_SAME_SHARE}
 *   of the complexes of the commonest shape (so a window half sinus, half VF, where VF waves
 *   outnumber the beats, is not organised), and one of them within {@link LAST_BEAT_S} of the
 *   window's end (the rhythm still beats; at VF onset only the older part shows beats).
 */

/** Share of the reference |x| (98th percentile) above which a sample belongs to a complex. */
export const COMPLEX_SHARE = 0.5;
/** Gaps shorter than this between above-threshold runs join them into one complex, s. */
export const MERGE_S = 0.12;
/** The compared segment starts this long before a complex's first large sample, s. */
export const SEGMENT_BEFORE_S = 0.04;
/** … and ends this long after it (QRS and the start of repolarisation), s. */
export const SEGMENT_AFTER_S = 0.24;
/** Largest shift tried when comparing two complexes, s. */
export const SHIFT_S = 0.025;
/** Rate at which complexes are compared (every n-th sample above it), Hz. */
export const COMPARE_RATE_HZ = 125;
/** Correlation at or above which two complexes have the same shape. */
export const SAME_SHAPE_R = 0.9;
/** Largest ratio of two same-shaped complexes' peak |x|. */
export const MAX_SIZE_RATIO = 1.3;
/** Share of the reference |x| under which the lead is at its baseline. */
export const QUIET_SHARE = 0.25;
/** Shortest quiet stretch that counts as a baseline between complexes, s. */
export const QUIET_S = 0.08;
/** Consecutive same-shaped pairs separated by a baseline that make a window organised. */
export const MIN_QUIET_PAIRS = 1;
/**
 * The last complex of the commonest shape must start within this long of the window's end, s:
 * a beating rhythm of ≥ 40/min has one every 1.5 s (the last 0.27 s of a window hold no whole
 * complex).
 */
export const LAST_BEAT_S = 1.6;
/** Share of the complexes that must have the shape of the commonest one. */
export const MIN_SAME_SHARE = 0.6;

/** What the veto found in a window. */
export interface Organisation {
  /** Complexes found (whole segment inside the window). */
  readonly complexes: number;
  /** Share of the complexes with the commonest shape, 0..1. */
  readonly sameShare: number;
  /** Consecutive pairs of commonest-shaped complexes with a quiet baseline between them. */
  readonly quietPairs: number;
  /** Whether the window shows an organised beating rhythm (the veto). */
  readonly organised: boolean;
}

interface Complex {
  readonly from: number;
  readonly to: number;
}

/** Value at fraction `p` of the sorted absolute values of `x`. */
function absPercentile(x: ArrayLike<number>, p: number): number {
  const sorted = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) sorted[i] = Math.abs(x[i]!);
  sorted.sort();
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Runs of |x| ≥ `threshold`, merged across gaps under `mergeGap` samples. */
function findComplexes(x: ArrayLike<number>, threshold: number, mergeGap: number): Complex[] {
  const out: Complex[] = [];
  let from = -1;
  let to = -1;
  for (let i = 0; i < x.length; i++) {
    if (Math.abs(x[i]!) < threshold) continue;
    if (from < 0 || i - to > mergeGap) {
      if (from >= 0) out.push({ from, to });
      from = i;
    }
    to = i;
  }
  if (from >= 0) out.push({ from, to });
  return out;
}

/**
 * Best Pearson correlation of the segments [a, a + length) and [b + s, b + s + length) over
 * shifts |s| ≤ `shift`, every `stride`-th sample and shift (the caller keeps every index inside
 * `x`).
 */
function shapeCorrelation(
  x: ArrayLike<number>,
  a: number,
  b: number,
  length: number,
  shift: number,
  stride: number,
): number {
  let best = -1;
  for (let s = -shift; s <= shift; s += stride) {
    let sa = 0;
    let sb = 0;
    let saa = 0;
    let sbb = 0;
    let sab = 0;
    let count = 0;
    for (let k = 0; k < length; k += stride) {
      const u = x[a + k]!;
      const v = x[b + s + k]!;
      sa += u;
      sb += v;
      saa += u * u;
      sbb += v * v;
      sab += u * v;
      count++;
    }
    const den = Math.sqrt((saa - (sa * sa) / count) * (sbb - (sb * sb) / count));
    if (den > 0) best = Math.max(best, (sab - (sa * sb) / count) / den);
  }
  return best;
}

/** Whether |x| stays under `level` for `run` samples somewhere in [from, to). */
function hasQuietRun(x: ArrayLike<number>, from: number, to: number, level: number, run: number): boolean {
  let length = 0;
  for (let i = from; i < to; i++) {
    length = Math.abs(x[i]!) < level ? length + 1 : 0;
    if (length >= run) return true;
  }
  return false;
}

/**
 * The organisation of window `x` (band-limited, mean removed) at `sampleRateHz`: judged against
 * the window's largest complexes (the reference, its 98th-percentile |x|), and when that finds no
 * beating rhythm, against half that reference. A few large complexes among smaller beats — a
 * salvo of wide ectopic beats in atrial fibrillation with bundle-branch block — set the reference
 * so high that the smaller beats stay under {@link COMPLEX_SHARE} of it: then only the large ones
 * are complexes, and once the last of them is over {@link LAST_BEAT_S} old the rhythm seemed to
 * have stopped beating although the smaller beats went on (`npm run bench -- vf`, imitators: AF
 * with LBBB and a five-beat wide salvo at 167/min in muscle noise, a false VF episode of 7 s at
 * 128 Hz). At half the reference the smaller beats are complexes too, and VF still shows none:
 * a 3-Hz sinusoid dips under a quarter of its peak for 27 ms at each crossing (under
 * {@link MERGE_S}, so its waves merge into long runs) and under an eighth for 13 ms (short of
 * {@link QUIET_S}); fibrillation swelling and fading five-fold is not organised either
 * (vf-imitators.test.ts), and `bench vf` finds its 37 synthetic episodes at every rate as before.
 */
export function organisation(x: ArrayLike<number>, sampleRateHz: number): Organisation {
  const reference = absPercentile(x, 0.98);
  const found = organisationAgainst(x, sampleRateHz, reference);
  if (found.organised) return found;
  const smaller = organisationAgainst(x, sampleRateHz, reference / 2);
  return smaller.organised ? smaller : found;
}

/** {@link organisation} with complexes and quiet baseline judged against `reference` |x|. */
function organisationAgainst(x: ArrayLike<number>, sampleRateHz: number, reference: number): Organisation {
  const none = { complexes: 0, sameShare: 0, quietPairs: 0, organised: false };
  if (!(reference > 0)) return none;
  const before = Math.round(SEGMENT_BEFORE_S * sampleRateHz);
  const length = Math.max(3, before + Math.round(SEGMENT_AFTER_S * sampleRateHz));
  const shift = Math.max(1, Math.round(SHIFT_S * sampleRateHz));
  // shapes are compared at about 125 Hz whatever the rate (the lead is low-passed at 30 Hz)
  const stride = Math.max(1, Math.floor(sampleRateHz / COMPARE_RATE_HZ));
  // complexes cut by the window's edges cannot be compared
  const complexes = findComplexes(x, COMPLEX_SHARE * reference, Math.round(MERGE_S * sampleRateHz)).filter(
    (c) => c.from - before - shift >= 0 && c.from - before + length + shift <= x.length,
  );
  const n = complexes.length;
  if (n < 3) return { ...none, complexes: n };
  const size = complexes.map((c) => {
    let peak = 0;
    for (let i = c.from - before; i < c.from - before + length; i++) peak = Math.max(peak, Math.abs(x[i]!));
    return peak;
  });
  const same: boolean[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => i === j));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const sized = Math.max(size[i]!, size[j]!) <= MAX_SIZE_RATIO * Math.min(size[i]!, size[j]!);
      const r = sized
        ? shapeCorrelation(x, complexes[i]!.from - before, complexes[j]!.from - before, length, shift, stride)
        : -1;
      same[i]![j] = same[j]![i] = r >= SAME_SHAPE_R;
    }
  }
  let template = 0;
  let members = 0;
  for (let i = 0; i < n; i++) {
    const count = same[i]!.filter(Boolean).length;
    if (count > members) {
      members = count;
      template = i;
    }
  }
  const quiet = QUIET_SHARE * reference;
  const run = Math.max(1, Math.round(QUIET_S * sampleRateHz));
  let quietPairs = 0;
  for (let k = 0; k + 1 < n; k++) {
    if (!same[template]![k] || !same[template]![k + 1]) continue;
    if (hasQuietRun(x, complexes[k]!.to + 1, complexes[k + 1]!.from, quiet, run)) quietPairs++;
  }
  const sameShare = members / n;
  // the rhythm must still beat at the window's end: at VF onset the older part of the window
  // still shows the beats, the recent part only fibrillation waves
  let last = n - 1;
  while (!same[template]![last]) last--;
  const beatingAtEnd = x.length - complexes[last]!.from <= LAST_BEAT_S * sampleRateHz;
  return {
    complexes: n,
    sameShare,
    quietPairs,
    organised: quietPairs >= MIN_QUIET_PAIRS && sameShare >= MIN_SAME_SHARE && beatingAtEnd,
  };
}
