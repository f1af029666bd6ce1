/**
 * The QRS detection feature, computed causally per lead: Pan–Tompkins band-pass (5–15 Hz,
 * Pan & Tompkins 1985, IEEE TBME 32:230) with a muscle filter at 35 Hz, derivative, square,
 * moving-window integration (150 ms), summed over leads; plus a lightly filtered copy of every
 * lead (1–40 Hz) kept in a ring buffer to place each beat on its R peak.
 */
import {
  butterworthHighpass,
  butterworthLowpass,
  cascade,
  groupDelaySamples,
  type Sos,
} from './filters-design.js';
import { FiniteGuard, SosFilterBank, type Samples } from './filters.js';
import type { BeatWindows, SampleReader } from './beat-windows.js';

/** Moving-window integration width (Pan & Tompkins 1985). */
export const MWI_WINDOW_S = 0.15;
/** Band of the detection filter (Pan & Tompkins 1985: 5–15 Hz). */
export const DETECTION_BAND_HZ = [5, 15] as const;
/**
 * Second low-pass of the detection band, Hz (at most 0.45 × the rate): the ECG machine's muscle
 * filter (35 Hz). The 5–15 Hz band-pass's second-order low-pass and the derivative after it
 * leave the band falling at only 6 dB per octave above 15 Hz, so muscle noise (its power at
 * 20–150 Hz) and mains hum still reach the feature, where Pan & Tompkins' own integer filters
 * had stop-band zeros; a QRS has little energy above 35 Hz. On MIT-BIH the same detector
 * found fewer false beats at 80 and 128 Hz, where the resampling's anti-alias filter removes
 * what lies above ≈ 36 Hz, than at the records' native 360 Hz: 52 against 73 (104's tremor).
 */
export const MUSCLE_LOWPASS_HZ = 35;
/** Band of the signal used to locate the R peak. */
export const REFINE_BAND_HZ = [1, 40] as const;

