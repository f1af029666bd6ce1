/**
 * The patient's P wave, as the QRS detector learns it: so that a P wave with no QRS after it is
 * not taken for a beat.
 *
 * Where it matters: a P wave that no QRS follows — the ventricles standing still while the atria
 * beat on (complete AV block without an escape rhythm, the Adams–Stokes attack). Normally the QRS
 * after a P overtakes it within the detector's confirmation time; with no QRS the P wave becomes a
 * candidate of its own. Its 5–15 Hz energy is small, but once the beats stop the detector's
 * thresholds fall (search-back decays them), and the first P wave was accepted as a wide complex
 * below threshold 1; the levels then learned P waves as the patient's QRS and took every later one
 * "clearly". On MIT-BIH 108, whose P waves are about a third of its low QRS on MLII, with
 * ventricular standstill pasted in (`npm run bench -- vf`, part 5, lead MLII alone), 58 P waves
 * were reported as beats in 7 standstills and the asystole alarm was raised in none.
 *
 * Physiology, three conditions together:
 * - **Shape and size**: the P wave is the atria's own, repeating shape (one sinus focus, one
 *   activation path: the same P beat after beat; Chou's *Electrocardiography in Clinical
 *   Practice*, ch. 1), smaller than the QRS. A candidate repeats it when it correlates with the
 *   patient's P template at ≥ {@link SAME_SHAPE}, at {@link MIN_SIZE_RATIO}–{@link MAX_SIZE_RATIO}
 *   of its size, and is not of a QRS's size itself (the caller's test). A ventricular complex — an
 *   escape beat, a PVC — activates other tissue along another path and does not repeat the P at
 *   the P's size.
 * - **Timing**: the atria go on at their cycle whether or not the ventricles follow, so the first
 *   P after the last beat comes a cycle after that beat's P — its P-to-R time before the beat it
 *   would have conducted — and each later one a cycle after the P before it. A QRS that has shrunk
 *   to a P's size (an electrode losing contact) still comes when the beat is due, a P-to-R time
 *   later (MIT-BIH 105 at 850 s: three such beats matched the P template's shape and
 *   size, and were taken for P waves until the timing was asked too).
 * - **A P wave to compare with**: learned from the window before each clear, typical beat's QRS
 *   (80–300 ms before R, from after the previous beat's T wave), and used only while the windows
 *   match it beat after beat ({@link CONSISTENT}: not in atrial fibrillation, whose windows hold f
 *   waves unlike from beat to beat, nor in noise) and while it is at most
 *   {@link MAX_QRS_SHARE} of the QRS template's size (on MIT-BIH 108's two leads a template that had
 *   caught the start of the second lead's QRS took 27 beats for P waves until this was asked).
 * `npm run bench -- vf`, part 5, one lead: 111 of 114 standstills with P waves alarmed (106 before),
 * 20 P waves counted as beats (66), MIT-BIH 108 5 of 7 (none) and 12 (58); every other figure of
 * that benchmark, of `qrs` (MIT-BIH, svdb, LUDB) and of `qrs-block` as before; `qrs-wide` 2 false
 * beats fewer on lead II, `qrs-noise` 2 beats fewer found at −6 dB electrode motion on 118.
 */
import type { QrsFeature } from './qrs-feature.js';
import { largestAbs, RingShape } from './qrs-template.js';
import { median } from './stats.js';

/** The P window before a beat's R mark: from this long before it… */
const P_FROM_S = 0.3;
/** …to this long before it (the PR segment and the QRS's onset left out), s. */
const P_TO_S = 0.08;
/** The previous beat's T wave ends by this long after its R mark (QT at usual rates), s. */
const T_END_S = 0.45;
/** The P window is read only when at least this long of it is left after the T wave, s. */
const MIN_WINDOW_S = 0.1;
/** Half-width of the P wave's shape around its peak, s (a P wave lasts ≤ 120 ms). */
const HALF_S = 0.06;
/** A window is matched at the best alignment within this of its mark, s. */
const ALIGN_S = 0.02;
/** P windows averaged plainly before the template is used; then each new one weighs 1/this. */
const LEARN_BEATS = 8;
/** Recent P windows whose correlations with the template give its consistency. */
const CONSISTENCY_WINDOWS = 16;
/**
 * Median correlation of the recent P windows with the template from which the patient's P waves
 * are consistent (sinus P waves: ≥ 0.9; atrial fibrillation's windows 0.1–0.4, beat-supraventricular.ts).
 */
const CONSISTENT = 0.8;
/** A candidate repeats the P wave's shape at this correlation… */
const SAME_SHAPE = 0.9;
/** …and its size within these ratios of the P wave's (a QRS is some 2–10 times larger). */
const MIN_SIZE_RATIO = 0.6;
const MAX_SIZE_RATIO = 1.6;
/**
 * The template is a P wave only while it is at most this share of the QRS template's size: a P wave
 * is smaller than the QRS (≤ 0.25 mV against 0.5–2 mV; MIT-BIH 108's unusually large P waves are
 * about 0.3 of its QRS). A larger one has caught part of a QRS (a complex whose onset lies over
 * 80 ms before its R mark).
 */
