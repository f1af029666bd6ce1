/**
 * Placing a detected beat on its R peak: the largest deflection of a lightly filtered
 * (1–40 Hz) signal near the detection, on the lead where the QRS is largest. Detectors
 * that report the integrator's peak mark 50–90 ms late; heart-rate variability needs the
 * fiducial point within a few ms.
 */
import type { QrsFeature } from './qrs-feature.js';
import { percentile } from './stats.js';

/** The R peak lies within this of the QRS's steepest slope (half a wide QRS), s. */
const R_AROUND_SLOPE_S = 0.08;
/**
 * The polarity a lead's last beat was marked on keeps the mark unless the other deflection is
 * this many times larger (see {@link extremeIndex}).
 */
const POLARITY_HYSTERESIS = 1.25;

/** A complex's largest deflection: its sample index, size and sign (+1 upward, −1 downward). */
export interface Extreme {
  index: number;
  amplitude: number;
  sign: number;
}

/** The polarity (+1 upward, −1 downward, 0 none yet) each lead's last beat was marked on. */
export class PolarityMemory {
  private readonly signs: Int8Array;

  constructor(readonly leadCount: number) {
    this.signs = new Int8Array(leadCount);
  }

  /** A beat was marked on `lead`'s deflection of `sign`. */
  mark(lead: number, sign: number): void {
    this.signs[lead] = Math.sign(sign);
  }

  /** The polarity `lead`'s last beat was marked on (0: none yet). */
  prefer(lead: number): number {
    return this.signs[lead]!;
  }
}

/**
 * Extreme of `signal` (largest |value − local baseline|) within [from, to]; the larger
 * deflection wins. The baseline is the mean of the level before the complex and the window's
 * end value, so a sloping baseline does not pull the choice. The level before the complex is
 * the window's start value, or the value at `before` (an earlier index, default `from`) when
 * that is nearer zero: in a high-passed signal the isoelectric line is near zero, and when
 * the window is anchored late in a wide ventricular complex (its 5–15 Hz slope lies on the
 * narrower terminal wave), the window starts on the complex's own broad main lobe. Taking
 * that lobe for the baseline made the smaller terminal wave of opposite sign the "largest"
 * deflection, marking the beat 60–90 ms late.
 *
 * `prefer` (+1 upward, −1 downward, 0 none) is the polarity the lead's last beat was marked on
 * ({@link PolarityMemory}): the other deflection then wins only when it is
 * {@link POLARITY_HYSTERESIS} times larger. In complexes whose R and S waves are about equal
 * (RS complexes in a transition lead, right bundle-branch block: MIT-BIH 117, 118) the larger
 * one changes from beat to beat with noise and respiration, and a mark that flips between R
 * and S (25–40 ms apart) adds that much to successive RR differences, which are what RMSSD
 * (short-term HRV) reads. A clearly larger deflection of the other sign (a ventricular ectopic
 * of other polarity) still wins.
 */
export function extremeIndex(
  read: (index: number) => number,
  from: number,
  to: number,
  before = from,
  prefer = 0,
): Extreme {
  const start = read(from);
  const earlier = read(before);
  const baseline = ((Math.abs(earlier) < Math.abs(start) ? earlier : start) + read(to)) / 2;
  let maxIndex = from;
  let maxValue = -Infinity;
  let minIndex = from;
  let minValue = Infinity;
  for (let i = from; i <= to; i++) {
    const v = read(i) - baseline;
    if (v > maxValue) {
      maxValue = v;
      maxIndex = i;
    }
    if (v < minValue) {
      minValue = v;
      minIndex = i;
    }
  }
  const [up, down] = [maxValue, -minValue];
  const negative =
    prefer > 0 ? down > POLARITY_HYSTERESIS * up : prefer < 0 ? POLARITY_HYSTERESIS * down >= up : down > up;
  if (negative) return { index: minIndex, amplitude: down, sign: -1 };
  return { index: maxIndex, amplitude: up, sign: 1 };
}

