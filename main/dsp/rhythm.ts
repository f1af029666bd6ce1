/**
 * Beat classification (N, V, S, Q) from timing and morphology, the way Holter and monitoring software
 * commonly combine them (e.g. Hamilton & Tompkins' open-source classifier; de Chazal et al., IEEE TBME
 * 51(7), 2004, for the feature families):
 * - prematurity: the RR before the beat over the local sinus reference (median of the last 8 RR intervals
 *   between normal beats);
 * - morphology: Pearson correlation of the beat (−80..+120 ms around the beat, every lead, band-limited,
 *   best over shifts of ±50 ms) with a running template of normal beats (bootstrapped as the sample-wise
 *   median of the first 8 beats);
 * - QRS width (from the delineation, when given) against the template's width;
 * - compensatory pause: the RR around the beat summing to about two reference RRs.
 * Rules: wide (≥ 120 ms and ≥ 30 ms wider than normal) and premature or clearly different (r < 0.75)
 * → V; different (r < 0.8) and premature, or early (< 95 %) with a compensatory pause → V; premature
 * (< 85 % of the reference) and at least 10 % shorter than the RR before (a sinus arrhythmia changes
 * gradually), normal morphology (r ≥ 0.9), not wide → S; very different (r < 0.5) but neither premature
 * nor wide → Q (probably artefact); else N.
 * On the 20 non-paced MIT-BIH 100-series records here (102, 104, 107 left out) (whole records, ±150 ms matching, detector end to end):
 * VEB Se 94.6 %, +P 85.8 %; SVEB Se 52 %, +P 48 % — SVEB detection from timing alone is weak.
 */
import type { BeatClass } from './hrv.js';
import { lowPassZeroPhase, estimateBaseline } from './delineate-prep.js';
import { correlation, median } from './stats.js';

/** Inputs of {@link classifyBeats}. */
export interface ClassifyOptions {
  readonly sampleRateHz: number;
  /** QRS duration per beat, ms (null where unknown), e.g. from the delineation. */
  readonly qrsDurationsMs?: readonly (number | null)[];
  /** Per-beat flag: true where signal quality makes the beat unclassifiable (→ Q). */
  readonly unusable?: readonly boolean[];
}

/** Per-beat features, exposed for tests and the UI's beat inspector. */
export interface BeatFeatures {
  readonly beatClass: BeatClass;
  /** RR before the beat over the local reference RR (1 = on time), null for the first beat. */
  readonly prematurity: number | null;
  /** Correlation with the normal template (−1..1). */
  readonly correlation: number;
}

const PREMATURE_RATIO = 0.85;
const COMPENSATORY_TOLERANCE = 0.15;
const WIDE_QRS_MS = 120;
const WIDER_THAN_NORMAL_MS = 30;
const TEMPLATE_BEATS = 8;
const MAX_LAG_S = 0.05;

/** The RR before beat k is at least 10 % shorter than the one before it (not a gradual sinus change). */
function abrupt(beats: readonly number[], k: number): boolean {
  if (k < 2) return true;
  return beats[k]! - beats[k - 1]! < 0.9 * (beats[k - 1]! - beats[k - 2]!);
}

/** Leads band-limited for morphology comparison (baseline removed, 40 Hz low-pass, zero-phase). */
function morphologySignals(leads: readonly ArrayLike<number>[], fs: number): Float64Array[] {
  return leads.map((lead) => {
    const base = estimateBaseline(lead, fs);
    const centred = Float64Array.from(lead, (v, i) => v - base[i]!);
    return lowPassZeroPhase(centred, fs, 40);
  });
}

/** The window (all leads concatenated) −80..+120 ms around sample r. */
function beatWindow(filtered: readonly Float64Array[], r: number, fs: number): Float64Array {
  const before = Math.round(0.08 * fs);
  const width = before + Math.round(0.12 * fs);
  const w = new Float64Array(width * filtered.length);
  filtered.forEach((x, l) => {
    for (let j = 0; j < width; j++)
      w[l * width + j] = x[Math.min(x.length - 1, Math.max(0, r - before + j))]!;
  });
  return w;
}

