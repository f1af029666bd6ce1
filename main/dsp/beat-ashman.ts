/**
 * Ashman beats in atrial fibrillation: aberrantly conducted supraventricular beats, AAMI N, told
 * from PVCs.
 *
 * In atrial fibrillation the refractory period of the right bundle follows the preceding cycle,
 * so a beat that ends a long–short sequence may find it still refractory and conduct with
 * right-bundle-branch block (Gouaux & Ashman, Am Heart J 34:366–373, 1947). Its QRS is wide and
 * unlike the normal one, and early, so the ventricular rules call it V; but AAMI EC57 counts every
 * beat conducted from fibrillating atria N. What tells it from a PVC (Marriott's *Practical
 * Electrocardiography*, "Aberrant ventricular conduction"; Wellens, Bär & Lie, Am J Med
 * 64:27–33, 1978): the left bundle and the septum conduct normally, so the QRS *starts* as the
 * normal one (the same initial vector) and only its end differs, whereas a ventricular focus
 * activates the ventricles in another order from the onset; and it ends a long–short cycle. The
 * rule is kept narrow — atria not in a sinus rhythm, the long–short cycle, an onset that is the
 * normal one to r ≥ {@link SAME_ONSET}, a QRS not beyond twice the normal width — because a PVC
 * from near the septum can start much like the normal beat, and V sensitivity matters more.
 */

/** A cycle under this share of the cycle before it ends a long–short sequence. */
export const LONG_SHORT_RATIO = 0.7;
/** The QRS onset compared: the window up to this long after R, s (the normal R's peak, before an R′). */
export const ONSET_S = 0.02;
/** Correlation of the QRS onset (to 20 ms after R) with the normal one at or above which it is the same. */
export const SAME_ONSET = 0.95;
/** Widest QRS (over the normal one's) taken for bundle-branch aberrancy (≈ 160–180 ms). */
export const MAX_ABERRANT_WIDTH_RATIO = 2.2;

/** What the Ashman test reads of a beat the ventricular rules called V. */
export interface AshmanEvidence {
  /** The atria keep a sinus rhythm (false in fibrillation or flutter). */
  readonly atrialRhythm: boolean;
  /** RR before the beat and the RR before that (any one unit; null or ≤ 0: unknown). */
  readonly rr: number | null;
  readonly previousRr: number;
  /** Correlation with the normal template over the QRS onset (beat-windows.ts onsetCorrelation). */
  readonly onsetCorrelation: number;
  /** QRS spread over the normal template's. */
  readonly widthRatio: number;
}

/** Whether a beat called V is an Ashman beat of atrial fibrillation (N): see the module comment. */
export function ashmanBeat(e: AshmanEvidence): boolean {
  return (
    !e.atrialRhythm &&
    e.rr !== null &&
    e.previousRr > 0 &&
    e.rr < LONG_SHORT_RATIO * e.previousRr &&
    e.onsetCorrelation >= SAME_ONSET &&
    e.widthRatio <= MAX_ABERRANT_WIDTH_RATIO
  );
}
