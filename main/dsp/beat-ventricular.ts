/**
 * The ventricular-ectopy (AAMI V) decision of the beat classifier (beat-classifier.ts): whether a
 * beat's QRS, its timing and the patient's learned ventricular shapes make it a premature
 * ventricular contraction or a ventricular escape beat.
 *
 * A ventricular impulse spreads through the myocardium rather than down the bundle branches, so
 * its QRS is unlike the normally conducted one and usually wide (≥ 120 ms against 80–100 ms);
 * a PVC comes early, an escape beat after a pause (Chou's *Electrocardiography in Clinical
 * Practice*, ch. 20; de Chazal, O'Dwyer & Reilly, IEEE TBME 51(7):1196–1206, 2004, for the
 * RR and width features). Rules → V:
 * - premature (RR < {@link PREMATURE_RATIO} of the local normal RR) and unlike the normal QRS
 *   (r < {@link UNLIKE_NORMAL}), or wide (spread ≥ 1.4 × normal) with r < 0.9;
 * - clearly premature (under {@link CLEARLY_PREMATURE_RATIO}) with a QRS that is not the normally
 *   conducted one (r < {@link NORMAL_SHAPE}) while the atria keep a sinus rhythm: see
 *   {@link ventricularBeat};
 * - unlike and matching a learned ventricular shape (r ≥ {@link VENTRICULAR_MATCH}) while wide
 *   (≥ 1.2 ×) or very unlike (r < 0.5);
 * - not on time (RR < 95 %), wide (≥ 1.4 ×) and unlike;
 * - after a pause (RR ≥ {@link ESCAPE_RATIO}: an escape), wide (≥ 1.3 ×) and very unlike.
 * Beyond {@link MAX_VENTRICULAR_WIDTH_RATIO} × the normal width a beat that is not premature is
 * artefact, not V; so is a beat that is not premature and shows the normal QRS on one lead
 * ({@link artefactOnOtherLeads}); and one that is not premature and was conducted from a sinus P
 * ({@link conductedFromSinus}).
 */
import {
  CLEARLY_PREMATURE_RATIO,
  NORMAL_SHAPE,
  PREMATURE_RATIO,
  SAME_SHAPE,
  SINUS_P_CORRELATION,
} from './beat-supraventricular.js';
import { VENTRICULAR_MATCH } from './beat-templates.js';

/** Correlation with the normal template under which a beat's QRS is "unlike" it. */
export const UNLIKE_NORMAL = 0.8;
/** RR over the reference at or above which a beat ends a pause (a ventricular escape may). */
export const ESCAPE_RATIO = 1.1;
/**
 * A beat that is not premature and "wider" than this many times the normal QRS is taken for
 * artefact, not a ventricular escape or an end-diastolic PVC (those reach about twice the
 * normal width: ≤ 200 ms against 80–100 ms).
 */
export const MAX_VENTRICULAR_WIDTH_RATIO = 2.5;

/** What the ventricular decision reads of one beat. */
export interface VentricularEvidence {
  /** Correlation of the QRS with the normal template. */
  readonly correlation: number;
  /** QRS spread over the normal template's. */
  readonly widthRatio: number;
  /** RR before the beat over the local normal RR; null when unknown. */
  readonly prematurity: number | null;
  /** Best correlation with the patient's learned ventricular shapes (−1: none compared). */
  readonly ventricularCorrelation: number;
  /** The atria keep a sinus rhythm against which the RR is read (not fibrillation). */
  readonly atrialRhythm: boolean;
  /**
   * Best correlation with the normal template on any one lead, where two or more leads were
   * compared (NaN with one).
   */
  readonly bestLeadCorrelation: number;
  /** Correlation of the beat's P window with the sinus P template (NaN unknown). */
  readonly pCorrelation: number;
  /** P-window correlation under which a P is not the sinus P (beat-supraventricular.ts). */
  readonly pThreshold: number;
}

