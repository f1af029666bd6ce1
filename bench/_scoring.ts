/**
 * Beat-by-beat scoring of a detector against reference annotations, as
 * `../shared/data/README.md` defines it (ANSI/AAMI EC57 practice): a detection matches a
 * reference beat within ±150 ms, each reference beat matches at most one detection. Under
 * EC57 rules (as `bxb`), reference beats and detections inside ventricular flutter/fibrillation
 * episodes (`[` … `]`) are left out ({@link flutterEpisodes}, {@link outsideSpans}); the
 * benchmarks print those figures and the whole-record ones.
 */
import { WFDB_BEAT_SYMBOLS, type WfdbAnnotation } from '../server-contract/formats/wfdb.js';

/** Match window of EC57 / PhysioNet bxb, seconds. */
export const MATCH_WINDOW_S = 0.15;

/** Outcome of scoring one record (or a sum of records). */
export interface BeatScore {
  tp: number;
  fp: number;
  fn: number;
  /** Detection − reference for every match, ms (positive = detection late). */
  offsetsMs: number[];
}

/** Reference beat sample indexes: the annotations whose symbol is a beat. */
export function referenceBeats(annotations: readonly WfdbAnnotation[]): number[] {
  return annotations.filter((a) => WFDB_BEAT_SYMBOLS.has(a.symbol)).map((a) => a.sample);
}

/** A stretch of samples, [startSample, endSample] inclusive. */
export interface SampleSpan {
  readonly startSample: number;
  readonly endSample: number;
}

/**
 * Ventricular flutter/fibrillation episodes of a reference: from each `[` to the next `]`
 * (an unclosed `[` runs to `recordLength`), as PhysioNet's `bxb` reads them.
 */
export function flutterEpisodes(annotations: readonly WfdbAnnotation[], recordLength: number): SampleSpan[] {
  const spans: SampleSpan[] = [];
  let open = -1;
  for (const a of annotations) {
    if (a.symbol === '[' && open < 0) open = a.sample;
    else if (a.symbol === ']' && open >= 0) {
      spans.push({ startSample: open, endSample: a.sample });
      open = -1;
    }
  }
  if (open >= 0) spans.push({ startSample: open, endSample: recordLength });
  return spans;
}

/** The samples (sorted) that lie outside every span — EC57 beat scoring leaves VF episodes out. */
export function outsideSpans(samples: ArrayLike<number>, spans: readonly SampleSpan[]): number[] {
  const out: number[] = [];
  let k = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    while (k < spans.length && spans[k]!.endSample < s) k++;
    const span = spans[k];
    if (span === undefined || s < span.startSample) out.push(s);
  }
  return out;
}

/**
 * Matches sorted detections to sorted reference beats. Each reference beat takes the
 * nearest unused detection within the window; a detection nearer to the next reference
 * beat is left for it.
 */
export function scoreBeats(
  reference: ArrayLike<number>,
  detections: ArrayLike<number>,
  sampleRateHz: number,
  windowS = MATCH_WINDOW_S,
): BeatScore {
  const window = windowS * sampleRateHz;
  const offsetsMs: number[] = [];
  let tp = 0;
  let d = 0;
  for (let r = 0; r < reference.length; r++) {
    const ref = reference[r]!;
    while (d < detections.length && detections[d]! < ref - window) d++;
    let best = -1;
    for (let k = d; k < detections.length && detections[k]! <= ref + window; k++) {
      if (best < 0 || Math.abs(detections[k]! - ref) < Math.abs(detections[best]! - ref)) best = k;
    }
    if (best < 0) continue;
    const next = reference[r + 1];
    if (next !== undefined && Math.abs(detections[best]! - next) < Math.abs(detections[best]! - ref)) {
      // the only close detection belongs to the next beat; look for another before it
      best = best > d && detections[best - 1]! >= ref - window ? best - 1 : -1;
      if (best < 0) continue;
    }
    tp++;
    offsetsMs.push(((detections[best]! - ref) * 1000) / sampleRateHz);
    d = best + 1;
  }
  return { tp, fp: detections.length - tp, fn: reference.length - tp, offsetsMs };
}

/** Sum of scores. */
export function addScores(scores: readonly BeatScore[]): BeatScore {
  return scores.reduce<BeatScore>(
    (sum, s) => ({
      tp: sum.tp + s.tp,
      fp: sum.fp + s.fp,
      fn: sum.fn + s.fn,
      offsetsMs: sum.offsetsMs.concat(s.offsetsMs),
    }),
    { tp: 0, fp: 0, fn: 0, offsetsMs: [] },
  );
}

/** Sensitivity Se = TP / (TP + FN), percent. */
export function sensitivityPct(s: BeatScore): number {
  return s.tp + s.fn === 0 ? 100 : (100 * s.tp) / (s.tp + s.fn);
}

/** Positive predictivity +P = TP / (TP + FP), percent. */
export function ppvPct(s: BeatScore): number {
  return s.tp + s.fp === 0 ? 100 : (100 * s.tp) / (s.tp + s.fp);
}

/** Median of a list (NaN when empty). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median absolute offset (ms). */
export function medianAbsOffsetMs(s: BeatScore): number {
  return median(s.offsetsMs.map(Math.abs));
}

/**
 * Matched beats marked more than `ms` from the reference: the mark on another wave of the
 * complex (a terminal S or T) rather than on the R, which widens the RR jitter that HRV reads.
 */
export function offsetsBeyond(s: BeatScore, ms: number): number {
  return s.offsetsMs.filter((o) => Math.abs(o) > ms).length;
}

/** Median signed offset (ms); positive = detections late. */
export function medianOffsetMs(s: BeatScore): number {
  return median(s.offsetsMs);
}

/** Episode and duration sensitivity and positive predictivity (ANSI/AAMI EC57, section on VF/AF episodes). */
export interface EpisodeScore {
  /** Reference episodes overlapped by a detected one, %. */
  episodeSePct: number;
  /** Detected episodes overlapping a reference one, %. */
  episodePpvPct: number;
  /** Overlap duration over reference duration, %. */
  durationSePct: number;
  /** Overlap duration over detected duration, %. */
  durationPpvPct: number;
}

/** Samples two spans share (0 when apart). */
export function overlap(a: SampleSpan, b: SampleSpan): number {
  return Math.max(0, Math.min(a.endSample, b.endSample) - Math.max(a.startSample, b.startSample) + 1);
}

/** EC57 episode statistics of `detected` against `reference` spans (100 % where nothing to count). */
export function scoreEpisodes(
  reference: readonly SampleSpan[],
  detected: readonly SampleSpan[],
): EpisodeScore {
  const pct = (num: number, den: number): number => (den === 0 ? 100 : (100 * num) / den);
  const length = (s: SampleSpan): number => s.endSample - s.startSample + 1;
  let common = 0;
  for (const r of reference) for (const d of detected) common += overlap(r, d);
  return {
    episodeSePct: pct(
      reference.filter((r) => detected.some((d) => overlap(r, d) > 0)).length,
      reference.length,
    ),
    episodePpvPct: pct(
      detected.filter((d) => reference.some((r) => overlap(r, d) > 0)).length,
      detected.length,
    ),
    durationSePct: pct(
      common,
      reference.reduce((a, r) => a + length(r), 0),
    ),
    durationPpvPct: pct(
      common,
      detected.reduce((a, d) => a + length(d), 0),
    ),
  };
}
