/**
 * The live QRS detector's T-wave rules: which candidates after a beat are that beat's own T
 * wave (or another slow wave in its wake) rather than a new QRS. Pan & Tompkins (1985, IEEE
 * TBME 32:230): within 360 ms of a beat, a candidate with under half the beat's slope is its T
 * wave; the window widens at slow rates (a long QT), and a candidate with a QRS's energy, or too
 * large for the patient's T waves (qrs-early.ts, qrs-lead-wide.ts), is not a T wave however slow
 * its upstroke.
 */
import type { CandidateRing } from './qrs-candidates.js';
import type { EarlyComplexRule } from './qrs-early.js';
import type { LeadAgreement } from './qrs-agreement.js';
import type { LeadWideRule } from './qrs-lead-wide.js';
import type { QrsLevels } from './qrs-levels.js';
import type { RrHistory } from './qrs-rr.js';

const REFRACTORY_S = 0.2;
const T_WAVE_WINDOW_S = 0.36;
const T_WAVE_SLOPE_RATIO = 0.5;
/** The longest QT the rules allow for, seconds. */
export const T_WAVE_MAX_S = 0.5;
/**
 * A candidate whose integrated 5–15 Hz energy reaches this fraction of the recent QRS level is
 * not a T wave, however slow its upstroke: T waves carry little energy in the QRS band, while an
 * early aberrant or ventricular complex has a QRS's energy but a wide complex's lower slope.
 */
const T_WAVE_MAX_LEVEL = 0.8;

/** The detector's last beat: its feature-peak index (-1: none yet) and its slope. */
export interface LastBeat {
  index: number;
  slope: number;
}

/** What the T-wave rules read of the detector. */
export interface TWaveContext {
  readonly cands: CandidateRing;
  readonly rr: RrHistory;
  readonly levels: QrsLevels;
  readonly early: EarlyComplexRule;
  readonly agreement: LeadAgreement;
  /** Wide and early complexes judged lead by lead (several leads only). */
  readonly leads: LeadWideRule | undefined;
  readonly last: LastBeat;
}

/** The T-wave rules of one detector. */
export class TWaveRules {
  /** Refractory period after a beat, samples. */
  readonly refractory: number;
  private readonly window: number;

  constructor(
    private readonly sampleRateHz: number,
    private readonly d: TWaveContext,
  ) {
    this.refractory = Math.round(REFRACTORY_S * sampleRateHz);
    this.window = Math.round(T_WAVE_WINDOW_S * sampleRateHz);
  }

  /**
   * Window after a beat in which a slow candidate is taken for its T wave: 360 ms (Pan &
   * Tompkins), widened at slow rates to half the RR interval, up to 500 ms (a long QT). The
   * interval is the larger of the mean and the one that preceded the beat: the QT interval
   * follows the preceding cycle length (Bazett 1920), so after a long cycle — frequent in
   * atrial fibrillation — the T wave comes late.
   */
  windowSamples(): number {
    const rr = Math.max(this.d.rr.mean, this.d.rr.last());
    return Math.max(this.window, Math.min(T_WAVE_MAX_S * this.sampleRateHz, 0.5 * rr));
  }

  /** Is candidate `slot` a T wave (or other slow wave) following the last beat? */
  isTWave(slot: number): boolean {
    const { cands, last } = this.d;
    const index = cands.index[slot]!;
    if (last.index < 0) return false;
    if (index - last.index < this.refractory) return true;
    return (
      index - last.index < this.windowSamples() &&
      cands.slope[slot]! < T_WAVE_SLOPE_RATIO * last.slope &&
      cands.value[slot]! < T_WAVE_MAX_LEVEL * this.d.levels.qrs &&
      !this.outgrowsTWave(slot)
    );
  }

  /**
   * Search-back's stricter T-wave rule: below threshold 1, a slow candidate (under
   * {@link T_WAVE_SLOPE_RATIO} of the last QRS's slope) within {@link T_WAVE_MAX_S} of the
   * last beat — the longest QT — is taken for its T wave whatever the rate: search-back runs
   * after long intervals, where the rate-adapted window may end before a late T wave does.
   */
  isLateTWave(slot: number): boolean {
    const { cands, last } = this.d;
    return (
      last.index >= 0 &&
      cands.index[slot]! - last.index < T_WAVE_MAX_S * this.sampleRateHz &&
      cands.slope[slot]! < T_WAVE_SLOPE_RATIO * last.slope &&
      !this.outgrowsTWave(slot)
    );
  }

  /**
   * Is slow candidate `slot` too large for the last beat's T wave (qrs-early.ts), on the fused
   * feature or on one quiet lead (qrs-lead-wide.ts)? The latter only for an event on two leads
   * or more: search-back also weighs one-lead candidates, and a PVC's large T wave on one lead
   * is no beat (MIT-BIH 106).
   */
  outgrowsTWave(slot: number): boolean {
    const { cands: c, last, levels, leads } = this.d;
    const couplingS = (c.index[slot]! - last.index) / this.sampleRateHz;
    const [value, slope, amplitude] = [c.value[slot]!, c.slope[slot]!, c.amplitude[slot]!];
    const candidate = { value, slope, amplitude, couplingS };
    if (this.d.early.outgrowsTWave(candidate, levels, last.slope)) return true;
    if (leads === undefined || this.d.agreement.oneLead(c, slot)) return false;
    return leads.outgrowsTWave(c, slot, couplingS, levels, last.slope);
  }
}