/**
 * Whether a beat that is not premature was conducted from a sinus P: its P window shows the sinus
 * P clearly (correlation at or above both the patient's threshold and {@link SINUS_P_CORRELATION})
 * while the atria keep a sinus rhythm. A wide QRS preceded by the sinus P at the normal PR is a
 * conducted beat with bundle-branch block or aberration, AAMI N, not a PVC; a ventricular origin
 * shows in AV dissociation instead (Wellens, Bär & Lie, Am J Med 64:27–33, 1978; Marriott's
 * *Practical Electrocardiography*, "aberrant ventricular conduction"). A rate-dependent
 * bundle-branch block appears as the rate rises, so its first beats come a little early (RR
 * 90–95 % of the slower rhythm's) and wide, where the other rules would call them V and teach the
 * ventricular bank their shape. A ventricular focus fires without the sinus P or, end-diastolic,
 * so soon after it that the P window reaches into its QRS; a premature beat is left to the other
 * rules.
 */
export function conductedFromSinus(e: VentricularEvidence): boolean {
  const premature = e.prematurity !== null && e.prematurity < PREMATURE_RATIO;
  return !premature && e.atrialRhythm && e.pCorrelation >= Math.max(e.pThreshold, SINUS_P_CORRELATION);
}

/**
 * Whether a beat that is not premature shows the normal QRS (r ≥ {@link SAME_SHAPE}) on one of
 * several leads, so that what differs on the others is artefact. The leads see one electrical
 * event from different directions: a ventricular impulse spreads in another order from the
 * start, and its QRS loses the normal shape on essentially every lead, whereas electrode motion
 * and baseline artefact — slow, so the roughness test (beat-windows.ts) does not leave the lead
 * out — usually disturb one electrode, hence one lead (the noise of the MIT-BIH Arrhythmia
 * Database's records 103, 105 and 108 is mostly of this kind: Moody & Mark, IEEE EMB Mag
 * 20(3):45–50, 2001). A premature beat is left to the other rules: an early PVC from near the
 * septum may keep much of the normal shape on one lead (MIT-BIH 105: 0.93–0.97).
 */
export function artefactOnOtherLeads(e: VentricularEvidence): boolean {
  const premature = e.prematurity !== null && e.prematurity < PREMATURE_RATIO;
  return !premature && e.bestLeadCorrelation >= SAME_SHAPE;
}

/**
 * Whether the beat is ventricular (the module comment's rules). The clearly-premature rule: a
 * beat that comes at under {@link CLEARLY_PREMATURE_RATIO} of the sinus cycle is ectopic (a
 * sinus node does not fire so early from one beat to the next: the 20 % ectopic filter of
 * heart-rate-variability practice, beat-supraventricular.ts), so it is S or V, never N; an
 * atrial or junctional impulse conducts down the normal pathway and keeps the normal QRS
 * (r ≥ {@link NORMAL_SHAPE}), so one whose QRS is not the normal one came from the ventricles —
 * or was conducted aberrantly, which is much rarer (MIT-BIH Arrhythmia Database: 7,130 PVCs
 * against 150 aberrated APCs) and which beat-aberrancy.ts may still revise one beat later.
 * PVCs from a focus near the septum can keep much of the normal shape and width (MIT-BIH 105:
 * r 0.85–0.88 at normal width). Read only while the atria keep a sinus rhythm: in atrial
 * fibrillation an RR says nothing of ectopy, and its early beats conducted with a little
 * aberrancy (Ashman) are N.
 */
export function ventricularBeat(e: VentricularEvidence): boolean {
  const { correlation: r, widthRatio: w, prematurity } = e;
  const premature = prematurity !== null && prematurity < PREMATURE_RATIO;
  const clearlyEarly = prematurity !== null && prematurity < CLEARLY_PREMATURE_RATIO;
  const onTime = prematurity === null || prematurity >= 0.95;
  const late = prematurity !== null && prematurity >= ESCAPE_RATIO;
  const knownVentricular = e.ventricularCorrelation >= VENTRICULAR_MATCH;
  const notTooWide = w <= MAX_VENTRICULAR_WIDTH_RATIO;
  if (artefactOnOtherLeads(e) || conductedFromSinus(e)) return false;
  return (
    (premature && (r < UNLIKE_NORMAL || (r < NORMAL_SHAPE && w >= 1.4))) ||
    (clearlyEarly && r < NORMAL_SHAPE && e.atrialRhythm) ||
    (notTooWide && r < UNLIKE_NORMAL && knownVentricular && (w >= 1.2 || r < 0.5)) ||
    (notTooWide && !onTime && w >= 1.4 && r < UNLIKE_NORMAL) ||
    (notTooWide && late && r < 0.5 && w >= 1.3)
  );
}