const MAX_QRS_SHARE = 0.5;
/**
 * A candidate is at a P wave's time when it lies within this share of the patient's P-to-R time
 * (P peak to R mark, ≈ 120–200 ms) from where the atria's next P is due (see {@link PWaveTemplate.isPWave}).
 */
const TIMING_SHARE = 0.4;

/** Where a candidate lies, and the rhythm's cycle. */
export interface PWaveTiming {
  /** Samples since the last beat's R mark. */
  readonly sinceR: number;
  /** Samples since the last candidate found to be a P wave after that beat (≤ 0: none). */
  readonly sinceP: number;
  /** The rhythm's cycle (median RR), samples. */
  readonly cycle: number;
}

/** The running P-wave template of a detector's feature (its ring buffers). */
export class PWaveTemplate {
  /** The template: ±{@link HALF_S} around the P peak, every lead in use. */
  private readonly shape: RingShape;
  /** Correlations of the recent P windows with the template. */
  private readonly recent: number[] = [];
  /** Recent times from the P peak to the R mark, samples. */
  private readonly pToR: number[] = [];
  /**
   * Kept as each window is learned (they are asked of every candidate): whether the template is
   * learned and the patient's P windows match it consistently ({@link CONSISTENT}), …
   */
  private isConsistent = false;
  /** …and the median P-to-R time, samples. */
  private medianPToR = 0;

  constructor(private readonly feature: QrsFeature) {
    this.shape = new RingShape(feature, HALF_S, ALIGN_S, LEARN_BEATS);
  }

  /**
   * Learns the P wave before a clear, typical beat whose R mark is at `r`, the previous beat's at
   * `previousR` (-1: none): the largest deflection (summed |x| over the leads in use) of the P
   * window, read around it.
   */
  learn(r: number, previousR: number): void {
    const fs = this.feature.sampleRateHz;
    const from = Math.max(
      r - Math.round(P_FROM_S * fs),
      previousR < 0 ? -Infinity : previousR + Math.round(T_END_S * fs),
    );
    const to = r - Math.round(P_TO_S * fs);
    if (to - from < Math.round(MIN_WINDOW_S * fs)) return;
    let peak = -1;
    let best = -1;
    for (let i = from; i <= to; i++) {
      if (!this.feature.inRefineRing(i)) continue;
      let sum = 0;
      for (let lead = 0; lead < this.feature.leadCount; lead++) sum += Math.abs(this.feature.inUse(lead, i));
      if (sum > best) [best, peak] = [sum, i];
    }
    if (peak < 0) return;
    const shape = this.shape;
    if (shape.count >= LEARN_BEATS) {
      const [c, at] = shape.aligned(peak);
      if (at < 0) return;
      this.recent.push(c);
      if (this.recent.length > CONSISTENCY_WINDOWS) this.recent.shift();
      peak = at;
    }
    if (!shape.read(peak)) return;
    this.pToR.push(r - peak);
    if (this.pToR.length > CONSISTENCY_WINDOWS) this.pToR.shift();
    shape.learnScratch();
    this.isConsistent =
      shape.count >= LEARN_BEATS && this.recent.length >= LEARN_BEATS && median(this.recent) >= CONSISTENT;
    this.medianPToR = median(this.pToR);
  }

  /**
   * Does the candidate whose R mark is at `r`, placed as `since` says, plainly repeat the patient's
   * P wave where one is due — its shape (correlation ≥ {@link SAME_SHAPE} at the best alignment)
   * at its size ({@link MIN_SIZE_RATIO} to {@link MAX_SIZE_RATIO} of it), within
   * {@link TIMING_SHARE} of the P-to-R time of a P's due time — while the P waves are consistent
   * and the template at most {@link MAX_QRS_SHARE} of `qrsSize` (the QRS template's, 0 while there
   * is none)? False otherwise, and when the candidate is no longer in the ring.
   */
  isPWave(r: number, qrsSize: number, since: PWaveTiming): boolean {
    const shape = this.shape;
    if (!this.isConsistent || !(shape.size <= MAX_QRS_SHARE * qrsSize)) return false;
    if (!this.atPWaveTime(since)) return false;
    const [c, at] = shape.aligned(r);
    if (at < 0 || c < SAME_SHAPE || !shape.read(at)) return false;
    const ratio = largestAbs(shape.scratch) / Math.max(1e-12, shape.size);
    return ratio >= MIN_SIZE_RATIO && ratio <= MAX_SIZE_RATIO;
  }

  /**
   * Is a candidate where a P wave is due? The atria go on at their cycle whether or not the
   * ventricles follow: the first P after the last beat lies a cycle on, less the P-to-R time;
   * each later one a cycle after the P before it (the atrial cycle drifts from the last RRs' over a
   * long pause, so each P is timed from the one before).
   */
  private atPWaveTime(since: PWaveTiming): boolean {
    const { cycle } = since;
    if (!(cycle > 0) || this.pToR.length === 0) return false;
    const pToR = this.medianPToR;
    let offset: number;
    if (since.sinceP > 0) offset = since.sinceP;
    else if (since.sinceR > 0) offset = since.sinceR + pToR;
    else return false;
    const phase = ((offset % cycle) + cycle) % cycle;
    return Math.min(phase, cycle - phase) <= TIMING_SHARE * pToR;
  }
}
