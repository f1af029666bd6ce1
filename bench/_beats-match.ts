/**
 * The one beat matcher of the beat-class benchmarks (`beats` on recorded data and
 * `beats --synthetic`): ANSI/AAMI EC57 beat-by-beat comparison as `../shared/data/README.md`
 * states it and PhysioNet's `bxb` does it.
 *
 * Rule: reference beats are taken in time order; each is paired with the **nearest detection
 * not yet paired** that lies within ±{@link MATCH_WINDOW_S} (150 ms) of it, or with none (a
 * missed beat). A detection pairs with at most one reference beat; detections left unpaired
 * are extra beats (no reference beat there). In the confusion matrix ({@link confusion}) an
 * unpaired reference beat goes to column `-` and an unpaired detection to row `-`.
 *
 * A class's Se is over every reference beat of the class, missed ones included. Its +P is over
 * every detection given the class, extra ones (row `-`) included, except the pairs EC57 does
 * not count as errors ({@link NOT_FALSE}): a fusion beat or an unclassifiable one called V
 * (a fusion beat is partly ventricular), an unclassifiable one called S. These are bxb's
 * `VFP = Nv + Sv + Ov + Xv` and `SFP = Ns + Vs + Fs + Os + Xs` (`bemoody/wfdb` app/bxb.c,
 * `print_results`); a shutdown (X) does not arise here.
 */
import type { BeatClass } from '../main/dsp/hrv.js';
import { MATCH_WINDOW_S } from './_scoring.js';

/** A beat with its class: a reference annotation or a detection. */
export interface ClassedBeat {
  readonly sample: number;
  readonly cls: BeatClass;
}

/** AAMI EC57 class of each MIT-BIH beat annotation symbol. */
const AAMI: Readonly<Record<string, BeatClass>> = {
  N: 'N',
  L: 'N',
  R: 'N',
  e: 'N',
  j: 'N',
  B: 'N',
  n: 'N',
  A: 'S',
  a: 'S',
  J: 'S',
  S: 'S',
  V: 'V',
  E: 'V',
  r: 'V',
  F: 'F',
  '/': 'Q',
  f: 'Q',
  Q: 'Q',
  '?': 'Q',
};

/** The AAMI EC57 class of a reference beat annotated `symbol` (Q for any other). */
export function referenceClass(symbol: string): BeatClass {
  return AAMI[symbol] ?? 'Q';
}

/** The five AAMI EC57 classes, in the matrix's order. */
export const CLASSES = ['N', 'S', 'V', 'F', 'Q'] as const;

/** The matrix's rows and columns: the classes, then `-` (no beat: missed, or a detection with no beat there). */
export const MATRIX_KEYS = [...CLASSES, '-'] as const;

/** Confusion counts: matrix[reference][detected], with '-' for no beat. */
export type Matrix = Record<string, Record<string, number>>;

/**
 * For each reference beat (ascending samples), the index of the detection (ascending) paired
 * with it, −1 when none: the nearest detection not yet paired within ±`windowSamples`.
 */
export function matchBeats(
  reference: ArrayLike<number>,
  detected: ArrayLike<number>,
  windowSamples: number,
): Int32Array {
  const pairs = new Int32Array(reference.length).fill(-1);
  const used = new Uint8Array(detected.length);
  let d = 0;
  for (let i = 0; i < reference.length; i++) {
    const ref = reference[i]!;
    while (d < detected.length && detected[d]! < ref - windowSamples) d++;
    let best = -1;
    for (let k = d; k < detected.length && detected[k]! <= ref + windowSamples; k++) {
      if (used[k] === 1) continue;
      if (best < 0 || Math.abs(detected[k]! - ref) < Math.abs(detected[best]! - ref)) best = k;
    }
    if (best >= 0) {
      used[best] = 1;
      pairs[i] = best;
    }
  }
  return pairs;
}

/** An all-zero matrix over the classes and '-'. */
export function emptyMatrix(): Matrix {
  const m: Matrix = {};
  for (const r of MATRIX_KEYS) {
    m[r] = {};
    for (const d of MATRIX_KEYS) m[r][d] = 0;
  }
  return m;
}

/** Adds `from` into `into`. */
export function addInto(into: Matrix, from: Matrix): void {
  for (const r of Object.keys(from)) for (const d of Object.keys(from[r]!)) into[r]![d]! += from[r]![d]!;
}

/** The confusion matrix of one record's detections against its reference, by {@link matchBeats}. */
export function confusion(
  reference: readonly ClassedBeat[],
  detected: readonly ClassedBeat[],
  sampleRateHz: number,
): Matrix {
  const m = emptyMatrix();
  const pairs = matchBeats(
    reference.map((b) => b.sample),
    detected.map((b) => b.sample),
    MATCH_WINDOW_S * sampleRateHz,
  );
  const used = new Uint8Array(detected.length);
  reference.forEach((ref, i) => {
    const k = pairs[i]!;
    if (k >= 0) used[k] = 1;
    m[ref.cls]![k < 0 ? '-' : detected[k]!.cls]!++;
  });
  detected.forEach((det, k) => {
    if (used[k] === 0) m['-']![det.cls]!++;
  });
  return m;
}

/** Se of class `c`, %: reference beats of the class given it, over all of them (NaN if none). */
export function sePct(m: Matrix, c: string): number {
  let total = 0;
  for (const d of Object.keys(m[c]!)) total += m[c]![d]!;
  return total === 0 ? NaN : (100 * m[c]![c]!) / total;
}

/**
 * Reference classes whose beats given class `c` are not false `c` beats under EC57 (bxb's VEB
 * and SVEB +P): F and Q called V, Q called S.
 */
const NOT_FALSE: Readonly<Partial<Record<string, readonly string[]>>> = { V: ['F', 'Q'], S: ['Q'] };

/**
 * +P of class `c`, %: detections given the class that are of it, over all detections given it
 * (extra ones included) but the pairs EC57 does not count ({@link NOT_FALSE}); NaN if none.
 */
export function ppvPct(m: Matrix, c: string): number {
  const notFalse = NOT_FALSE[c] ?? [];
  let total = 0;
  for (const r of MATRIX_KEYS) if (!notFalse.includes(r)) total += m[r]![c]!;
  return total === 0 ? NaN : (100 * m[c]![c]!) / total;
}