/** The first lead marks the beat unless its QRS is smaller than this fraction of the largest. */
export const PRIMARY_LEAD_MIN_FRACTION = 0.1;

/**
 * Which lead marks a beat when several are fused: the first (primary) lead, so beat
 * times follow one lead as staff expect (lead II in the live pipeline), unless its QRS
 * there is under PRIMARY_LEAD_MIN_FRACTION of the largest lead's; then the largest.
 */
export class LeadChoice {
  private primary: Extreme | undefined;
  private best: Extreme | undefined;

  offer(lead: number, found: Extreme): void {
    if (lead === 0) this.primary = found;
    if (this.best === undefined || found.amplitude > this.best.amplitude) this.best = found;
  }

  /** The chosen sample index (`fallback` when nothing was offered). */
  index(fallback: number): number {
    if (this.best === undefined) return fallback;
    if (
      this.primary !== undefined &&
      this.primary.amplitude >= PRIMARY_LEAD_MIN_FRACTION * this.best.amplitude
    ) {
      return this.primary.index;
    }
    return this.best.index;
  }
}

/**
 * R-peak sample index for a feature peak at `featureIndex`, read from the feature's ring
 * buffers (causal). `polarity` gives the polarity each lead's last beat was marked on
 * ({@link extremeIndex}); `signs`, when given, receives each lead's sign for this complex.
 * Each lead's QRS is anchored on that lead's own steepest slope within the
 * integration window — with several leads, from `R_AROUND_SLOPE_S` before it — (noise and
 * tall P/T waves rarely have the QRS's slope); its R peak is the largest deflection of its
 * 1–40 Hz signal within ±`R_AROUND_SLOPE_S` of that anchor, and
 * `LeadChoice` picks the lead that marks the beat. With several leads the steepest slope of
 * the sum may lie on another lead than the one that marks the beat, late in a wide complex
 * (paced beats in V2 of MIT-BIH 102: up to 150 ms after the R peak of V5); anchoring each
 * lead on its own slope keeps every lead's fiducial where a single-lead detector puts it.
 */
export function locateRPeak(
  feature: QrsFeature,
  featureIndex: number,
  polarity?: PolarityMemory,
  signs?: Int8Array,
): number {
  const shift = feature.refineDelaySamples - feature.detectDelaySamples;
  const choice = new LeadChoice();
  for (let lead = 0; lead < feature.leadCount; lead++) {
    if (feature.leadWeight(lead) <= 0) {
      if (signs !== undefined) signs[lead] = 0;
      continue;
    }
    const found = leadRPeak(feature, featureIndex, lead, polarity);
    if (signs !== undefined) signs[lead] = found.sign;
    choice.offer(lead, found);
  }
  const fallback = feature.argMaxSlope(featureIndex - feature.mwiLength, featureIndex) + shift;
  return Math.max(0, choice.index(fallback) - feature.refineDelaySamples);
}

/**
 * R-peak sample index of the feature peak at `featureIndex` on `lead` alone, as
 * {@link locateRPeak} finds it there: for a complex seen on that lead only, where another lead's
 * artefact would mark it elsewhere.
 */
export function locateLeadRPeak(
  feature: QrsFeature,
  featureIndex: number,
  lead: number,
  polarity?: PolarityMemory,
): number {
  return Math.max(0, leadRPeak(feature, featureIndex, lead, polarity).index - feature.refineDelaySamples);
}

