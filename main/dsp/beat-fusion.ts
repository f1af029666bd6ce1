/**
 * The fusion (AAMI F) decision of the beat classifier (beat-classifier.ts): a beat in which a
 * ventricular ectopic impulse and the normally conducted one activate the ventricles together.
 *
 * A fusion beat happens only when a ventricular focus fires at about the time the sinus impulse
 * arrives — late in the cycle, end-diastolic — so it comes on time (not premature), in a patient
 * whose focus is firing (PVCs within the last few beats), and its QRS lies part-way between the
 * normal and the ventricular one: less like the normal QRS than a conducted beat, wider than it
 * (Chou's *Electrocardiography in Clinical Practice*, ch. 20; Marriott's *Practical
 * Electrocardiography*, "ventricular fusion"). A beat that keeps the normal QRS on one lead is
 * artefact on the others, not fusion (beat-ventricular.ts).
 */
import { artefactOnOtherLeads, type VentricularEvidence } from './beat-ventricular.js';

/** Beats after a V within which a ventricular focus is taken for still firing. */
export const FUSION_AFTER_V_BEATS = 8;
/** Prematurity at or above which a beat came on time. */
export const ON_TIME_RATIO = 0.95;

/** What the fusion decision reads of one beat: the ventricular evidence and the beats since the last V. */
export interface FusionEvidence extends VentricularEvidence {
  readonly sinceV: number;
}

/**
 * Whether the beat is a fusion beat: on time (RR ≥ {@link ON_TIME_RATIO} of the local normal
 * RR), within {@link FUSION_AFTER_V_BEATS} beats of a V, its QRS part-way like the normal one
 * (0.7 ≤ r < 0.85) and at least 1.2 × as wide, and not artefact on some leads.
 */
export function fusionBeat(e: FusionEvidence): boolean {
  const onTime = e.prematurity === null || e.prematurity >= ON_TIME_RATIO;
  return (
    e.sinceV <= FUSION_AFTER_V_BEATS &&
    onTime &&
    e.correlation < 0.85 &&
    e.correlation >= 0.7 &&
    e.widthRatio >= 1.2 &&
    !artefactOnOtherLeads(e)
  );
}
