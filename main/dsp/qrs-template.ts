/**
 * The patient's QRS shape, learned from the detector's clear beats: the mean 1–40 Hz waveform of
 * every lead in use, ±{@link HALF_S} around the R mark.
 *
 * What it decides: which of two feature peaks within the detector's confirmation time (0.2 s,
 * qrs-detector.ts) is the QRS. The detector takes the larger peak of the 5–15 Hz feature; in
 * electrode-motion artefact a swing of the baseline 150–260 ms after a narrow QRS carries more
 * of that band's energy than the QRS itself (the integration window makes a slow, large swing
 * outweigh a brief spike), so the beat was marked on the artefact: a false beat and a missed
 * one at once (MIT-BIH 105, channel 0: 9 of its 30 false beats, 156–261 ms after the QRS). Two
 * QRS complexes cannot lie within 0.2 s (the ventricles' refractory period), so one of the two
 * peaks is not a beat. The earlier one is taken instead only when the shape says so plainly: it
 * matches the template ({@link MATCH}) and the larger one does not ({@link MISMATCH}); the
 * detector asks besides that the earlier peak be a beat by its own energy (threshold 1), so the
 * choice moves a beat and never makes one. Otherwise the larger peak stands, as before. Shape
 * correlation against the patient's own templates is how beat classifiers tell a patient's
 * complexes from artefact (e.g. the template matching of Hamilton's open-source OSEA
 * classifier, EP Limited); here it decides only between the two peaks. The early-beat hold also
 * asks it whether a beat on time looks like the patient's QRS (qrs-hold.ts), and search-back,
 * when one lead lost its signal, whether a complex seen on another lead alone has that lead's
 * part of the patient's QRS (qrs-agreement.ts).
 *
 * It also keeps the last accepted beat's complex, whatever its kind: a complex of the same shape
 * soon after it is that focus firing again, not its T wave (qrs-twave.ts `repeatsLastBeat`).
 *
 * Learning: the first {@link LEARN_BEATS} clear beats are averaged; then each clear beat that
 * matches ({@link LEARN_MIN_CORRELATION}) moves the mean by 1/{@link LEARN_BEATS}, so ectopic
 * beats and noise do not enter it. When {@link LEARN_BEATS} clear beats in a row do not match,
 * the patient's QRS has changed (electrodes moved, a bundle-branch block came on) and the
 * template is learned afresh. A template that no longer fits matches neither peak well, and the
 * larger peak stands.
 */
import { BeatWindows } from './beat-windows.js';
import type { QrsFeature } from './qrs-feature.js';
import { correlation } from './stats.js';

/** Half-width of the shape, s: a normal QRS (≤ 120 ms) and its edges. */
const HALF_S = 0.06;
/** A complex is matched at the best alignment within this of its R mark, s. */
const ALIGN_S = 0.008;
/** Beats averaged plainly before the template is used; then each new one weighs 1/this. */
const LEARN_BEATS = 8;
/** A clear beat that matches the template less than this is not learned (an ectopic, noise). */
const LEARN_MIN_CORRELATION = 0.8;
/** The earlier peak must match the template at least this well to be the QRS… */
const MATCH = 0.9;
/** …and the larger peak less than this: below it a complex does not resemble the patient's QRS. */
const MISMATCH = 0.7;

/** Largest |x| of a window (every lead). */
export function largestAbs(w: Float64Array): number {
  let peak = 0;
  for (const v of w) peak = Math.max(peak, Math.abs(v));
  return peak;
}

/**
 * A running mean shape read from a detector's refine ring (QrsFeature.readWindow): a window of
 * every lead in use around a mark, its best alignment with a reference, and the mean of the windows
 * learned — averaged plainly over the first `learnBeats`, then each moving it by 1/`learnBeats` —
 * with its size. The QRS template here and the P-wave template (qrs-pwave.ts) are each one.
 */
export class RingShape {
  /** The shape's window: `half` samples either side of the mark, every lead (lead-major). */
  readonly window: BeatWindows;
  /** The mean of the windows learned. */
  readonly mean: Float64Array;
  /** The window last read. */
  readonly scratch: Float64Array;
  /** Windows learned since the start or the last {@link restart}. */
  count = 0;
  /** Largest |x| of the mean (kept as it learns). */
  size = 0;
  private readonly align: number;

  constructor(
    private readonly feature: QrsFeature,
    halfS: number,
    alignS: number,
    private readonly learnBeats: number,
  ) {
    const half = Math.max(2, Math.round(halfS * feature.sampleRateHz));
    this.align = Math.max(1, Math.round(alignS * feature.sampleRateHz));
    this.window = new BeatWindows(feature.leadCount, half, half + 1, half);
    this.mean = new Float64Array(feature.leadCount * this.window.width);
    this.scratch = new Float64Array(this.mean.length);
  }

  /** Reads the leads in use around `r` into {@link scratch}; false when it is not all in the ring. */
  read(r: number): boolean {
    return this.feature.readWindow(this.window, r, this.scratch);
  }

  /**
   * The best `score` (default: correlation over every lead in use) of the window with `reference`
   * (default: the mean) within ±`align` of `r`, and the mark it is found at (-1, -1: none in the ring).
   */
  aligned(
    r: number,
    reference: Float64Array = this.mean,
    score: (window: Float64Array, reference: Float64Array) => number = correlation,
  ): [number, number] {
    let [best, at] = [-1, -1];
    for (let shift = -this.align; shift <= this.align; shift++) {
      if (!this.read(r + shift)) continue;
      const c = score(this.scratch, reference);
      if (at < 0 || c > best) [best, at] = [c, r + shift];
    }
    return [best, at];
  }

