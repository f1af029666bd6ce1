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
 *
 * Atrioventricular block sets the same trap with P waves. In 2:1 block (ventricular rate 30–46/min)
 * and in complete block (escape rhythm 25–55/min, the P waves marching through at 60–90/min) about
 * half the segments hold a P wave and no QRS, and a P wave stands as far above the background as a
 * QRS does. The lower third then lands on a P wave, the detector counts every blocked P wave as a
 * beat, and the small-beat cap (qrs-levels.ts) holds it there: a heart rate of 60–90/min is shown
 * for a bradycardia of 25–46 (`npm run bench -- qrs-block`, clean strips, lead II alone: 3,704
 * false beats, every P wave in about half the strips). The segments' peaks alone cannot tell those
 * P waves from the small beats between large PVCs: against the QRS a P wave has 1/9–1/67 of its
 * 5–15 Hz energy, the normal beats of LUDB 38, lead III 1/18–1/42 of the PVC's. Their shape can: a
 * P wave is a smooth dome of 80–110 ms, 40–61 ms wide at half height (5th–95th percentile on the
 * benchmark's strips), where three in four QRS complexes' largest deflections are under 30 ms
 * (LUDB; qrs-refine.ts `complexHalfWidth`). So when the segments' maxima fall into
 * {@link TWO_KINDS} — the largest at least that many times the lower third — and the smaller
 * kind's peaks are broad (their median half-height width at least {@link BROAD_S}), those segments
 * hold no beat, unless the large peaks fall among the small ones as ectopic beats do: early, and
 * followed by a pause (ventricular bigeminy with large PVCs and broad normal beats;
 * {@link TrainingLevels.largeOnesEctopic}).
 * Noise hides the P waves' shape: at 18 dB of muscle or electrode-motion noise against the QRS,
 * the P waves (a tenth to a fifth of the QRS's amplitude) stand little above the noise, and the
 * trap is still taken in many of the benchmark's noisy strips.
 * A small QRS can be as broad without that pattern: bundle-branch block in a low-voltage lead
 * (LUDB 8, V6: 0.12 mV, 55 ms at half height, then complexes of 0.4–0.7 mV from the third beat on)
 * loses its first two beats. The asymmetry is the reason to accept that: small beats left out are
 * found again by search-back once an RR interval is known, P waves taken in are kept by the
 * small-beat cap.
 */

import { PREMATURE_RATIO } from './beat-supraventricular.js';
import { median, percentile } from './stats.js';

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
/**
 * Segment maxima of two kinds: the largest at least this many times the lower third (feature units,
 * 5–15 Hz energy). A P wave is at most a fifth or so of the QRS's amplitude, with less energy per
 * amplitude; the most energetic P wave on the benchmark's strips, 0.26 mV against a wide escape
 * QRS, had 1/9 of its energy.
 */
const TWO_KINDS = 8;
/** …and the smaller kind's peaks this wide at half height (median), s: P waves, not QRS complexes. */
const BROAD_S = 0.036;
/** Small peaks this near a large one are its neighbours, s. */
const NEIGHBOUR_S = 2.5;
/**
 * Around an ectopic beat the small peaks before and after it lie at least this many times as far
 * apart as the longest interval between successive small ones elsewhere (a compensatory pause is
 * twice the cycle).
 */
const PAUSE_OVER_PLAIN = 1.3;
/** Initial noise level: this share of the feature's mean over training… */
const NOISE_MEAN_SHARE = 0.5;
/** …but at most this share of the initial signal level (large ectopics lift the mean). */
const NOISE_SIGNAL_SHARE = 0.25;

/** Collects the detection feature and its peaks during training and gives the initial levels. */
export class TrainingLevels {
  private readonly sampleRateHz: number;
  private readonly segmentSamples: number;
  private readonly firstIndex: number;
  private readonly maxima: number[] = [];
  /** Half-height width of each segment's largest peak, s (qrs-refine.ts `complexHalfWidth`). */
  private readonly maximumWidths: number[] = [];
  /** Every feature peak of the training period, and the segment each lies in. */
  private readonly peaks: number[] = [];
  private readonly segments: number[] = [];
  /** …and its sample. */
  private readonly indexes: number[] = [];
  /** The feature's samples over training (their median is its floor between the complexes). */
  private readonly samples: Float64Array;
  private sum = 0;
  private count = 0;

  /**
   * `sampleRateHz` of the feature; `trainingSamples`, the planned training length; `firstIndex`,
   * the feature sample training starts at (a relearning starts after the first).
   */
  constructor(sampleRateHz: number, trainingSamples: number, firstIndex = 0) {
    this.sampleRateHz = sampleRateHz;
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

  /**
   * Adds a feature peak (a detection candidate) at sample `index`; `halfWidthS`, the half-height
   * width of its complex's largest deflection (0 when not measured).
   */
  peak(index: number, value: number, halfWidthS = 0): void {
    const segment = Math.floor(Math.max(0, index - this.firstIndex) / this.segmentSamples);
    this.peaks.push(value);
    this.segments.push(segment);
    this.indexes.push(index);
    while (this.maxima.length <= segment) {
      this.maxima.push(0);
      this.maximumWidths.push(0);
    }
    if (value > this.maxima[segment]!) {
      this.maxima[segment] = value;
      this.maximumWidths[segment] = halfWidthS;
    }
  }

  /**
   * The initial levels, from one look at the training period:
   * - `qrs`, the lower-third peak maximum of the 1-s segments that hold a beat (of all non-empty
   *   segments when fewer than half stand out from the background and the floor; without those
   *   that hold only a P wave) — the feature peak of the patient's smaller recurring beats;
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
    const held = this.maxima.flatMap((v, s) => (v > 0 && v >= EMPTY_SEGMENT_SHARE * largest ? [s] : []));
    const background = this.background();
    const floor = percentile(this.samples, 0, Math.min(this.count, this.samples.length), 0.5);
    const standing = held.filter(
      (s) => this.maxima[s]! >= BEAT_OVER_PEAKS * background && this.maxima[s]! >= BEAT_OVER_FLOOR * floor,
    );
    const maxima = this.withoutPWaves(2 * standing.length >= held.length ? standing : held);
    return maxima.length === 0 ? 0 : maxima[Math.floor((maxima.length - 1) / 3)]!;
  }

  /**
   * The maxima of `segments`, sorted, without those of the smaller of {@link TWO_KINDS} when its
   * peaks are broad (P waves in atrioventricular block).
   */
  private withoutPWaves(segments: readonly number[]): number[] {
    const maxima = segments.map((s) => this.maxima[s]!).sort((a, b) => a - b);
    if (maxima.length === 0) return maxima;
    const top = maxima[maxima.length - 1]!;
    const lowerThird = maxima[Math.floor((maxima.length - 1) / 3)]!;
    if (top < TWO_KINDS * lowerThird) return maxima;
    const widths = segments
      .filter((s) => TWO_KINDS * this.maxima[s]! < top)
      .map((s) => this.maximumWidths[s]!);
    if (median(widths) < BROAD_S) return maxima;
    if (this.largeOnesEctopic(top, lowerThird)) return maxima;
    return maxima.filter((v) => TWO_KINDS * v >= top);
  }

  /**
   * Whether the large peaks (of {@link TWO_KINDS} under `top`) fall among the small ones (at least
   * half `lowerThird`) as ectopic beats do: each large peak with small ones on both sides within
   * {@link NEIGHBOUR_S}, and no other large peak between, comes early — the interval from the
   * one before it is under {@link PREMATURE_RATIO} of the mean of the two around it, the cycle
   * a compensatory pause restores, as a premature beat's is under its cycle — and the two lie at
   * least {@link PAUSE_OVER_PLAIN} times as far apart as any successive small peaks with no large
   * one between them (a pause follows it) — and at least one large peak has both neighbours.
   * Ventricular bigeminy or trigeminy with large PVCs and broad normal beats (bundle-branch block)
   * keeps its normal beats so. The QRS of 2:1 block comes late between the blocked P waves (after
   * its own P wave's PR interval); that of complete block anywhere among them, and the P waves
   * march on around it without a pause. In bigeminy no two small peaks follow each other without
   * a large one between, so only prematurity tells; "nearer the one before" alone took a QRS of
   * complete block 0.34 s after a P wave and 0.37 s before the next for a premature beat (and the
   * P waves for beats: synthetic junctional escape with electrode-motion noise, II+V2+V5 fused).
   */
  private largeOnesEctopic(top: number, lowerThird: number): boolean {
    const neighbour = NEIGHBOUR_S * this.sampleRateHz;
    const large = (k: number): boolean => TWO_KINDS * this.peaks[k]! >= top;
    const small = (k: number): boolean => !large(k) && this.peaks[k]! >= 0.5 * lowerThird;
    const plain = this.plainInterval(small, large);
    let ectopic = 0;
    // the nearest small peak on one side of peak `k`, with no large one between: its distance
    const nearest = (k: number, step: 1 | -1): number => {
      for (let j = k + step; j >= 0 && j < this.peaks.length; j += step) {
        const gap = Math.abs(this.indexes[j]! - this.indexes[k]!);
        if (large(j) || gap > neighbour) return Infinity;
        if (small(j)) return gap;
      }
      return Infinity;
    };
    for (let k = 0; k < this.peaks.length; k++) {
      if (!large(k)) continue;
      const [before, after] = [nearest(k, -1), nearest(k, 1)];
      if (before === Infinity || after === Infinity) continue;
      if (before >= PREMATURE_RATIO * 0.5 * (before + after) || before + after < PAUSE_OVER_PLAIN * plain)
        return false;
      ectopic++;
    }
    return ectopic > 0;
  }

  /**
   * The longest interval between successive small peaks with no large one between them, samples
   * (0 when there is none, as in bigeminy): noise and T waves among the small peaks only shorten
   * the others. The peaks came in time order.
   */
  private plainInterval(small: (k: number) => boolean, large: (k: number) => boolean): number {
    const gaps: number[] = [];
    let last = -1;
    for (let k = 0; k < this.peaks.length; k++) {
      if (large(k)) last = -1;
      else if (small(k)) {
        if (last >= 0) gaps.push(this.indexes[k]! - this.indexes[last]!);
        last = k;
      }
    }
    return Math.max(0, ...gaps);
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
