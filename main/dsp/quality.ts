/**
 * Signal quality per lead, streaming, judged over consecutive windows (default 1 s):
 * flat line / lead-off, saturation, muscle noise (in the 20–30 Hz band, at every sample rate),
 * baseline excursion (electrode motion). Measurements from windows that are not `good` should be
 * withheld; `suspectElectrodes` turns the lead statuses into the electrodes to check.
 *
 * Thresholds (µV) are conservative engineering values, not from a standard: a connected
 * ECG lead has a QRS of ≥ 100 µV peak to peak, surface EMG noise is 10–100 µV, and
 * motion artefacts move the baseline by millivolts (Clifford, Azuaje & McSharry,
 * "Advanced Methods and Tools for ECG Data Analysis", 2006, ch. 3).
 */
import { butterworthHighpass, butterworthLowpass, cascade } from './filters-design.js';
import { designMainsNotch, type MainsSetting } from './filters-ecg.js';
import { FiniteGuard, SosFilterBank, type Samples } from './filters.js';

/** Quality of one lead over one window. Numeric codes are stable (stored in typed arrays). */
export const LeadQuality = { good: 0, noisy: 1, wander: 2, saturated: 3, flat: 4 } as const;
export type LeadQualityCode = (typeof LeadQuality)[keyof typeof LeadQuality];
/** Names by code. */
export const LEAD_QUALITY_NAMES = ['good', 'noisy', 'wander', 'saturated', 'flat'] as const;

/** Options of the quality monitor. */
export interface QualityOptions {
  sampleRateHz: number;
  leadCount: number;
  /** Scale of the input samples (e.g. lsbNanovolts / 1000). */
  microvoltsPerUnit: number;
  /** Window length, s (default 1). */
  windowS?: number;
  /**
   * The converter's limits in input units, when known: samples at or beyond them count as
   * clipped. Without them, clipping is recognised by its flat top (see SATURATION_FRACTION).
   */
  clipLimitsUnits?: readonly [number, number];
  mainsHz?: MainsSetting;
}

/** Peak-to-peak below this is a flat line (lead off, or a disconnected channel). */
export const FLAT_PEAK_TO_PEAK_UV = 20;
/**
 * The band the noise is measured in, Hz: above the P and T waves (below ≈ 10 Hz) and under the
 * Nyquist frequency of the slowest rate the unit offers (80 Hz: 40 Hz, less its anti-aliasing
 * roll-off), so that a lead reads the same at 80 Hz as at 1000. Muscle noise (EMG, broadband
 * from ≈ 20 Hz up) shows there, as it does on the trace; the QRS complex does too, but for a
 * small share of a window, which the robust estimate below passes over. The band used to be above
 * 40 Hz, where there is nothing at 80 Hz: over the MIT-BIH records (`npm run bench -- quality`)
 * 912 one-second windows were rated noisy at 360 Hz and 285 of the same signals at 80 Hz.
 */
export const NOISE_BAND_HZ: readonly [number, number] = [20, 30];
/**
 * Noise RMS above this in {@link NOISE_BAND_HZ} is noise. The RMS is estimated robustly as
 * 1.4826 × the median |sample| (exact for Gaussian noise), so the QRS complexes, which
 * occupy 10–30 % of a window, do not count as noise. The level keeps the rating's reach at the
 * native rate: over the MIT-BIH records it rates as many windows noisy at 360 Hz as the rating
 * above 40 Hz at 35 µV did (884 against 912), more of them where the annotators marked a signal
 * noisy (+P 48 % against 40 %: `npm run bench -- quality`).
 */
export const NOISE_RMS_UV = 40;
/** Baseline (< 0.7 Hz) moving more than this within a window is an excursion. */
export const WANDER_RANGE_UV = 1500;
/**
 * Fraction of a window's samples sitting exactly on the window's extreme value (or on the
 * converter limits) that marks saturation: a real QRS peak lasts a sample or two, a
 * clipped one stays flat at the extreme.
 */
export const SATURATION_FRACTION = 0.04;

