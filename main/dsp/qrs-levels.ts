/**
 * Adaptive peak levels of the live QRS detector (Pan & Tompkins 1985; Hamilton & Tompkins
 * 1986): the signal level (running level of the beats' feature peaks, decayed after silence),
 * the QRS level (the same, never decayed), the noise level (running level of the rejected
 * peaks), the feature peaks of the last beats, and threshold 1 from them.
 */
import type { TrainingLevels } from './qrs-training.js';

/**
 * Threshold recovery after large ectopic beats: the signal level that sets threshold 1 is
 * capped at this many times the level of the patient's smaller recurring beats (the second
 * smallest feature peak of the last {@link BEAT_HISTORY} beats not found by search-back). Large
 * ventricular ectopics (several times a normal QRS's 5–15 Hz energy) otherwise lift the running
 * level so far that the normal beats between them fall under threshold 1 — Hamilton & Tompkins
 * (1986) take the QRS level from the median of recent peaks for the same reason.
 *
 * Beats found by search-back do not count among those smaller beats: they stood under threshold 1
 * and were taken at half of it, and the cap is what keeps the patient's smaller beats above
 * threshold 1 (in bigeminy with large PVCs the normal beats are found there, not by search-back).
 * Counted, two noise peaks or P waves taken by search-back held threshold 1 near their own level
 * for the next eight beats, more were then taken above it, and the detector stayed trapped:
 * complete block with a slow escape rhythm in noise, P waves and noise peaks of a tenth of the
 * escape QRS's energy counted as beats for minutes (`npm run bench -- qrs-block`, false beats
 * 2,907 → 1,977 on lead II, 753 → 373 on II+V1, 676 → 333 on II+V2+V5; `qrs` on MIT-BIH
 * unchanged). The price: when the QRS shrinks at once (an electrode moving), the beats search-back
 * finds no longer bring the cap down with it, only the running signal level does, so threshold 1
 * follows a little later (the live pipeline on MIT-BIH 109 lost one beat so, in `npm run bench --
 * vf`).
 */
const SMALL_BEAT_CAP = 3;
const BEAT_HISTORY = 8;
/** Signal-level decay per failed search-back (amplitude drop, e.g. after amplifier saturation). */
const SILENCE_DECAY = 0.5;
/**
 * …but not below this fraction of the QRS level of the recent beats (an EMA that does not
 * decay) nor below NOISE_FLOOR × the noise level, so that in a true pause noise does not
 * become beats. In feature units (squared slope) 0.2 is a QRS of under half the amplitude;
 * threshold 1 then takes a complex of about a fifth of the QRS amplitude, search-back (threshold 2)
 * one of about a sixth (with the noise level of a clean record). It is no lower because of
 * ventricular standstill: when AV conduction fails and no escape rhythm takes over, the P waves go
 * on alone, and a P wave is up to a fifth or so of the QRS amplitude (≤ 0.25 mV; Surawicz &
 * Knilans, Chou's Electrocardiography, 6th ed., ch. 1), with less 5–15 Hz energy than a QRS of its
 * height. With 0.05 (search-back down to about a twelfth of the QRS amplitude) a single lead took
 * them for beats once the levels had decayed, which holds the asystole alarm off (`npm run bench --
 * vf`, part 5: 22 of 114 standstills pasted into the MIT-BIH records went without the alarm on
 * MLII alone; 8 with 0.2, those of 108, whose P waves are nearly half its low QRS, and of 105's
 * noise; 3 once a wave that repeats the patient's own P where one is due was no beat either,
 * qrs-pwave.ts). 0.1 still let some through (114, 119), so 0.2 has a margin. The price: a QRS that shrinks
 * at once to under about a fifth of its size (an electrode moved to a low-voltage site) is no
 * longer followed, and the asystole alarm sounds, which is the safe failure; a drop to a third is
 * followed.
 */
const SILENCE_FLOOR = 0.2;
const NOISE_FLOOR = 8;
/** Share of the QRS level at which a feature peak has a QRS's size ({@link QrsLevels.hasQrsSize}). */
const QRS_SIZE_SHARE = 0.5;
/** Threshold 2, search-back's, as a share of threshold 1 (Pan & Tompkins 1985). */
const THRESHOLD2_SHARE = 0.5;
/** Weight of a new peak in the running levels (Pan & Tompkins: 1/8; 1/4 for a search-back beat). */
const EMA = 0.125;
const SEARCH_BACK_EMA = 0.25;