  /** Learns the window in {@link scratch} (read last). */
  learnScratch(): void {
    this.count++;
    const weight = 1 / Math.min(this.count, this.learnBeats);
    for (let i = 0; i < this.mean.length; i++) this.mean[i]! += weight * (this.scratch[i]! - this.mean[i]!);
    this.size = largestAbs(this.mean);
  }

  /** Starts the mean afresh: the next window learned replaces it. */
  restart(): void {
    this.count = 0;
  }
}

/** The running QRS template of a detector's feature (its ring buffers). */
export class QrsTemplate {
  /** The template: ±{@link HALF_S} around the R mark, every lead in use. */
  private readonly shape: RingShape;
  /** The last accepted beat's complex (valid when `hasLast`). */
  private readonly last: Float64Array;
  private hasLast = false;
  private lastLookedUsual = true;
  /** Clear beats in a row that did not match. */
  private misses = 0;

  constructor(feature: QrsFeature) {
    this.shape = new RingShape(feature, HALF_S, ALIGN_S, LEARN_BEATS);
    this.last = new Float64Array(this.shape.mean.length);
  }

  /** Whether enough beats were learned to judge a complex. */
  get ready(): boolean {
    return this.shape.count >= LEARN_BEATS;
  }

  /** Largest |x| of the template over the leads in use (0 while not ready). */
  get size(): number {
    return this.ready ? this.shape.size : 0;
  }

  /**
   * Correlation of the complex whose R mark is at sample `r` with the template (0 if not ready),
   * the best within ±{@link ALIGN_S} of the mark: a mark a sample off changes a narrow QRS's
   * correlation much at low rates (at 128 Hz a QRS wave spans a few samples).
   */
  match(r: number): number {
    return this.ready ? this.aligned(r)[0] : 0;
  }

  /**
   * The best correlation with `reference` (default: the template) within ±{@link ALIGN_S} of `r`
   * (0 at least) and the mark it is found at (-1: none in the ring); `score` as {@link RingShape.aligned}.
   */
  private aligned(
    r: number,
    reference?: Float64Array,
    score?: (window: Float64Array, reference: Float64Array) => number,
  ): [number, number] {
    const [best, at] = this.shape.aligned(r, reference, score);
    return [Math.max(0, best), at];
  }

  /**
   * Does the complex whose R mark is at `r` look like the patient's QRS (true while no template
   * is ready: nothing says otherwise)?
   */
  resembles(r: number): boolean {
    return !this.ready || this.match(r) >= MISMATCH;
  }

  /** Does the complex whose R mark is at `r` plainly have the patient's QRS shape (≥ {@link MATCH}; false while no template is ready)? */
  matchesPlainly(r: number): boolean {
    return this.match(r) >= MATCH;
  }

  /**
   * Does the complex whose R mark is at `r` plainly have the patient's QRS shape on `lead` alone
   * (≥ {@link MATCH} with that lead's part of the template, the best within ±{@link ALIGN_S};
   * false while no template is ready)? For a beat seen on one lead (qrs-agreement.ts).
   */
  matchesPlainlyOn(r: number, lead: number): boolean {
    const onLead = (w: Float64Array, t: Float64Array): number =>
      this.shape.window.leadCorrelation(w, t, [lead]);
    return this.ready && this.aligned(r, undefined, onLead)[0] >= MATCH;
  }

  /**
   * Of two feature peaks within the confirmation time, is the earlier (overtaken) one, whose R
   * mark is at `earlierR`, the QRS rather than the larger one (R mark `largerR`)? (See the module
   * comment.)
   */
  prefersEarlier(earlierR: number, largerR: number): boolean {
    return this.matchesPlainly(earlierR) && !this.resembles(largerR);
  }

  /** Did the last accepted beat look like the patient's QRS ({@link resembles})? */
  get lastResembled(): boolean {
    return this.lastLookedUsual;
  }

  /** Keeps the complex of the beat just accepted, whose R mark is at `r` (any kind of beat). */
  rememberLast(r: number): void {
    this.lastLookedUsual = this.resembles(r);
    this.hasLast = this.shape.read(r);
    if (this.hasLast) this.last.set(this.shape.scratch);
  }

  /** Does the complex whose R mark is at `r` have the last beat's shape (correlation ≥ {@link MATCH})? */
  repeatsLast(r: number): boolean {
    return this.hasLast && this.aligned(r, this.last)[0] >= MATCH;
  }

  /**
   * Learns the clear beat whose R mark is at `r` (unless it does not look like the others); returns
   * whether it plainly had the patient's QRS shape (≥ {@link MATCH}; false while no template is ready).
   */
  learn(r: number): boolean {
    let plain = false;
    if (this.ready) {
      const [c, at] = this.aligned(r);
      if (at < 0) return false;
      if (c < LEARN_MIN_CORRELATION) {
        if (++this.misses >= LEARN_BEATS) {
          this.shape.restart();
          this.misses = 0;
        }
        return false;
      }
      plain = c >= MATCH;
      r = at;
    }
    if (!this.shape.read(r)) return plain;
    this.misses = 0;
    this.shape.learnScratch();
    return plain;
  }
}