/** Streaming per-lead quality monitor. */
export class QualityMonitor {
  /** Status of each lead for the last completed window. */
  readonly status: Uint8Array;
  /** Noise RMS (µV) in {@link NOISE_BAND_HZ} of each lead for the last completed window. */
  readonly noiseRmsUv: Float64Array;
  /** Peak-to-peak (µV) of each lead for the last completed window. */
  readonly peakToPeakUv: Float64Array;
  /** Completed windows so far. */
  windows = 0;
  readonly windowSamples: number;
  private readonly leadCount: number;
  private readonly scale: number;
  private readonly clipLow: number;
  private readonly clipHigh: number;
  private readonly atMax: Float64Array;
  private readonly atMin: Float64Array;
  private readonly noiseBand: SosFilterBank;
  private readonly baseline: SosFilterBank;
  private readonly min: Float64Array;
  private readonly max: Float64Array;
  private readonly baseMin: Float64Array;
  private readonly baseMax: Float64Array;
  /** |noise-band| samples of the current window, lead-major. */
  private readonly bandAbs: Float64Array;
  private readonly scratch: Float64Array;
  private readonly clipped: Float64Array;
  private readonly guard: FiniteGuard;
  private count = 0;
  private started = false;

  constructor(options: QualityOptions) {
    const fs = options.sampleRateHz;
    const n = options.leadCount;
    this.leadCount = n;
    this.scale = options.microvoltsPerUnit;
    this.clipLow = options.clipLimitsUnits?.[0] ?? -Infinity;
    this.clipHigh = options.clipLimitsUnits?.[1] ?? Infinity;
    this.windowSamples = Math.max(1, Math.round((options.windowS ?? 1) * fs));
    const mains = designMainsNotch(fs, options.mainsHz ?? 50);
    // below 75 Hz (no unit samples so slowly) the band is scaled down to fit under the Nyquist rate
    const [low, high] = NOISE_BAND_HZ.map((hz) => Math.min(hz, (hz / 75) * fs));
    const band = cascade(butterworthHighpass(2, low!, fs), butterworthLowpass(2, high!, fs));
    this.noiseBand = new SosFilterBank(mains === undefined ? band : cascade(mains, band), n);
    this.baseline = new SosFilterBank(butterworthLowpass(2, 0.7, fs), n);
    this.status = new Uint8Array(n);
    this.noiseRmsUv = new Float64Array(n);
    this.peakToPeakUv = new Float64Array(n);
    this.min = new Float64Array(n);
    this.max = new Float64Array(n);
    this.baseMin = new Float64Array(n);
    this.baseMax = new Float64Array(n);
    this.bandAbs = new Float64Array(n * this.windowSamples);
    this.scratch = new Float64Array(this.windowSamples);
    this.clipped = new Float64Array(n);
    this.atMax = new Float64Array(n);
    this.atMin = new Float64Array(n);
    this.guard = new FiniteGuard(n);
    this.clearWindow();
  }

  private clearWindow(): void {
    this.min.fill(Infinity);
    this.max.fill(-Infinity);
    this.baseMin.fill(Infinity);
    this.baseMax.fill(-Infinity);
    this.clipped.fill(0);
    this.atMax.fill(0);
    this.atMin.fill(0);
    this.count = 0;
  }

  /** Consumes one frame; returns true when it completed a window (statuses updated). */
  step(input: Samples): boolean {
    const frame = this.guard.apply(input);
    if (!this.started) {
      this.baseline.reset(frame);
      this.noiseBand.reset(frame);
      this.started = true;
    }
    for (let lead = 0; lead < this.leadCount; lead++) {
      const x = frame[lead]!;
      if (x < this.min[lead]!) {
        this.min[lead] = x;
        this.atMin[lead] = 0;
      }
      if (x > this.max[lead]!) {
        this.max[lead] = x;
        this.atMax[lead] = 0;
      }
      if (x === this.min[lead]) this.atMin[lead]!++;
      if (x === this.max[lead]) this.atMax[lead]!++;
      if (x <= this.clipLow || x >= this.clipHigh) this.clipped[lead]!++;
      const h = this.noiseBand.step(lead, x);
      this.bandAbs[lead * this.windowSamples + this.count] = Math.abs(h);
      const b = this.baseline.step(lead, x);
      if (b < this.baseMin[lead]!) this.baseMin[lead] = b;
      if (b > this.baseMax[lead]!) this.baseMax[lead] = b;
    }
    if (++this.count < this.windowSamples) return false;
    this.judgeWindow();
    this.clearWindow();
    this.windows++;
    return true;
  }

