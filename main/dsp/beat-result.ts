/** The result the beat classifier (beat-classifier.ts) gives for one beat. */
import type { BeatClass } from './hrv.js';

/** What the classifier found about one beat (for tests and a beat inspector). */
export interface ClassifiedBeat {
  readonly beatClass: BeatClass;
  readonly correlation: number;
  /** QRS spread over the template's (1 = as wide as normal). */
  readonly widthRatio: number;
  /** RR before the beat over the reference RR; null for the first beat. */
  readonly prematurity: number | null;
  /** Correlation of the P-wave window (300–80 ms before R) with the normal beats'; NaN unknown. */
  readonly pCorrelation: number;
  /** P-window correlation under which the beat's P was taken for not the sinus P (NaN while learning). */
  readonly pThreshold: number;
  /** Whether the RR irregularity said atrial fibrillation at this beat. */
  readonly atrialFibrillation: boolean;
  /** Best correlation with the patient's ventricular templates (−1 when none compared). */
  readonly vCorrelation: number;
  /** Median P-window correlation of recent sinus beats with their P template (NaN unknown). */
  readonly sinusPConsistency?: number;
  /** Deformation of the T wave before the beat (beat-preceding-t.ts; least over the leads, NaN unknown). */
  readonly tDeformation?: number;
  /** Correlation with the normal template over the QRS onset (to 20 ms after R; beat-ashman.ts). */
  readonly onsetCorrelation?: number;
  /** A new class for an earlier beat that this one decided (beat-aberrancy.ts). */
  readonly revises?: { readonly sample: number; readonly beatClass: BeatClass };
}