/** The refine-band (1–40 Hz, below 0.45 × the rate) causal filter. */
export function refineBandSos(sampleRateHz: number): Sos {
  return cascade(
    butterworthHighpass(1, REFINE_BAND_HZ[0], sampleRateHz),
    butterworthLowpass(2, Math.min(REFINE_BAND_HZ[1], 0.45 * sampleRateHz), sampleRateHz),
  );
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * Streaming feature extractor for `leadCount` leads. After `step(frame)`, `feature` is the
 * integrated squared slope (sum over leads with non-zero weight) and the ring buffers hold
 * the recent band-passed slope magnitude and refine-band signal per lead.
 */
export class QrsFeature {
  readonly leadCount: number;
  readonly sampleRateHz: number;
  /** Ring buffer length (power of two), ≥ 1.5 s of samples. */
  readonly ringLength: number;
  /** Delay (samples) of the refine-band filter at 10 Hz, to compensate when locating R. */
  readonly refineDelaySamples: number;
  /** Delay (samples) of the detection band-pass at 10 Hz. */
  readonly detectDelaySamples: number;
  /** Moving-window integration length, samples. */
  readonly mwiLength: number;
  /** Index of the last sample stepped (-1 before the first). */
  sampleIndex = -1;
  /** Moving-window integral at `sampleIndex`. */
  feature = 0;

  private readonly detectBank: SosFilterBank;
  private readonly refineBank: SosFilterBank;
  private readonly weights: Float64Array;
  private readonly lastBand: Float64Array;
  /** Per-lead refine-band signal, lead-major: `refine[lead * ringLength + (index & mask)]`. */
  readonly refine: Float64Array;
  /** |slope| of the detection band summed over leads, by sample. */
  readonly slope: Float64Array;
  /** Per-lead |slope| of the detection band (unweighted), lead-major like `refine`. */
  readonly leadSlope: Float64Array;
  /** Per-lead moving-window integral (unweighted) by sample, lead-major like `refine`. */
  readonly leadFeature: Float64Array;
  private readonly leadSquared: Float64Array;
  private readonly leadMwiSum: Float64Array;
  private readonly squared: Float64Array;
  private mwiSum = 0;
  private readonly mask: number;
  private readonly detectFrame: Float64Array;
  private readonly refineFrame: Float64Array;
  private readonly guard: FiniteGuard;
  private started = false;

  constructor(sampleRateHz: number, leadCount = 1) {
    this.sampleRateHz = sampleRateHz;
    this.leadCount = leadCount;
    const [lo, hi] = DETECTION_BAND_HZ;
    const detectSos = cascade(
      butterworthHighpass(2, lo, sampleRateHz),
      butterworthLowpass(2, hi, sampleRateHz),
      butterworthLowpass(2, Math.min(MUSCLE_LOWPASS_HZ, 0.45 * sampleRateHz), sampleRateHz),
    );
    const refineSos = refineBandSos(sampleRateHz);
    this.refineDelaySamples = Math.max(0, Math.round(groupDelaySamples(refineSos, 10, sampleRateHz)));
    this.detectDelaySamples = Math.max(0, Math.round(groupDelaySamples(detectSos, 10, sampleRateHz)));
    this.detectBank = new SosFilterBank(detectSos, leadCount);
    this.refineBank = new SosFilterBank(refineSos, leadCount);
    this.weights = new Float64Array(leadCount).fill(1);
    this.lastBand = new Float64Array(leadCount);
    this.ringLength = nextPowerOfTwo(Math.ceil(1.5 * sampleRateHz));
    this.mask = this.ringLength - 1;
    this.refine = new Float64Array(this.ringLength * leadCount);
    this.slope = new Float64Array(this.ringLength);
    this.leadSlope = new Float64Array(this.ringLength * leadCount);
    this.leadFeature = new Float64Array(this.ringLength * leadCount);
    this.leadSquared = new Float64Array(this.ringLength * leadCount);
    this.leadMwiSum = new Float64Array(leadCount);
    this.qualities = new Float64Array(leadCount).fill(1);
    this.squared = new Float64Array(this.ringLength);
    this.mwiLength = Math.max(1, Math.round(MWI_WINDOW_S * sampleRateHz));
    this.detectFrame = new Float64Array(leadCount);
    this.guard = new FiniteGuard(leadCount);
    this.refineFrame = new Float64Array(leadCount);
  }

  /** Per-lead signal-quality factor (0–1) in the summed feature; see qrs-agreement.ts. */
  private readonly qualities: Float64Array;
  private qualityWeighted = false;

  /** Sets `lead`'s signal-quality factor (0–1) in the summed feature (see qrs-agreement.ts). */
  setLeadQuality(lead: number, quality: number): void {
    this.qualities[lead] = quality;
    this.qualityWeighted = true;
  }

  /** Sum over leads of weight × quality × the lead's own integral at ring `slot`. */
  private qualityWeightedSum(slot: number): number {
    let sum = 0;
    for (let lead = 0; lead < this.leadCount; lead++) {
      sum += this.weights[lead]! * this.qualities[lead]! * this.leadFeature[lead * this.ringLength + slot]!;
    }
    return sum;
  }

  /** Weight of a lead in the summed feature (0 excludes a lead, e.g. one that is off). */
  setLeadWeight(lead: number, weight: number): void {
    this.weights[lead] = weight;
  }

  /** Current weight of a lead. */
  leadWeight(lead: number): number {
    return this.weights[lead] ?? 0;
  }

  /** Consumes one frame (one sample per lead, any consistent units; non-finite = last finite). */
  step(input: Samples): void {
    const frame = this.guard.apply(input);
    if (!this.started) {
      this.detectBank.reset(frame);
      this.refineBank.reset(frame);
      this.started = true;
    }
    const index = ++this.sampleIndex;
    const slot = index & this.mask;
    this.detectBank.stepFrame(frame, this.detectFrame);
    this.refineBank.stepFrame(frame, this.refineFrame);
    let squared = 0;
    let slope = 0;
    const oldSlot = (index - this.mwiLength) & this.mask;
    for (let lead = 0; lead < this.leadCount; lead++) {
      const band = this.detectFrame[lead]!;
      const derivative = band - this.lastBand[lead]!;
      this.lastBand[lead] = band;
      const w = this.weights[lead]!;
      squared += w * derivative * derivative;
      slope += w * Math.abs(derivative);
      this.refine[lead * this.ringLength + slot] = this.refineFrame[lead]!;
      const base = lead * this.ringLength;
      this.leadSlope[base + slot] = Math.abs(derivative);
      const d2 = derivative * derivative;
      const sum =
        this.leadMwiSum[lead]! + d2 - (index >= this.mwiLength ? this.leadSquared[base + oldSlot]! : 0);
      this.leadMwiSum[lead] = sum > 0 ? sum : 0;
      this.leadSquared[base + slot] = d2;
      this.leadFeature[base + slot] = this.leadMwiSum[lead]! / this.mwiLength;
    }
    this.mwiSum += squared - (index >= this.mwiLength ? this.squared[oldSlot]! : 0);
    if (this.mwiSum < 0) this.mwiSum = 0;
    this.squared[slot] = squared;
    this.slope[slot] = slope;
    this.feature = this.qualityWeighted ? this.qualityWeightedSum(slot) : this.mwiSum / this.mwiLength;
  }

  /** Largest summed |slope| over sample indexes [from, to] (must still be in the ring). */
  maxSlope(from: number, to: number): number {
    return this.maxOver(this.slope, 0, from, to);
  }

  /** Largest |slope| of one lead over sample indexes [from, to] (must still be in the ring). */
  maxLeadSlope(lead: number, from: number, to: number): number {
    return this.maxOver(this.leadSlope, lead * this.ringLength, from, to);
  }

  /** Sample index of the largest summed |slope| over [from, to]. */
  argMaxSlope(from: number, to: number): number {
    return this.argMaxOver(this.slope, 0, from, to);
  }

  /** Sample index of the largest |slope| of one lead over [from, to]. */
  argMaxLeadSlope(lead: number, from: number, to: number): number {
    return this.argMaxOver(this.leadSlope, lead * this.ringLength, from, to);
  }

  /** Largest per-lead integral of `lead` over sample indexes [from, to] (clipped to the ring). */
  maxLeadFeature(lead: number, from: number, to: number): number {
    return this.maxOver(this.leadFeature, lead * this.ringLength, from, Math.min(to, this.sampleIndex));
  }

  /**
   * Largest value of the ring `values` (one lead's stretch starting at `base`) over sample indexes
   * [from, to], from no earlier than the oldest sample still held; 0 when none is larger.
   */
  private maxOver(values: Float64Array, base: number, from: number, to: number): number {
    let best = 0;
    for (let i = Math.max(from, 0, this.sampleIndex - this.ringLength + 1); i <= to; i++) {
      const v = values[base + (i & this.mask)]!;
      if (v > best) best = v;
    }
    return best;
  }

  /** Sample index of the largest value of {@link maxOver}'s scan (`to` when the stretch is empty). */
  private argMaxOver(values: Float64Array, base: number, from: number, to: number): number {
    let best = -1;
    let bestIndex = to;
    for (let i = Math.max(from, 0, this.sampleIndex - this.ringLength + 1); i <= to; i++) {
      const v = values[base + (i & this.mask)]!;
      if (v > best) {
        best = v;
        bestIndex = i;
      }
    }
    return bestIndex;
  }

  /** Per-lead integral (unweighted) of `lead` at sample `index` (must still be in the ring). */
  leadFeatureAt(lead: number, index: number): number {
    return this.leadFeature[lead * this.ringLength + (index & this.mask)]!;
  }

  /** Refine-band value of `lead` at sample `index` (must still be in the ring). */
  refineAt(lead: number, index: number): number {
    return this.refine[lead * this.ringLength + (index & this.mask)]!;
  }

  /** Oldest sample index still held in the ring buffers. */
  oldestIndex(): number {
    return Math.max(0, this.sampleIndex - this.ringLength + 1);
  }

  /**
   * The refine-band value of `lead` at sample `index` in true time (the band's delay taken off), 0
   * for a lead not in use (weight 0): the patient's waveform as the detector's templates compare it.
   */
  readonly inUse: SampleReader = (lead, index) =>
    this.weights[lead]! > 0 ? this.refineAt(lead, index + this.refineDelaySamples) : 0;

  /** Whether sample `index`, in true time, is still in the refine ring. */
  inRefineRing(index: number): boolean {
    const at = index + this.refineDelaySamples;
    return at >= this.oldestIndex() && at <= this.sampleIndex;
  }

  /**
   * Reads `window` (every lead, {@link inUse}) around sample `r` into `out`; false, and nothing
   * read, when the window is not all in the ring.
   */
  readWindow(window: BeatWindows, r: number, out: Float64Array): boolean {
    if (!this.inRefineRing(r - window.before) || !this.inRefineRing(r + window.after - 1)) return false;
    window.windowAt(this.inUse, r, out);
    return true;
  }
}