  /** 1.4826 × median |noise-band sample| of the window (in input units). */
  private robustNoiseRms(lead: number): number {
    const n = this.count;
    this.scratch.set(this.bandAbs.subarray(lead * this.windowSamples, lead * this.windowSamples + n));
    return 1.4826 * quickSelect(this.scratch, n, n >> 1);
  }

  private judgeWindow(): void {
    for (let lead = 0; lead < this.leadCount; lead++) {
      const p2p = (this.max[lead]! - this.min[lead]!) * this.scale;
      const rms = this.robustNoiseRms(lead) * this.scale;
      const wander = (this.baseMax[lead]! - this.baseMin[lead]!) * this.scale;
      this.peakToPeakUv[lead] = p2p;
      this.noiseRmsUv[lead] = rms;
      let status: LeadQualityCode = LeadQuality.good;
      const flatTop = Math.max(this.atMax[lead]!, this.atMin[lead]!, this.clipped[lead]!);
      if (p2p < FLAT_PEAK_TO_PEAK_UV) status = LeadQuality.flat;
      else if (flatTop >= SATURATION_FRACTION * this.count) status = LeadQuality.saturated;
      else if (rms > NOISE_RMS_UV) status = LeadQuality.noisy;
      else if (wander > WANDER_RANGE_UV) status = LeadQuality.wander;
      this.status[lead] = status;
    }
  }
}

/**
 * Quality of a whole lead, one code per window (`windowS`, default 1 s); a trailing
 * partial window is judged with the samples it has.
 */
export function assessLeadQuality(lead: Samples, options: Omit<QualityOptions, 'leadCount'>): Uint8Array {
  const monitor = new QualityMonitor({ ...options, leadCount: 1 });
  const out = new Uint8Array(Math.ceil(lead.length / monitor.windowSamples));
  const frame = new Float64Array(1);
  let w = 0;
  for (let n = 0; n < lead.length; n++) {
    frame[0] = lead[n]!;
    if (monitor.step(frame)) out[w++] = monitor.status[0]!;
  }
  const partial = lead.length - w * monitor.windowSamples;
  if (w < out.length && w > 0 && partial < monitor.windowSamples / 2) {
    out[w] = out[w - 1]!; // too short to judge alone: same as the window before
  } else if (w < out.length) {
    // judge the partial window by padding with its last value (a flat tail adds no noise)
    const last = lead[lead.length - 1]!;
    frame[0] = last;
    while (!monitor.step(frame));
    out[w] = monitor.status[0]!;
  }
  return out;
}

/** k-th smallest of values[0, n) (Hoare's selection; reorders `values`). */
function quickSelect(values: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k]!;
}

/** Quality of every lead of a whole recording (one code array per lead, as `assessLeadQuality`). */
export function assessLeadsQuality(
  leads: readonly Samples[],
  options: Omit<QualityOptions, 'leadCount'>,
): Uint8Array[] {
  return leads.map((lead) => assessLeadQuality(lead, options));
}

/**
 * Whether the stretch [fromSample, toSample] lies wholly in `good` windows of `codes`
 * (windows of `windowSamples`): measurements over anything else should be withheld.
 */
export function isStretchGood(
  codes: Uint8Array,
  windowSamples: number,
  fromSample: number,
  toSample: number,
): boolean {
  const first = Math.max(0, Math.floor(fromSample / windowSamples));
  const last = Math.min(codes.length - 1, Math.floor(toSample / windowSamples));
  for (let w = first; w <= last; w++) if (codes[w] !== LeadQuality.good) return false;
  return first <= last;
}
