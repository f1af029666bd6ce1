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
 * T waves, f waves, noise, which make up most peaks of any training period — so a segment
 * whose largest peak is under {@link BEAT_OVER_PEAKS} × the lower quartile of all training
 * peaks holds no beat.
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
/** …nor one whose largest peak is under this many times the lower quartile of all the training peaks. */
const BEAT_OVER_PEAKS = 3;
/** Initial noise level: this share of the feature's mean over training… */
const NOISE_MEAN_SHARE = 0.5;
/** …but at most this share of the initial signal level (large ectopics lift the mean). */
const NOISE_SIGNAL_SHARE = 0.25;

/** Collects the detection feature and its peaks during training and gives the initial levels. */
export class TrainingLevels {
  private readonly segmentSamples: number;
  private readonly firstIndex: number;
  private readonly maxima: number[] = [];
  /** Every feature peak of the training period. */
  private readonly peaks: number[] = [];
  private sum = 0;
  private count = 0;

  /**
   * `sampleRateHz` of the feature; `trainingSamples`, the planned training length; `firstIndex`,
   * the feature sample training starts at (a relearning starts after the first).
   */
  constructor(sampleRateHz: number, trainingSamples: number, firstIndex = 0) {
    this.segmentSamples = Math.max(1, Math.min(Math.round(SEGMENT_S * sampleRateHz), trainingSamples));
    this.firstIndex = firstIndex;
  }

  /** Adds one feature sample. */
  add(value: number): void {
    this.sum += value;
    this.count++;
  }

  /** Adds a feature peak (a detection candidate) at sample `index`. */
  peak(index: number, value: number): void {
    this.peaks.push(value);
    const segment = Math.floor(Math.max(0, index - this.firstIndex) / this.segmentSamples);
    while (this.maxima.length <= segment) this.maxima.push(0);
    if (value > this.maxima[segment]!) this.maxima[segment] = value;
  }

  /**
   * Initial signal level: half the lower-third peak maximum of the 1-s segments that hold a beat
   * (of all non-empty segments when none stands out from the other peaks).
   */
  signalLevel(): number {
    const largest = Math.max(0, ...this.maxima);
    const held = this.maxima.filter((v) => v > 0 && v >= EMPTY_SEGMENT_SHARE * largest);
    const quartile = percentile(this.peaks, 0, this.peaks.length, 0.25);
    const standing = held.filter((v) => v >= BEAT_OVER_PEAKS * quartile);
    const maxima = (standing.length > 0 ? standing : held).sort((a, b) => a - b);
    if (maxima.length === 0) return 0;
    return SIGNAL_SHARE * maxima[Math.floor((maxima.length - 1) / 3)]!;
  }

  /** Initial noise level: half the feature's mean, at most a quarter of the initial signal level. */
  noiseLevel(): number {
    const mean = this.sum / Math.max(1, this.count);
    return Math.min(NOISE_MEAN_SHARE * mean, NOISE_SIGNAL_SHARE * this.signalLevel());
  }
}
