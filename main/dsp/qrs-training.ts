/**
 * Initial signal and noise levels of the live QRS detector, from its training period.
 *
 * Pan & Tompkins (1985) start the signal level at a share of the largest feature peak of the
 * training period. With large ectopic beats that start traps the detector: in ventricular
 * bigeminy with PVCs several times the normal QRS (their 5–15 Hz energy 10–30 times a normal
 * beat's), threshold 1 starts above the normal beats, they feed the noise level, and the
 * detector follows the PVCs alone at half the rate — a regular rhythm, so search-back never
 * runs. Hamilton & Tompkins (1986) start from the maxima of successive 1-s segments instead;
 * at any rate above 60/min each segment holds a beat. A low order statistic of those maxima
 * (the lower third) is the patient's smaller recurring beats, normal or ectopic, so the
 * smaller beats start above threshold 1 and the detector's small-beat cap (qrs-detector.ts)
 * holds them there.
 *
 * A segment may hold no beat even above 60/min: a pause of 1–2 s in atrial fibrillation with
 * slow conduction, or the start of a recording before the first beat. Its largest peak is then
 * an f wave or noise, and the lower third may land on it (synthetic atrial fibrillation with
 * bundle-branch block, first QRS at 1.8 s: two of the four segments held only f waves, the
 * signal level started at 17 against QRS peaks of 275–385, and f waves were taken for beats
 * for 10 s). A QRS stands far above the run of alike peaks that fill such a segment — P and
 * T waves, f waves, noise — so a segment whose largest peak is under {@link BEAT_OVER_PEAKS} ×
 * the background holds no beat. The background is the lower quartile of the peaks that are not
 * their segment's largest: in clean signal with flat P and T waves most feature peaks are QRS
 * complexes, and the lower quartile of all peaks was itself a beat. In LUDB record 38, lead III
 * (QRS ≈ 0.15 mV, one PVC of 0.9 mV in training), 7 of the 9 training peaks were beats, only
 * the PVC's segment stood out, and the detector started at half the PVC's level and found 4 of
 * the 16 beats. A few peaks make a thin background, so the segment's largest peak must also
 * stand {@link BEAT_OVER_FLOOR} times above the feature's median over training, its floor between
 * the complexes (the QRS complexes fill well under half of a cycle): a muscle-noise burst 3.2
 * times the other small peaks lies within that (synthetic atrial fibrillation at 18 dB of muscle
 * noise, first QRS at 1.8 s: 9 false beats before the levels rose), a QRS 5–500 times above it.
 * And segments are dropped only while at least half of them stand out: at any rate above 60/min
 * most segments hold a beat, and when most do not stand out the background is made of beats too.
 */

import { percentile } from './stats.js';

/** Length of the segments whose maxima set the initial signal level, seconds. */
const SEGMENT_S = 1;
/** Initial signal level as a share of the segments' lower-third maximum (Pan & Tompkins: 0.5 of the peak). */
const SIGNAL_SHARE = 0.5;
/**
 * A segment whose largest peak is under this share of the largest segment's holds no beat (a
 * pause, a slow rate, the noise before the first beat): within one patient a QRS's 5–15 Hz
 * energy varies far less — a PVC 5 times a normal QRS's amplitude carries ≈ 30 times its energy.
 */
const EMPTY_SEGMENT_SHARE = 0.01;
/** …nor one whose largest peak is under this many times the background (the other peaks' lower quartile). */
const BEAT_OVER_PEAKS = 3;
/** …nor one whose largest peak is under this many times the feature's median over training. */
const BEAT_OVER_FLOOR = 4;
/** Initial noise level: this share of the feature's mean over training… */
const NOISE_MEAN_SHARE = 0.5;
/** …but at most this share of the initial signal level (large ectopics lift the mean). */
const NOISE_SIGNAL_SHARE = 0.25;

/** Collects the detection feature and its peaks during training and gives the initial levels. */
export class TrainingLevels {
  private readonly segmentSamples: number;
  private readonly firstIndex: number;
  private readonly maxima: number[] = [];
  /** Every feature peak of the training period, and the segment each lies in. */
  private readonly peaks: number[] = [];
  private readonly segments: number[] = [];
  /** The feature's samples over training (their median is its floor between the complexes). */
  private readonly samples: Float64Array;
  private sum = 0;
  private count = 0;

  /**
   * `sampleRateHz` of the feature; `trainingSamples`, the planned training length; `firstIndex`,
   * the feature sample training starts at (a relearning starts after the first).
   */
  constructor(sampleRateHz: number, trainingSamples: number, firstIndex = 0) {
    this.segmentSamples = Math.max(1, Math.min(Math.round(SEGMENT_S * sampleRateHz), trainingSamples));
    this.firstIndex = firstIndex;
    this.samples = new Float64Array(Math.max(1, trainingSamples + 1));
  }

  /** Adds one feature sample. */
  add(value: number): void {
    if (this.count < this.samples.length) this.samples[this.count] = value;
    this.sum += value;
    this.count++;
  }

  /** Adds a feature peak (a detection candidate) at sample `index`. */
  peak(index: number, value: number): void {
    const segment = Math.floor(Math.max(0, index - this.firstIndex) / this.segmentSamples);
    this.peaks.push(value);
    this.segments.push(segment);
    while (this.maxima.length <= segment) this.maxima.push(0);
    if (value > this.maxima[segment]!) this.maxima[segment] = value;
  }

  /**
   * The initial levels, from one look at the training period:
   * - `qrs`, the lower-third peak maximum of the 1-s segments that hold a beat (of all non-empty
   *   segments when fewer than half stand out from the background and the floor) — the feature
   *   peak of the patient's smaller recurring beats;
   * - `signal`, which sets threshold 1: {@link SIGNAL_SHARE} of it;
   * - `noise`: {@link NOISE_MEAN_SHARE} of the feature's mean, at most {@link NOISE_SIGNAL_SHARE}
   *   of the signal level.
   */
  initialLevels(): { qrs: number; signal: number; noise: number } {
    const qrs = this.qrsLevel();
    const signal = SIGNAL_SHARE * qrs;
    const mean = this.sum / Math.max(1, this.count);
    return { qrs, signal, noise: Math.min(NOISE_MEAN_SHARE * mean, NOISE_SIGNAL_SHARE * signal) };
  }

  /** The initial QRS level of {@link initialLevels}. */
  private qrsLevel(): number {
    const largest = Math.max(0, ...this.maxima);
    const held = this.maxima.filter((v) => v > 0 && v >= EMPTY_SEGMENT_SHARE * largest);
    const background = this.background();
    const floor = percentile(this.samples, 0, Math.min(this.count, this.samples.length), 0.5);
    const standing = held.filter((v) => v >= BEAT_OVER_PEAKS * background && v >= BEAT_OVER_FLOOR * floor);
    const maxima = (2 * standing.length >= held.length ? standing : held).sort((a, b) => a - b);
    return maxima.length === 0 ? 0 : maxima[Math.floor((maxima.length - 1) / 3)]!;
  }

  /**
   * The lower quartile of the peaks that are not their segment's largest (of all peaks when each
   * segment holds one): P and T waves, f waves, noise.
   */
  private background(): number {
    const others = this.peaks.filter((v, k) => v < this.maxima[this.segments[k]!]!);
    const from = others.length > 0 ? others : this.peaks;
    return percentile(from, 0, from.length, 0.25);
  }
}