/** `lead`'s R peak (refine-ring index) for the feature peak at `featureIndex` ({@link locateRPeak}). */
function leadRPeak(
  feature: QrsFeature,
  featureIndex: number,
  lead: number,
  polarity?: PolarityMemory,
): Extreme {
  const shift = feature.refineDelaySamples - feature.detectDelaySamples;
  const half = Math.round(R_AROUND_SLOPE_S * feature.sampleRateHz);
  // with several leads, a lead's QRS may start up to a wide complex's width before the summed
  // feature's integration window (which follows the lead whose complex ends last)
  const extra = feature.leadCount > 1 ? half : 0;
  // slope index → true time → refine-ring index
  const center =
    feature.argMaxLeadSlope(lead, featureIndex - feature.mwiLength - extra, featureIndex) + shift;
  const from = Math.max(feature.oldestIndex(), center - half);
  const to = Math.min(feature.sampleIndex, center + half);
  const before = Math.max(feature.oldestIndex(), center - 2 * half);
  const read = (i: number): number => feature.refineAt(lead, i);
  return extremeIndex(read, from, to, before, polarity?.prefer(lead));
}

/**
 * Peak-to-peak amplitude of the 1–40 Hz signal within ±`R_AROUND_SLOPE_S` of the steepest
 * slope of the feature peak at `featureIndex`, summed over the leads in use (causal, from the
 * feature's ring buffers): the size of a complex whatever its width, where the detection
 * feature (5–15 Hz energy) favours narrow complexes. When `perLead` is given, each lead's own
 * (unweighted) peak-to-peak amplitude is written to it (0 for a lead not in use).
 */
export function complexAmplitude(feature: QrsFeature, featureIndex: number, perLead?: Float64Array): number {
  const slopeAt = feature.argMaxSlope(featureIndex - feature.mwiLength, featureIndex);
  const center = slopeAt - feature.detectDelaySamples + feature.refineDelaySamples;
  const half = Math.round(R_AROUND_SLOPE_S * feature.sampleRateHz);
  const from = Math.max(feature.oldestIndex(), center - half);
  const to = Math.min(feature.sampleIndex, center + half);
  let sum = 0;
  for (let lead = 0; lead < feature.leadCount; lead++) {
    const weight = feature.leadWeight(lead);
    if (perLead !== undefined) perLead[lead] = 0;
    if (weight <= 0) continue;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = from; i <= to; i++) {
      const v = feature.refineAt(lead, i);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (hi <= lo) continue;
    sum += weight * (hi - lo);
    if (perLead !== undefined) perLead[lead] = hi - lo;
  }
  return sum;
}

/**
 * Moves each beat to the extreme of the zero-phase-filtered `signals` (one array per lead)
 * within ±`halfWindowS` (default 60 ms), on the lead chosen as `LeadChoice` says; each lead
 * keeps the polarity of its previous beat's mark unless the other deflection is clearly larger
 * ({@link extremeIndex}).
 * Returns new sorted, de-duplicated indexes.
 */
export function refineBeats(
  signals: readonly Float64Array[],
  beats: ArrayLike<number>,
  sampleRateHz: number,
  halfWindowS = 0.06,
): Int32Array {
  const half = Math.max(1, Math.round(halfWindowS * sampleRateHz));
  const out: number[] = [];
  const polarity = new PolarityMemory(signals.length);
  for (let b = 0; b < beats.length; b++) {
    const center = beats[b]!;
    const choice = new LeadChoice();
    signals.forEach((signal, lead) => {
      const from = Math.max(0, center - half);
      const to = Math.min(signal.length - 1, center + half);
      if (to <= from) return;
      const found = extremeIndex((i) => signal[i]!, from, to, from, polarity.prefer(lead));
      polarity.mark(lead, found.sign);
      choice.offer(lead, found);
    });
    const bestIndex = choice.index(center);
    if (out.length === 0 || bestIndex > out[out.length - 1]!) out.push(bestIndex);
  }
  return Int32Array.from(out);
}

/** The level a complex's half-height width is measured from: the median of this much around its R peak, s. */
const WIDTH_BASELINE_S = 0.25;
/** A complex's largest deflection lies within this of its R peak, s. */
const WIDTH_SEARCH_S = 0.06;
/**
 * σ of the Gaussian the signal is smoothed with before a width is measured, s: muscle noise
 * (5–100 Hz) on a P wave otherwise makes its largest deflection a narrow noise spike, while a QRS's
 * R wave (σ ≈ 8 ms) widens by a fifth.
 */
