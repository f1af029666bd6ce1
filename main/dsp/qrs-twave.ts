/**
 * The live QRS detector's T-wave rules: which candidates after a beat are that beat's own T
 * wave (or another slow wave in its wake) rather than a new QRS. Pan & Tompkins (1985, IEEE
 * TBME 32:230): within 360 ms of a beat, a candidate with under half the beat's slope is its T
 * wave; the window widens at slow rates (a long QT), and a candidate with a QRS's energy, or too
 * large for the patient's T waves (qrs-early.ts, qrs-lead-wide.ts), is not a T wave however slow
 * its upstroke; nor is a complex that repeats the last beat's (a couplet).
 */
import type { CandidateRing } from './qrs-candidates.js';
import { type EarlyComplexRule, MIN_COUPLING_S, type Outgrowth, repeatsSizeAndSlope } from './qrs-early.js';
import type { LeadAgreement } from './qrs-agreement.js';
import type { LeadWideRule } from './qrs-lead-wide.js';
import type { QrsLevels } from './qrs-levels.js';
import type { RrHistory } from './qrs-rr.js';
import type { QrsTemplate } from './qrs-template.js';

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

/** The detector's last beat: its feature-peak index (-1: none yet), its slope and its 1–40 Hz peak-to-peak size. */
export interface LastBeat {
  index: number;
  slope: number;
  amplitude: number;
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
  /** The patient's QRS and the last beat's complex. */
  readonly template: QrsTemplate;
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
    return this.slowInWindow(slot) && this.outgrowth(slot) === 'fits';
  }

  /**
   * Does candidate `slot`, after a beat, lie in the T-wave window with a T wave's upstroke: under
   * {@link T_WAVE_SLOPE_RATIO} of the last QRS's slope and {@link T_WAVE_MAX_LEVEL} of the QRS
   * level? (A T wave unless too large for it, {@link outgrowth}.)
   */
  private slowInWindow(slot: number): boolean {
    const { cands, last } = this.d;
    return (
      last.index >= 0 &&
      cands.index[slot]! - last.index < this.windowSamples() &&
      cands.slope[slot]! < T_WAVE_SLOPE_RATIO * last.slope &&
      cands.value[slot]! < T_WAVE_MAX_LEVEL * this.d.levels.qrs
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
      this.outgrowth(slot) === 'fits'
    );
  }

  /**
   * Is candidate `slot` a beat in the T-wave window only by the weaker evidence of its size
   * (`outgrows-by-size`, qrs-early.ts)? Without it, it would be the last beat's T wave (a slow
   * upstroke) or no beat at all (below threshold 1). The detector holds such a beat like an
   * early beat in noise, until the next beat shows whether it disturbed the rhythm (qrs-hold.ts):
   * a ventricular premature beat is followed by a pause, a noise burst is not.
   */
  standsBySizeAlone(slot: number): boolean {
    const { cands, last, levels } = this.d;
    if (last.index < 0 || cands.index[slot]! - last.index >= this.windowSamples()) return false;
    const weak = cands.value[slot]! <= levels.threshold1();
    return (this.slowInWindow(slot) || weak) && this.outgrowth(slot) === 'outgrows-by-size';
  }

  /**
   * Does candidate `slot`, in the T-wave window below threshold 1, repeat the last beat: at least
   * {@link MIN_COUPLING_S} after it, its feature above threshold 2, and either
   * - its complex: its slope and size ≥ 3/4 of that beat's and its feature 6 ×
   *   the noise level (qrs-early.ts `repeatsSizeAndSlope`), its shape the same (qrs-template.ts
   *   `repeatsLast`); or
   * - with several leads, an event on two of them or more (qrs-agreement.ts), its size and
   *   steepness on one quiet lead: ≥ 3/4 of the last beat's slope and size there, each of a
   *   QRS's size (qrs-lead-wide.ts `repeatsLastBeatOn`)?
   * Then it is a ventricular focus firing again — the second beat of a couplet or a salvo — and
   * not the last beat's T wave. A T wave is the slow repolarisation of the beat before it: on
   * every lead it is broader than that beat's QRS, so its steepest slope is a fraction of the
   * QRS's there (Pan & Tompkins' half), while a complex as steep and as large as the last one is
   * a new depolarisation, the same focus (the same shape) or another one (multiform ectopy, whose
   * couplets change shape from beat to beat). The T-wave rules of qrs-early.ts judge only what
   * follows a typical beat, whose T wave the detector has learned; after a wide beat accepted
   * below threshold 1 the second of a couplet was missed (the synthetic strips of
   * `npm run bench -- qrs-wide`, lead II: 10 of 125 missed beats), and so was a second PVC of
   * another shape on II, V2 and V5 (there, with this test and the clean-lead margin of
   * qrs-lead-wide.ts `QUIET_MARGIN`, 101 → 36 missed beats, false beats 93 → 93).
   *
   * The second test asks no shape, and each lead's own noise level instead of the fused one: in
   * atrial fibrillation with PVCs (synthetic-wide.ts, seed 1, 16 s) the second PVC of a couplet
   * from two foci had 0.8 of threshold 1 but under 6 times the fused noise level (0.045 of the
   * fused QRS level, against 0.018–0.025 on each lead), while on lead II it had 0.95 of the last
   * PVC's slope and size there and 16 times II's own noise level.
   */
  repeatsLastBeat(slot: number): boolean {
    const { cands: c, last, levels, leads } = this.d;
    if (
      last.index < 0 ||
      c.index[slot]! - last.index < MIN_COUPLING_S * this.sampleRateHz ||
      c.value[slot]! <= levels.threshold2()
    )
      return false;
    const candidate = { value: c.value[slot]!, slope: c.slope[slot]!, amplitude: c.amplitude[slot]! };
    const sameComplex =
      repeatsSizeAndSlope(candidate, levels, last) && this.d.template.repeatsLast(c.r[slot]!);
    return (
      sameComplex ||
      (leads !== undefined && !this.d.agreement.oneLead(c, slot) && leads.repeatsLastBeatOn(c, slot, levels))
    );
  }

  /**
   * Is slow candidate `slot` too large for the last beat's T wave (qrs-early.ts `Outgrowth`), on
   * the fused feature or on one quiet lead (qrs-lead-wide.ts)? The plainer answer of the two.
   * The latter only for an event on two leads or more: search-back also weighs one-lead
   * candidates, and a PVC's large T wave on one lead is no beat (MIT-BIH 106).
   */
  outgrowth(slot: number): Outgrowth {
    const { cands: c, last, levels, leads } = this.d;
    const couplingS = (c.index[slot]! - last.index) / this.sampleRateHz;
    const [value, slope, amplitude] = [c.value[slot]!, c.slope[slot]!, c.amplitude[slot]!];
    const candidate = { value, slope, amplitude, couplingS };
    const fused = this.d.early.outgrowsTWave(candidate, levels, last.slope);
    const byLead =
      fused === 'outgrows' || leads === undefined || this.d.agreement.oneLead(c, slot)
        ? 'fits'
        : leads.outgrowsTWave(c, slot, couplingS, levels);
    const answer = byLead === 'fits' ? fused : byLead;
    // the size evidence weighs the candidate against the T waves of the patient's usual beats;
    // after a beat of another shape (a ventricular one, its T wave its own) it says nothing
    // (supraventricular arrhythmia database 800: a PVC's tall T wave taken for a beat)
    return answer === 'outgrows-by-size' && !this.d.template.lastResembled ? 'fits' : answer;
  }
}
