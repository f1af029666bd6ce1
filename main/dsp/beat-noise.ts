/**
 * Whether a beat stands out from the signal before it. A beat the ventricular rules would call V
 * but that does not stand out on any lead cannot be told from the noise around it: it is Q
 * (AAMI EC57's class for a beat that cannot be classified), not V.
 *
 * Between two beats the signal holds only the T and P waves, which rise and fall over 100 ms
 * or more and reach a fraction of the QRS's height. Muscle noise and electrode motion add swings
 * of QRS size there, and a detection made in them is one more swing with nothing of its own to
 * stand above its surroundings. Template monitors withhold the PVC call in such noise: Hamilton's
 * open-source classifier (EP Limited, 2002, classify.cpp) gauges the noise beside a beat against
 * its QRS amplitude and neither calls a noisy beat a PVC by its width nor learns a new morphology
 * from it.
 *
 * Measure, per lead, on the classifier's band-limited signal (1–40 Hz, so the same at 80 Hz as at
 * 360): the largest swing (maximum − minimum) within any {@link SWING_WINDOW_S} of the segment
 * from {@link AFTER_PREVIOUS_S} after the previous beat's R (its QRS over), at most
 * {@link REACH_BEFORE_S} back, to {@link SEGMENT_END_S} before this R (its QRS not begun), over
 * the peak-to-peak height of this beat's QRS ({@link QRS_BEFORE_S} before R to
 * {@link QRS_AFTER_S} after, within the classifier's window). The beat stands out when that ratio
 * is under {@link NOISE_SWING_RATIO} on at least one lead: noise on one electrode does not hide a
 * beat the other leads show.
 *
 * Read on MIT-BIH 100–124, both leads (paced records out; scratch listing, a diagnosis): over the
 * correctly called PVCs the ratio's 99th percentile is 0.23–0.28 (360, 128 and 80 Hz), over
 * normal beats 0.22–0.25. On synthetic PVCs with muscle noise on both leads, none reaches 0.4 at
 * the noise stress test's 12 and 6 dB; at 0 dB 3 of 14 do. A swing measure rather than a slope
 * one: the slopes of a wide PVC are slow, and measured by slope 12 of those 14 PVCs did not stand
 * out at 6 dB.
 */
import type { SampleReader } from './beat-windows.js';

/** Segment swing over QRS height at or above which a lead does not show the beat standing out. */
export const NOISE_SWING_RATIO = 0.4;
/** Window of a swing, s (a QRS's main deflection takes 40–80 ms; a T wave's rise 100 ms or more). */
export const SWING_WINDOW_S = 0.05;
/** The segment starts this long after the previous R, s (past a normal QRS). */
export const AFTER_PREVIOUS_S = 0.15;
/** The segment reaches at most this far back from this R, s. */
export const REACH_BEFORE_S = 0.4;
/** The segment ends this long before R, s (before the onset of a wide QRS). */
export const SEGMENT_END_S = 0.1;
/** The QRS window starts this long before R, s. */
export const QRS_BEFORE_S = 0.08;
/** The QRS window ends this long after R, s (a wide ventricular QRS included). */
export const QRS_AFTER_S = 0.1;
/** Shortest segment read, s: between closer beats there is no baseline to read, and the beat is taken to stand out. */
export const MIN_SEGMENT_S = 0.06;

/** Per-lead measure of how far a beat stands out from the segment before it. */
export class BeatNoise {
  private readonly window: number;
  private readonly segment: Float64Array;

  constructor(
    private readonly sampleRateHz: number,
    private readonly leadCount: number,
  ) {
    this.window = Math.max(2, Math.round(SWING_WINDOW_S * sampleRateHz));
    this.segment = new Float64Array(Math.ceil(REACH_BEFORE_S * sampleRateHz) + 1);
  }

  /**
   * The least over the leads of the segment's largest swing over the QRS's height (module
   * comment) for the beat at R `r` after the beat at `previousR` (negative: none, the segment
   * then reaches {@link REACH_BEFORE_S} back); 0 when the segment is too short to read.
   */
  ratio(read: SampleReader, previousR: number, r: number): number {
    const fs = this.sampleRateHz;
    const end = r - Math.round(SEGMENT_END_S * fs);
    const from = Math.max(
      previousR < 0 ? -Infinity : previousR + Math.round(AFTER_PREVIOUS_S * fs),
      r - Math.round(REACH_BEFORE_S * fs),
    );
    const length = end - from;
    if (length < Math.max(this.window, Math.round(MIN_SEGMENT_S * fs))) return 0;
    let least = Infinity;
    for (let l = 0; l < this.leadCount; l++) {
      let hi = -Infinity;
      let lo = Infinity;
      for (let i = r - Math.round(QRS_BEFORE_S * fs); i <= r + Math.round(QRS_AFTER_S * fs); i++) {
        const x = read(l, i);
        if (x > hi) hi = x;
        if (x < lo) lo = x;
      }
      const height = hi - lo;
      if (!(height > 0)) continue;
      for (let j = 0; j < length; j++) this.segment[j] = read(l, from + j);
      least = Math.min(least, this.largestSwing(length) / height);
    }
    return least === Infinity ? 0 : least;
  }

  /** Whether the beat stands out on at least one lead ({@link NOISE_SWING_RATIO}). */
  standsOut(read: SampleReader, previousR: number, r: number): boolean {
    return this.ratio(read, previousR, r) < NOISE_SWING_RATIO;
  }

  /** Largest maximum − minimum within any window of the first `length` samples of the segment. */
  private largestSwing(length: number): number {
    const s = this.segment;
    let largest = 0;
    for (let i = 0; i + this.window <= length; i++) {
      let hi = s[i]!;
      let lo = s[i]!;
      for (let j = i + 1; j < i + this.window; j++) {
        const x = s[j]!;
        if (x > hi) hi = x;
        else if (x < lo) lo = x;
      }
      if (hi - lo > largest) largest = hi - lo;
    }
    return largest;
  }
}