const WIDTH_SMOOTH_S = 0.006;

/**
 * Width at half height of a complex's largest deflection, seconds: on the 1–40 Hz signal of the
 * lead (in use) where that deflection is largest, smoothed with a Gaussian of σ
 * {@link WIDTH_SMOOTH_S}, measured from the median of the signal within ±{@link WIDTH_BASELINE_S}
 * of `r` (the complex's R-peak sample, {@link locateRPeak}), causally from the feature's ring
 * buffers, the crossings interpolated between samples. A QRS's largest deflection is 26 ms wide
 * at the median, three in four under 30 ms (LUDB, every annotated beat on every lead); a P wave, a
 * dome of 80–110 ms, 40–61 ms (5th–95th percentile on the strips of `npm run bench -- qrs-block` at
 * 250 and 500 Hz; 34–68 ms at 80 Hz).
 */
export function complexHalfWidth(feature: QrsFeature, r: number): number {
  const fs = feature.sampleRateHz;
  const at = r + feature.refineDelaySamples;
  const from = Math.max(feature.oldestIndex(), at - Math.round(WIDTH_BASELINE_S * fs));
  const to = Math.min(feature.sampleIndex, at + Math.round(WIDTH_BASELINE_S * fs));
  if (to < from) return 0;
  const kernel = gaussianKernel(WIDTH_SMOOTH_S * fs);
  const reach = kernel.length >> 1;
  const raw = new Float64Array(to - from + 1);
  const span = new Float64Array(raw.length);
  const search = Math.round(WIDTH_SEARCH_S * fs);
  const [first, last] = [Math.max(0, at - search - from), Math.min(span.length - 1, at + search - from)];
  let largest = 0;
  let width = 0;
  for (let lead = 0; lead < feature.leadCount; lead++) {
    const weight = feature.leadWeight(lead);
    if (weight <= 0) continue;
    for (let i = from; i <= to; i++) raw[i - from] = feature.refineAt(lead, i);
    for (let i = 0; i < span.length; i++) {
      let sum = 0;
      for (let k = -reach; k <= reach; k++)
        sum += kernel[k + reach]! * raw[Math.min(span.length - 1, Math.max(0, i + k))]!;
      span[i] = sum;
    }
    const base = percentile(span, 0, span.length, 0.5);
    let peak = -1;
    let size = 0;
    for (let i = first; i <= last; i++) {
      const v = Math.abs(span[i]! - base);
      if (v > size) [size, peak] = [v, i];
    }
    if (peak < 0 || weight * size <= largest) continue;
    largest = weight * size;
    const sign = span[peak]! >= base ? 1 : -1;
    const height = (i: number): number => sign * (span[i]! - base);
    const half = 0.5 * size;
    let left = peak;
    while (left > 0 && height(left - 1) >= half) left--;
    let right = peak;
    while (right < span.length - 1 && height(right + 1) >= half) right++;
    // the crossings, between the last sample above half height and the first below it
    const before = left > 0 ? (height(left) - half) / (height(left) - height(left - 1)) : 0;
    const after = right < span.length - 1 ? (height(right) - half) / (height(right) - height(right + 1)) : 0;
    width = (right - left + before + after) / fs;
  }
  return width;
}

/** A normalised Gaussian kernel of σ `sigma` samples, out to 3σ (one tap when σ is under a third of a sample). */
function gaussianKernel(sigma: number): Float64Array {
  const reach = Math.floor(3 * sigma);
  if (reach === 0) return Float64Array.of(1);
  const kernel = new Float64Array(2 * reach + 1);
  let sum = 0;
  for (let k = -reach; k <= reach; k++) sum += kernel[k + reach] = Math.exp(-0.5 * (k / sigma) ** 2);
  return kernel.map((v) => v / sum);
}
