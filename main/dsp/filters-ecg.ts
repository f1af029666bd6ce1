/**
 * ECG filter chains: baseline-wander removal, mains notch and low-pass, designed at run
 * time for the recording's rate.
 *
 * - Live view (causal): 2nd-order Butterworth high-pass 0.5 Hz ("monitor mode"),
 *   notch, 4th-order Butterworth low-pass 40 Hz. Group delay at 10 Hz (the QRS band) is
 *   about 12 ms at 500 Hz and at most 12 ms at every supported rate (80–1000 Hz); see
 *   `ecgFilterLatencyMs`.
 * - Measurement (zero-phase, forward-backward): high-pass 0.67 Hz, notch, low-pass
 *   150 Hz. AHA/ACCF/HRS 2007 recommendations for ECG standardisation (Kligfield et al.,
 *   Circulation 115:1306): 0.05 Hz for causal filters, up to 0.67 Hz for zero-phase ones;
 *   150 Hz upper limit for adults.
 *
 * Cut-offs at or above 0.45 × rate are lowered to 0.45 × rate (80 Hz: 36 Hz); the notch is
 * applied only where the mains frequency is below the Nyquist frequency (so never at 80 Hz).
 */
import {
  butterworthHighpass,
  butterworthLowpass,
  cascade,
  groupDelaySamples,
  notch,
  type Sos,
} from './filters-design.js';
import { filtfilt, FiniteGuard, SosFilterBank, type Samples } from './filters.js';

/** Mains frequency setting: 50 Hz, 60 Hz or no notch. */
export type MainsSetting = 50 | 60 | 'off';

/** Parameters of an ECG filter chain. */
export interface EcgFilterOptions {
  sampleRateHz: number;
  /** Default 50. */
  mainsHz?: MainsSetting;
  /** Baseline-wander high-pass cut-off (Hz); 0 disables. */
  highpassHz?: number;
  /** Low-pass cut-off (Hz); 0 disables. */
  lowpassHz?: number;
}

/** Live (causal) defaults: monitor-mode bandwidth 0.5–40 Hz. */
export const LIVE_FILTER_DEFAULTS = { highpassHz: 0.5, lowpassHz: 40 } as const;
/** Measurement (zero-phase) defaults: diagnostic bandwidth 0.67–150 Hz. */
export const MEASUREMENT_FILTER_DEFAULTS = { highpassHz: 0.67, lowpassHz: 150 } as const;

/** Highest cut-off used, as a fraction of the sampling rate. */
const MAX_CUTOFF_FRACTION = 0.45;

/** Notch Q: -3 dB bandwidth 1.7 Hz at 50 Hz, 2 Hz at 60 Hz. */
const NOTCH_Q = 30;

/** The mains notch for this rate, or undefined where mains is not below Nyquist. */
export function designMainsNotch(sampleRateHz: number, mainsHz: MainsSetting): Sos | undefined {
  if (mainsHz === 'off' || mainsHz >= sampleRateHz / 2) return undefined;
  return notch(mainsHz, sampleRateHz, NOTCH_Q);
}

/** The cut-off actually used for a requested low-pass at this rate. */
export function effectiveLowpassHz(lowpassHz: number, sampleRateHz: number): number {
  return Math.min(lowpassHz, MAX_CUTOFF_FRACTION * sampleRateHz);
}

/** The live (display) band actually applied at this rate: what the live view prints on the trace. */
export function liveFilterBand(
  sampleRateHz: number,
  mainsHz: MainsSetting,
): { highPassHz: number; lowPassHz: number; notchHz: number | null } {
  return {
    highPassHz: LIVE_FILTER_DEFAULTS.highpassHz,
    lowPassHz: effectiveLowpassHz(LIVE_FILTER_DEFAULTS.lowpassHz, sampleRateHz),
    notchHz: mainsHz === 'off' || mainsHz >= sampleRateHz / 2 ? null : mainsHz,
  };
}

/** Designs the chain high-pass → notch → low-pass; missing options take the live defaults. */
export function designEcgFilter(options: EcgFilterOptions): Sos {
  const fs = options.sampleRateHz;
  const highpassHz = options.highpassHz ?? LIVE_FILTER_DEFAULTS.highpassHz;
  const lowpassHz = options.lowpassHz ?? LIVE_FILTER_DEFAULTS.lowpassHz;
  const parts: Sos[] = [];
  if (highpassHz > 0) parts.push(butterworthHighpass(2, highpassHz, fs));
  const mains = designMainsNotch(fs, options.mainsHz ?? 50);
  if (mains !== undefined) parts.push(mains);
  if (lowpassHz > 0) parts.push(butterworthLowpass(4, effectiveLowpassHz(lowpassHz, fs), fs));
  return cascade(...parts);
}

/** Group delay of the causal chain at 10 Hz, in ms: the live view's filter latency. */
export function ecgFilterLatencyMs(options: EcgFilterOptions): number {
  return (
    (groupDelaySamples(designEcgFilter(options), 10, options.sampleRateHz) * 1000) / options.sampleRateHz
  );
}

/**
 * A causal multi-lead ECG filter for the live view (defaults 0.5–40 Hz + notch). Each lead
 * starts in steady state at its first sample, so the trace does not swing at start-up.
 */
export class LiveEcgFilter {
  readonly latencyMs: number;
  private readonly bank: SosFilterBank;
  private readonly guard: FiniteGuard;
  private started = false;

  constructor(options: EcgFilterOptions, leadCount: number) {
    const sos = designEcgFilter(options);
    this.bank = new SosFilterBank(sos, leadCount);
    this.guard = new FiniteGuard(leadCount);
    this.latencyMs = ecgFilterLatencyMs(options);
  }

  /**
   * Filters one frame (one sample per lead) into `output` (may alias `input`); a
   * non-finite sample is taken as the lead's last finite one.
   */
  stepFrame(input: Samples, output: Float64Array | Float32Array): void {
    const frame = this.guard.apply(input);
    if (!this.started) {
      this.bank.reset(frame);
      this.started = true;
    }
    this.bank.stepFrame(frame, output);
  }

  /** Forgets the past (e.g. after a gap): the next frame restarts in steady state. */
  reset(): void {
    this.started = false;
  }
}

/**
 * Zero-phase ECG filtering of a whole lead for measurement (defaults 0.67–150 Hz + notch).
 * Edges are padded by 3 time constants of the high-pass.
 */
export function filterEcgZeroPhase(input: Samples, options: EcgFilterOptions): Float64Array {
  const highpassHz = options.highpassHz ?? MEASUREMENT_FILTER_DEFAULTS.highpassHz;
  const lowpassHz = options.lowpassHz ?? MEASUREMENT_FILTER_DEFAULTS.lowpassHz;
  const sos = designEcgFilter({ ...options, highpassHz, lowpassHz });
  const padSamples = highpassHz > 0 ? Math.ceil((3 * options.sampleRateHz) / highpassHz) : 64;
  return filtfilt(sos, input, padSamples);
}