/** Best correlation with the template over shifts of ±{@link MAX_LAG_S} (the beat mark may sit on another wave). */
function alignedWindow(
  filtered: readonly Float64Array[],
  r: number,
  fs: number,
  template: Float64Array,
): { window: Float64Array; correlation: number } {
  const maxLag = Math.round(MAX_LAG_S * fs);
  let best = { window: beatWindow(filtered, r, fs), correlation: -2 };
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    const w = beatWindow(filtered, r + lag, fs);
    const c = correlation(w, template);
    if (c > best.correlation) best = { window: w, correlation: c };
  }
  return best;
}

function initialTemplate(windows: readonly Float64Array[]): Float64Array {
  const first = windows.slice(0, TEMPLATE_BEATS);
  const t = new Float64Array(first[0]?.length ?? 0);
  for (let i = 0; i < t.length; i++) t[i] = median(first.map((w) => w[i]!));
  return t;
}

/**
 * Classifies every beat.
 * @param leadsMicrovolts the record's leads (µV); one lead works, more is better.
 * @param beatSamples beat positions (sample indexes, ascending), e.g. the detector's R peaks.
 */
export function classifyBeats(
  leadsMicrovolts: readonly ArrayLike<number>[],
  beatSamples: readonly number[],
  options: ClassifyOptions,
): BeatFeatures[] {
  const fs = options.sampleRateHz;
  if (beatSamples.length === 0) return [];
  const filtered = morphologySignals(leadsMicrovolts, fs);
  const template = initialTemplate(
    beatSamples.slice(0, TEMPLATE_BEATS).map((r) => beatWindow(filtered, r, fs)),
  );
  const widths = options.qrsDurationsMs ?? [];
  const bootWidths = widths.slice(0, TEMPLATE_BEATS).filter((w): w is number => w !== null);
  const normalWidths: number[] = bootWidths.length > 0 ? [median(bootWidths)] : [];
  const normalRr: number[] = [];
  const allRr: number[] = [];
  for (let k = 1; k < Math.min(beatSamples.length, TEMPLATE_BEATS + 1); k++)
    allRr.push(beatSamples[k]! - beatSamples[k - 1]!);
  const out: BeatFeatures[] = [];
  for (const [k, r] of beatSamples.entries()) {
    const rrPrev = k > 0 ? r - beatSamples[k - 1]! : null;
    const rrNext = k + 1 < beatSamples.length ? beatSamples[k + 1]! - r : null;
    const reference = normalRr.length >= 3 ? median(normalRr.slice(-8)) : median(allRr);
    const prematurity = rrPrev !== null ? rrPrev / reference : null;
    const aligned = alignedWindow(filtered, r, fs, template);
    const corr = aligned.correlation;
    const width = widths[k] ?? null;
    const normalWidth = normalWidths.length > 0 ? median(normalWidths.slice(-16)) : null;
    const wide =
      width !== null &&
      width >= WIDE_QRS_MS &&
      (normalWidth === null || width >= normalWidth + WIDER_THAN_NORMAL_MS);
    const premature = prematurity !== null && prematurity < PREMATURE_RATIO;
    const compensatory =
      rrPrev !== null &&
      rrNext !== null &&
      Math.abs((rrPrev + rrNext) / (2 * reference) - 1) < COMPENSATORY_TOLERANCE;
    let beatClass: BeatClass = 'N';
    if (options.unusable?.[k] === true) beatClass = 'Q';
    else if (wide && (premature || corr < 0.75)) beatClass = 'V';
    else if (corr < 0.8 && (premature || (compensatory && prematurity !== null && prematurity < 0.95)))
      beatClass = 'V';
    else if (premature && corr >= 0.9 && abrupt(beatSamples, k)) beatClass = 'S';
    else if (corr < 0.5) beatClass = 'Q';
    out.push({ beatClass, prematurity, correlation: corr });
    if (beatClass === 'N') {
      const w = aligned.window;
      for (let i = 0; i < template.length; i++) template[i] = 0.9 * template[i]! + 0.1 * w[i]!;
      if (width !== null) normalWidths.push(width);
      if (rrPrev !== null && out[k - 1]?.beatClass === 'N') normalRr.push(rrPrev);
    }
  }
  return out;
}
