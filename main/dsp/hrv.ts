/**
 * Time-domain heart-rate variability over normal-to-normal (NN) intervals only (Task Force of the ESC
 * and NASPE, Circulation 93:1043–1065, 1996):
 * - an NN interval joins two consecutive beats that are both classed normal (`N`); an interval touching
 *   an ectopic (`V`, `S`), fusion (`F`) or unknown (`Q`) beat, or spanning a recording gap, is left out;
 * - and so is an interval more than {@link PLAUSIBLE_RATIO} times longer or shorter than the median of
 *   the normal-to-normal intervals around it ({@link PLAUSIBLE_NEIGHBOURS} each side): two normal beats
 *   that far apart are not consecutive sinus beats. A beat missed in between (signal loss, a QRS too
 *   small to detect) doubles the interval, a non-conducted (blocked) atrial premature beat lengthens it
 *   1.7–1.9 times (MIT-BIH 118), and an extra beat taken for normal splits one into two short ones,
 *   while sinus rhythm changes its cycle from beat to beat by far less. Left in, one such interval
 *   dominates RMSSD: 641 ms too high in a 5-min window of MIT-BIH 116, whose ECG is lost for 5–6 s
 *   twice (`npm run bench -- hrv`). The Task Force asks for NN intervals edited of such errors; sinus
 *   arrhythmia stays in. On the MIT-BIH annotations (123 5-min windows) the rule changed RMSSD in 9:
 *   pauses after blocked atrial beats (118), intervals across noise the annotators left unlabelled
 *   (101, 105), and two long single cycles (108 at 1185 s, 1.57 × the median; 113 at 713 s, 1.67 ×);
 * - SDNN = sample standard deviation (n − 1) of the NN intervals, ms;
 * - RMSSD = √mean((NNᵢ₊₁ − NNᵢ)²) over *successive* NN pairs (two NN intervals sharing a beat), ms;
 * - NN50 = number of successive differences with |ΔNN| > 50 ms;
 *   **pNN50 = NN50 / number of successive differences × 100 %** (the "of successive differences"
 *   definition, not "of NN intervals").
 * Values are withheld (null, with a reason) with fewer than {@link MIN_NN_INTERVALS} NN intervals.
 * Short recordings (< 5 min) are not comparable with 5-min or 24-h norms; callers should say so.
 */
import { median } from './stats.js';

/**
 * Class of a beat in the beats stream (AAMI EC57): N normal, V ventricular ectopic, S
 * supraventricular ectopic, F fusion, Q unknown.
 */
export type BeatClass = 'N' | 'V' | 'S' | 'F' | 'Q';

/** A beat: time in ms (any common origin) and class. */
export interface TimedBeat {
  readonly timeMs: number;
  readonly beatClass: BeatClass;
}

/** HRV figures, or null with the reason they are withheld. */
export type HrvResult =
  | {
      readonly nnCount: number;
      readonly meanNnMs: number;
      readonly sdnnMs: number;
      readonly rmssdMs: number;
      readonly nn50: number;
      readonly successiveDifferences: number;
      readonly pnn50Pct: number;
    }
  | { readonly withheld: 'too-few-nn-intervals'; readonly nnCount: number };

/** Fewest NN intervals for which HRV is reported. */
export const MIN_NN_INTERVALS = 10;

/**
 * NN intervals grouped in runs of successive intervals (a run breaks at any non-N beat or gap).
 * @param gapsMs recording gaps as [startMs, endMs) — an interval overlapping one is dropped.
 */
export function nnRuns(
  beats: readonly TimedBeat[],
  gapsMs: readonly (readonly [number, number])[] = [],
): number[][] {
  // the interval after each beat between two normal beats (NaN: none), then the plausible ones in runs
  const intervals = new Float64Array(Math.max(0, beats.length - 1));
  for (let i = 1; i < beats.length; i++) {
    const a = beats[i - 1]!;
    const b = beats[i]!;
    const inGap = gapsMs.some(([s, e]) => a.timeMs < e && b.timeMs > s);
    const normal = a.beatClass === 'N' && b.beatClass === 'N' && !inGap && b.timeMs > a.timeMs;
    intervals[i - 1] = normal ? b.timeMs - a.timeMs : NaN;
  }
  const runs: number[][] = [];
  let current: number[] = [];
  intervals.forEach((interval, i) => {
    if (!Number.isNaN(interval) && plausible(intervals, i)) {
      current.push(interval);
    } else if (current.length > 0) {
      runs.push(current);
      current = [];
    }
  });
  if (current.length > 0) runs.push(current);
  return runs;
}

