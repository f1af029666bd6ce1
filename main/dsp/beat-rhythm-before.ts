/**
 * Whether the rhythm a premature beat interrupts was a sinus rhythm — the condition under which an
 * abruptly early beat is an atrial premature beat rather than the first beat of atrial
 * fibrillation, whose "early" beats come at random and have no P wave.
 *
 * Two kinds of evidence, read from the beats called N before the one in question:
 * - **P waves.** Sinus beats show the patient's sinus P: their P windows correlate with its
 *   template. In fibrillation the window holds f-waves, which on the synthetic AF strips still
 *   correlate 0.4–0.7 with a sinus P template (coarse 6-Hz f-waves) against 0.94–0.99 for sinus
 *   beats — so a middling correlation is not proof of sinus P waves.
 * - **Regular RRs.** The sinus node's rate changes gradually from beat to beat (respiratory sinus
 *   arrhythmia: successive RR differences of a few percent at rest, Task Force of the ESC/NASPE,
 *   Circulation 93:1043–1065, 1996), whereas atrial fibrillation is "irregularly irregular"
 *   (successive RR differences of 20–30 % and more: Dash et al., Ann Biomed Eng 37(9), 2009;
 *   Tateno & Glass, Med Biol Eng Comput 39:664–671, 2001). The same 10 % margin that makes a
 *   shortening "abrupt" (beat-supraventricular.ts {@link ABRUPT_RATIO}) makes a change not
 *   gradual.
 * A clear sinus P (median ≥ the caller's "sinus P" threshold) suffices; a clearly foreign one
 * (beat-supraventricular.ts `clearlyForeignP`) rules sinus rhythm out; in between, the RRs
 * between the last beats called N must have changed only gradually. And when the beat just before was called
 * N, its own P window must not be clearly foreign: an atrial premature beat interrupts a sinus
 * rhythm that is there at the beat before it, whereas at the onset of atrial fibrillation the
 * first fibrillating beats already lack the sinus P while the median of three still shows it
 * (the median lags the onset by two beats; on the synthetic paroxysmal-AF strips this is where
 * the false S calls came).
 */
import { clearlyForeignP, RUN_RR_CHANGE } from './beat-supraventricular.js';
import type { BeatClass } from './hrv.js';
import { median } from './stats.js';

/** Beats called N whose P windows {@link RhythmBefore.sinusBefore} reads. */
export const SINUS_P_BEFORE_BEATS = 3;
/** Sinus-to-sinus RRs whose successive changes {@link RhythmBefore.sinusBefore} reads. */
export const REGULAR_BEFORE_RRS = 6;

/**
 * Whether `rrs` mostly change gradually: the median successive change is under
 * {@link RUN_RR_CHANGE} of the RR before (one ectopic or missed beat among them makes two large
 * changes, not most).
 */
export function changesGradually(rrs: readonly number[]): boolean {
  const changes = rrs.slice(1).map((rr, k) => Math.abs(rr / rrs[k]! - 1));
  return !(median(changes) >= RUN_RR_CHANGE);
}

/** The P windows and RRs of the last beats called N, and whether they show a sinus rhythm. */
export class RhythmBefore {
  private readonly pOfNormal: number[] = [];
  private readonly normalRrs: number[] = [];

  /**
   * Records a beat called N: its P-window correlation, and its RR when the beat before it was N
   * too (a sinus-to-sinus interval; the RRs around an ectopic beat say nothing of the sinus node).
   */
  noteNormalBeat(pCorrelation: number, rr: number | null, previousClass: BeatClass): void {
    this.pOfNormal.push(pCorrelation);
    if (this.pOfNormal.length > SINUS_P_BEFORE_BEATS) this.pOfNormal.shift();
    if (rr !== null && previousClass === 'N') {
      this.normalRrs.push(rr);
      if (this.normalRrs.length > REGULAR_BEFORE_RRS) this.normalRrs.shift();
    }
  }

  /**
   * Whether the beats called N before showed a sinus rhythm, given the P-window correlation under
   * which a P is not the sinus P (`pThreshold`) and the class of the beat just before
   * (`previousClass`): see the module comment (true while unknown).
   */
  sinusBefore(pThreshold: number, previousClass: BeatClass = 'S'): boolean {
    const last = this.pOfNormal.at(-1);
    if (previousClass === 'N' && last !== undefined && clearlyForeignP(last, pThreshold)) return false;
    const known = this.pOfNormal.filter((x) => !Number.isNaN(x));
    if (known.length < SINUS_P_BEFORE_BEATS || Number.isNaN(pThreshold)) return true;
    const p = median(known);
    if (p >= pThreshold) return true;
    if (clearlyForeignP(p, pThreshold)) return false;
    return this.normalRrs.length < REGULAR_BEFORE_RRS || changesGradually(this.normalRrs);
  }
}
