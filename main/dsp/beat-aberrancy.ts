/**
 * An aberrantly conducted atrial premature beat (AAMI S) told from a PVC, one beat later.
 *
 * A wide premature beat is first called V. It is a candidate for aberrancy when the evidence at
 * the beat points to an atrial impulse (a premature P deformed the T wave before it,
 * beat-preceding-t.ts, or the QRS starts as the normal one; the QRS keeps much of the normal
 * shape; it came before the sinus P was due). The deciding evidence comes with the next beat:
 * an atrial premature beat discharges and resets the
 * sinus node, so the next sinus beat follows one sinus cycle later and the two RRs around the
 * premature beat add up to clearly less than two sinus cycles (a non-compensatory pause); a PVC
 * seldom reaches the sinus node, whose next P falls on time and conducts, so the RRs around it
 * add up to two cycles (a fully compensatory pause) — Marriott's *Practical Electrocardiography*;
 * Chou's *Electrocardiography in Clinical Practice*, ch. 20. On MIT-BIH 113 the aberrated APCs'
 * pauses are 0.70–0.80 sinus cycles, the PVCs of 105 and 119 with a deformed-looking T (noise)
 * 0.99–1.05.
 */
import { P_ON_T_PREMATURITY, PrecedingT, SAME_INITIAL_VECTOR, T_DEFORMED } from './beat-preceding-t.js';
import { SAME_ONSET } from './beat-ashman.js';
import type { SampleReader } from './beat-windows.js';
import type { BeatClass } from './hrv.js';

/** Mean of the RRs around the beat, in sinus cycles, under which its pause is non-compensatory. */
export const NON_COMPENSATORY_PAUSE = 0.9;
/**
 * The beat after must come at least this share of a sinus cycle later (the reset sinus node's
 * next beat, not a noise detection or another ectopic beat), and be called N.
 */
const RESET_CYCLE = 0.9;

/**
 * The next beat decides only if it comes within this time (a reset sinus node's next beat does
 * at rates over ≈ 35/min), so the live pipeline, which holds each beat ≈ 4 s for its VF decision
 * (pipeline.ts, RhythmGate), still holds the beat when its class is revised.
 */
export const MAX_DECISION_S = 1.8;

/** A candidate waiting for the next beat. */
interface Candidate {
  readonly r: number;
  readonly rrBefore: number;
  readonly sinusRr: number;
}

/** The revised class of an earlier beat. */
export interface Revision {
  readonly sample: number;
  readonly beatClass: BeatClass;
}

/** What {@link AberrancyWatch.settle} reads of a classified beat. */
export interface SettledBeat {
  readonly r: number;
  readonly rr: number | null;
  readonly beatClass: BeatClass;
  /** RR under the premature ratio of the local sinus RR `sinusRr`. */
  readonly premature: boolean;
  /** RR over `sinusRr` (null unknown). */
  readonly prematurity: number | null;
  readonly sinusRr: number;
  /** Correlation of the QRS with the normal template, and of its onset (beat-windows.ts onsetCorrelation). */
  readonly correlation: number;
  readonly onsetCorrelation: number;
  /** The atria keep a rhythm against which a beat can be premature (not fibrillation). */
  readonly atrialRhythm: boolean;
}

/**
 * Whether a wide premature beat called V looks atrial at the beat itself: a QRS keeping much of
 * the normal shape ({@link SAME_INITIAL_VECTOR}), a prematurity under {@link P_ON_T_PREMATURITY},
 * and either a deformed T before it ({@link T_DEFORMED}) or a QRS that starts as the normal one
 * (onset correlation ≥ {@link SAME_ONSET}, beat-ashman.ts): a bundle-branch aberrancy leaves the
 * other bundle and the septum to conduct normally, so only the end of the QRS differs, whereas a
 * ventricular focus activates the ventricles in another order from the onset (Wellens, Bär & Lie,
 * Am J Med 64:27–33, 1978). Of the 1,245 PVCs called V on MIT-BIH 100–124 (`npm run bench --
 * beats`, paced records left out) none starts so (7 reach 0.9), while the synthetic RBBB-aberrated
 * APCs do at 0.96–0.99, most of them with a T deformed less than {@link T_DEFORMED} (their P sits
 * on the T's downslope, or the T template is not learned yet). Either sign only nominates the
 * beat: the pause after it decides.
 */
export function atrialLooking(
  correlation: number,
  tDeformation: number,
  prematurity: number,
  onsetCorrelation = NaN,
): boolean {
  const atrialSign = tDeformation >= T_DEFORMED || onsetCorrelation >= SAME_ONSET;
  return correlation >= SAME_INITIAL_VECTOR && atrialSign && prematurity < P_ON_T_PREMATURITY;
}

/** The preceding-T evidence and one aberrancy candidate, decided by the next beat. */
export class AberrancyWatch {
  private candidate: Candidate | null = null;
  private readonly t: PrecedingT;
  private readonly maxAfterSamples: number;
  private lastClass: BeatClass = 'N';
  private classBeforeLast: BeatClass = 'N';

  constructor(sampleRateHz: number, leadCount: number) {
    this.t = new PrecedingT(sampleRateHz, leadCount);
    this.maxAfterSamples = Math.round(MAX_DECISION_S * sampleRateHz);
  }

  /**
   * After a beat is classified: the deformation of the T before it; decides the waiting
   * candidate (its revision to S when the pause was non-compensatory), takes this beat as the
   * next candidate when called V but looking atrial in atria that keep a rhythm, and learns the T course
   * after the previous beat when both are N and this one is on time.
   */
  settle(beat: SettledBeat, read: SampleReader): { tDeformation: number; revises?: Revision } {
    const revises = this.decide(beat.r, beat.beatClass);
    const { r, rr } = beat;
    const known = rr !== null && this.lastClass === 'N' && this.classBeforeLast === 'N';
    // the least deformation over the leads, known only after two beats called N (the T after an
    // ectopic beat or a short cycle differs from the template on its own)
    const t = known ? Math.min(...this.t.deformation(r - rr, r, read)) : NaN;
    const p = beat.prematurity;
    const looksAtrial =
      p !== null && beat.premature && atrialLooking(beat.correlation, t, p, beat.onsetCorrelation);
    if (beat.beatClass === 'V' && looksAtrial && beat.atrialRhythm && beat.rr !== null) {
      this.candidate = { r: beat.r, rrBefore: beat.rr, sinusRr: beat.sinusRr };
    }
    if (beat.beatClass === 'N' && this.lastClass === 'N' && beat.rr !== null && !beat.premature) {
      this.t.learn(beat.r - beat.rr, beat.r, read);
    }
    this.classBeforeLast = this.lastClass;
    this.lastClass = beat.beatClass;
    return revises === undefined ? { tDeformation: t } : { tDeformation: t, revises };
  }

  private decide(r: number, beatClass: BeatClass): Revision | undefined {
    const c = this.candidate;
    this.candidate = null;
    if (c === null || beatClass !== 'N' || c.sinusRr <= 0) return undefined;
    const rrAfter = r - c.r;
    if (rrAfter < RESET_CYCLE * c.sinusRr || rrAfter > this.maxAfterSamples) return undefined;
    const pause = (c.rrBefore + rrAfter) / (2 * c.sinusRr);
    return pause < NON_COMPENSATORY_PAUSE ? { sample: c.r, beatClass: 'S' } : undefined;
  }
}