/** An NN interval is compared with the median of the nearest this many normal-to-normal intervals each side (and itself). */
const PLAUSIBLE_NEIGHBOURS = 5;
/** …and left out when more than this many times longer or shorter than it. */
const PLAUSIBLE_RATIO = 1.5;

/**
 * Is normal-to-normal interval `i` within {@link PLAUSIBLE_RATIO} of the median of itself and the
 * nearest {@link PLAUSIBLE_NEIGHBOURS} normal-to-normal intervals on each side (NaN entries, where
 * an ectopic or unknown beat or a gap broke the sequence, are skipped)?
 */
function plausible(intervals: Float64Array, i: number): boolean {
  const around = [intervals[i]!];
  for (const step of [-1, 1]) {
    let found = 0;
    for (let k = i + step; k >= 0 && k < intervals.length && found < PLAUSIBLE_NEIGHBOURS; k += step) {
      if (Number.isNaN(intervals[k]!)) continue;
      around.push(intervals[k]!);
      found++;
    }
  }
  const typical = median(around);
  const interval = intervals[i]!;
  return interval <= PLAUSIBLE_RATIO * typical && PLAUSIBLE_RATIO * interval >= typical;
}

/** HRV from runs of NN intervals (ms), e.g. from {@link nnRuns}. */
export function hrvFromNnRuns(runs: readonly (readonly number[])[]): HrvResult {
  const all = runs.flat();
  if (all.length < MIN_NN_INTERVALS) return { withheld: 'too-few-nn-intervals', nnCount: all.length };
  const mean = all.reduce((s, v) => s + v, 0) / all.length;
  const sdnn = Math.sqrt(all.reduce((s, v) => s + (v - mean) ** 2, 0) / (all.length - 1));
  let sumSquares = 0;
  let differences = 0;
  let nn50 = 0;
  for (const run of runs) {
    for (let i = 1; i < run.length; i++) {
      const d = run[i]! - run[i - 1]!;
      sumSquares += d * d;
      differences++;
      if (Math.abs(d) > 50) nn50++;
    }
  }
  if (differences === 0) return { withheld: 'too-few-nn-intervals', nnCount: all.length };
  return {
    nnCount: all.length,
    meanNnMs: mean,
    sdnnMs: sdnn,
    rmssdMs: Math.sqrt(sumSquares / differences),
    nn50,
    successiveDifferences: differences,
    pnn50Pct: (100 * nn50) / differences,
  };
}

/** HRV of a beats stream (NN intervals only). */
export function computeHrv(
  beats: readonly TimedBeat[],
  gapsMs: readonly (readonly [number, number])[] = [],
): HrvResult {
  return hrvFromNnRuns(nnRuns(beats, gapsMs));
}

/** Short-term HRV window (Task Force 1996: 5-minute recordings for short-term SDNN and RMSSD). */
export const SHORT_TERM_WINDOW_MS = 300_000;

/** HRV over a labelled window: the figures and the span of beats they were computed over. */
export type WindowedHrv = HrvResult & {
  /** Span actually covered (first to last beat used), ms — shorter than asked early in a recording. */
  readonly windowMs: number;
  /** Whether the span reached the requested window (comparable with 5-min norms). */
  readonly fullWindow: boolean;
};

/**
 * HRV over the last `windowMs` (default 5 minutes) ending at the last beat, as short-term HRV
 * standards define it (Task Force of the ESC and NASPE 1996: SDNN and RMSSD of 5-min
 * recordings); the output names the span used, so a shorter one is never mistaken for 5 minutes.
 */
export function computeHrvWindow(
  beats: readonly TimedBeat[],
  windowMs: number = SHORT_TERM_WINDOW_MS,
  gapsMs: readonly (readonly [number, number])[] = [],
): WindowedHrv {
  const last = beats[beats.length - 1];
  if (last === undefined) return { ...hrvFromNnRuns([]), windowMs: 0, fullWindow: false };
  const from = last.timeMs - windowMs;
  let first = beats.findIndex((b) => b.timeMs >= from);
  if (first < 0) first = beats.length - 1;
  const used = beats.slice(first);
  const spanMs = last.timeMs - used[0]!.timeMs;
  return { ...computeHrv(used, gapsMs), windowMs: spanMs, fullWindow: spanMs >= 0.98 * windowMs };
}
