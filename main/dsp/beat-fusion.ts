/**
 * The fusion (AAMI F) decision of the beat classifier (beat-classifier.ts): a beat in which a
 * ventricular ectopic impulse and the normally conducted one activate the ventricles together.
 *
 * A fusion beat happens only when a ventricular focus fires at about the time the sinus impulse
 * arrives — late in the cycle, end-diastolic — so it comes at about the sinus time, after the
 * sinus P (its PR normal or a little short), in a patient whose focus is firing (PVCs within the
 * last beats), and its QRS lies between the normal and the ventricular one, the more like the
 * ventricular the earlier the focus fired (Chou's *Electrocardiography in Clinical Practice*,
 * ch. 20; Marriott's *Practical Electrocardiography*, "Ventricular fusion"). So the QRS is tested
 * for being a weighted sum of the patient's normal QRS and one of their ventricular QRS shapes,
 * better than either alone (cf. the template-subtraction view of fusion in Hamilton's
 * open-source classifier, Computers in Cardiology 29:101–104, 2002). The beats the ventricular
 * and supraventricular rules take are never F (V sensitivity is kept; an F called V costs less).
 */
import { FOREIGN_P_SHARE, NORMAL_SHAPE } from './beat-supraventricular.js';
import type { VentricularEvidence } from './beat-ventricular.js';

/** Beats after a V within which a ventricular focus is taken for still firing. */
export const FUSION_AFTER_V_BEATS = 12;
/** Prematurity range of a fusion beat: at the sinus time, or a little early or late. */
export const FUSION_TIMING = [0.9, 1.15] as const;
/** Largest unexplained share of the beat's variance by the best normal + ventricular sum. */
export const FUSION_RESIDUAL = 0.1;
/** The sum must leave at most this share of what the better template alone leaves. */
export const FUSION_GAIN = 0.5;
/** Share of the sum's size each template must contribute (both activations are there). */
export const FUSION_SHARE = [0.2, 0.8] as const;

/** What the fusion decision reads of one beat: the ventricular evidence and the beats since the last V. */
export interface FusionEvidence extends VentricularEvidence {
  readonly sinceV: number;
}

/**
 * Whether the beat is a fusion beat (the module comment): a ventricular focus firing (a V within
 * {@link FUSION_AFTER_V_BEATS} beats); the beat at the sinus time ({@link FUSION_TIMING}) after
 * the sinus P (P-window correlation at least {@link FOREIGN_P_SHARE} of the "not sinus P"
 * threshold: the conducted impulse is half of the beat); its QRS not the normal one (r <
 * {@link NORMAL_SHAPE}); and `fit()` (called only then: {@link fusionFit}) explaining it as a sum of
 * the normal and a ventricular QRS — unexplained variance ≤ {@link FUSION_RESIDUAL}, at most
 * {@link FUSION_GAIN} of either template alone, each contributing {@link FUSION_SHARE}. Noise and
 * a changed conducted QRS are not such a sum.
 */
export function fusionBeat(e: FusionEvidence, fit: () => FusionFit): boolean {
  const p = e.prematurity;
  if (e.sinceV > FUSION_AFTER_V_BEATS || p === null || p < FUSION_TIMING[0] || p > FUSION_TIMING[1]) {
    return false;
  }
  if (!(e.correlation < NORMAL_SHAPE && e.pCorrelation >= FOREIGN_P_SHARE * e.pThreshold)) return false;
  const f = fit();
  return (
    f.residual <= FUSION_RESIDUAL &&
    f.residual <= FUSION_GAIN * f.residualAlone &&
    f.normalShare >= FUSION_SHARE[0] &&
    f.normalShare <= FUSION_SHARE[1]
  );
}

/** How well a beat is a sum of the normal QRS and a ventricular one ({@link fusionFit}). */
export interface FusionFit {
  /** Unexplained share of the beat's variance with both templates (0 = a perfect sum). */
  readonly residual: number;
  /** Unexplained share with the better of the two alone (a scaled normal or ventricular QRS). */
  readonly residualAlone: number;
  /** Shares of the fitted sum's size from the normal and the ventricular template (each 0–1). */
  readonly normalShare: number;
}

/** `v` shifted by `shift` samples within each lead's part (`width` samples; edges held). */
function shifted(v: Float64Array, width: number, shift: number, out: Float64Array): void {
  for (let o = 0; o < v.length; o += width) {
    for (let j = 0; j < width; j++) out[o + j] = v[o + Math.min(width - 1, Math.max(0, j - shift))]!;
  }
}

function centred(v: Float64Array): Float64Array {
  let m = 0;
  for (const x of v) m += x;
  m /= v.length;
  return v.map((x) => x - m);
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Least-squares fit of the beat window `w` (aligned on the normal template `normal`; `width`
 * samples per lead) by a·normal + b·V, V each of the `ventricular` templates shifted by up to
 * ±`maxShift` samples (the ventricular focus fires at its own time relative to the conducted R):
 * the best such sum, and what either template alone leaves.
 */
export function fusionFit(
  w: Float64Array,
  normal: Float64Array,
  ventricular: readonly Float64Array[],
  width: number,
  maxShift: number,
): FusionFit {
  const y = centred(w);
  const n = centred(normal);
  const yy = dot(y, y);
  const nn = dot(n, n);
  const yn = dot(y, n);
  if (yy <= 0 || nn <= 0) return { residual: 1, residualAlone: 1, normalShare: 1 };
  let alone = 1 - (yn * yn) / (yy * nn);
  let best: FusionFit = { residual: alone, residualAlone: alone, normalShare: 1 };
  const v = new Float64Array(w.length);
  for (const template of ventricular) {
    for (let shift = -maxShift; shift <= maxShift; shift++) {
      shifted(template, width, shift, v);
      // y and n are centred, so Σy·v and Σn·v need no mean of v; Σ(v − v̄)² = Σv² − (Σv)²/N
      let sv = 0;
      let svv = 0;
      let yv = 0;
      let nv = 0;
      for (let i = 0; i < v.length; i++) {
        const x = v[i]!;
        sv += x;
        svv += x * x;
        yv += y[i]! * x;
        nv += n[i]! * x;
      }
      const vv = svv - (sv * sv) / v.length;
      if (vv <= 0) continue;
      alone = Math.min(alone, 1 - (yv * yv) / (yy * vv));
      const det = nn * vv - nv * nv;
      if (det <= 1e-12 * nn * vv) continue;
      const a = (yn * vv - yv * nv) / det;
      const b = (yv * nn - yn * nv) / det;
      const residual = 1 - (a * yn + b * yv) / yy;
      if (residual < best.residual && a > 0 && b > 0) {
        const sizeN = a * Math.sqrt(nn);
        best = { residual, residualAlone: alone, normalShare: sizeN / (sizeN + b * Math.sqrt(vv)) };
      }
    }
  }
  return { ...best, residualAlone: alone };
}