/** The running levels of one detector, in feature units. */
export class QrsLevels {
  signal = 0;
  /**
   * The QRS level of the recent beats: their running feature peak, like `signal` but never
   * decayed, and started at the training beats' peak rather than at the lenient share of it
   * that starts `signal` (and threshold 1). Started at that share, it took the first ten or so
   * beats to grow to the QRS: meanwhile a T wave of 0.4 of the QRS's energy had "a QRS's energy"
   * (qrs-twave.ts) and was taken for a beat, and then the level learned it (LUDB 80, lead aVL
   * alone: a deep, steep T wave counted as a beat 10 times in 10 s; 3 now).
   */
  qrs = 0;
  noise = 0;
  /** Feature peaks of the last accepted beats (ring). */
  private readonly beatValues = new Float64Array(BEAT_HISTORY);
  private beatCount = 0;

  /** Training ended: initial signal, QRS and noise levels (qrs-training.ts). */
  start(training: Pick<TrainingLevels, 'initialLevels'>): void {
    ({ signal: this.signal, qrs: this.qrs, noise: this.noise } = training.initialLevels());
  }

  /** A beat above threshold 1 (`searchBack` false) or found by search-back lifts the levels. */
  beatAboveThreshold(value: number, searchBack: boolean): void {
    const w = searchBack ? SEARCH_BACK_EMA : EMA;
    this.signal = w * value + (1 - w) * this.signal;
    this.qrs = w * value + (1 - w) * this.qrs;
  }

  /** A rejected peak (noise, T wave). */
  noisePeak(value: number): void {
    this.noise = EMA * value + (1 - EMA) * this.noise;
  }

  /**
   * An accepted beat's feature peak, for the small-beat cap; one found by search-back
   * (`searchBack`) is not taken ({@link SMALL_BEAT_CAP}).
   */
  recordBeat(value: number, searchBack: boolean): void {
    if (searchBack) return;
    this.beatValues[this.beatCount++ % BEAT_HISTORY] = value;
  }

  /** Search-back found nothing: the signal level is stale (amplitude fell); let it decay. */
  decay(): void {
    this.signal = Math.max(
      SILENCE_DECAY * this.signal,
      Math.min(this.signal, Math.max(SILENCE_FLOOR * this.qrs, NOISE_FLOOR * this.noise)),
    );
  }

  /**
   * Whether a feature peak is a QRS by its size alone: at least {@link QRS_SIZE_SHARE} of the QRS
   * level of the recent beats (which no silence decays) and {@link NOISE_FLOOR} times the noise
   * level. For when the thresholds were set by a lead that has lost its signal (qrs-agreement.ts
   * `silentSinceLastBeat`).
   */
  hasQrsSize(value: number): boolean {
    return this.qrs > 0 && value >= QRS_SIZE_SHARE * this.qrs && value >= NOISE_FLOOR * this.noise;
  }

  threshold1(): number {
    const signal = Math.min(this.signal, SMALL_BEAT_CAP * this.smallBeatLevel());
    return this.noise + 0.25 * (signal - this.noise);
  }

  /** Search-back's threshold: {@link THRESHOLD2_SHARE} of threshold 1. */
  threshold2(): number {
    return THRESHOLD2_SHARE * this.threshold1();
  }

  /**
   * Second smallest feature peak of the last beats; the smallest while there are only two or
   * three (so that a detector starting in bigeminy with large PVCs holds the normal beats from
   * the second one on); Infinity before two beats.
   */
  smallBeatLevel(): number {
    const count = Math.min(this.beatCount, BEAT_HISTORY);
    if (count < 2) return Infinity;
    let smallest = Infinity;
    let second = Infinity;
    for (let k = 0; k < count; k++) {
      const v = this.beatValues[k]!;
      if (v < smallest) {
        second = smallest;
        smallest = v;
      } else if (v < second) second = v;
    }
    return count < 4 ? smallest : second;
  }
}
