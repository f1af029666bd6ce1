/**
 * Early complexes in the T-wave window: a beat may follow the last one within the window where
 * the detector takes a slow wave for its T wave — in an irregular rhythm (atrial fibrillation)
 * a beat that ends a long–short cycle, often conducted aberrantly (Ashman's phenomenon: Gouaux
 * & Ashman 1947, Am Heart J 34:366), and in any rhythm an early ventricular premature beat
 * (coupling 0.35–0.45 s) — a wide complex whose slope is under half a normal QRS's. Pan &
 * Tompkins' slope rule (1985) would take it for a T wave. This module keeps the running levels
 * of the patient's T waves and typical QRS complexes and says when a slow candidate is too
 * large to be that T wave.
 */

/**
 * A candidate with this many times the energy of the patient's own T waves (their running
 * level) is not a T wave: a T wave carries little 5–15 Hz energy, an aberrant or ventricular
 * complex a QRS's.
 */
const T_WAVE_LEVEL_FACTOR = 4;
/** …and this many times the noise level, as for the wide complexes beyond the T-wave window. */
export const NOISE_RATIO = 6;
/**
 * Shortest coupling at which an early complex is considered: in atrial fibrillation the AV
 * node's refractory period keeps the ventricular rate below ≈ 200/min (RR ≥ 0.3 s) unless an
 * accessory pathway conducts; earlier slow waves are the T wave's upstroke.
 */
export const MIN_COUPLING_S = 0.3;
/** A candidate repeats the last beat's slope and size at this fraction of them ({@link repeatsSizeAndSlope}). */
const REPEAT_RATIO = 0.75;
/**
 * An early complex is at least this fraction of the usual QRS amplitude (1–40 Hz
 * peak-to-peak): an aberrant or ectopic complex depolarises the whole ventricular mass and is
 * about as large as a normal QRS or larger, while T waves and most noise peaks are smaller.
 * This holds in any rhythm: a ventricular premature beat in sinus rhythm is as early, as wide
 * and as large as one in atrial fibrillation (an earlier rule asked for an irregular rhythm
 * too, and missed early multiform PVCs of 0.75–1 × the QRS amplitude in sinus rhythm that had
 * 30–50 × the energy of the patient's T waves).
 */
const MIN_AMPLITUDE_RATIO = 0.75;
/**
 * In any rhythm, a slow candidate at least as large as the usual QRS (1–40 Hz peak-to-peak)
 * is not a T wave: a T wave is smaller than its own QRS. This catches early ventricular
 * premature beats (bigeminy at 0.4–0.45 s coupling) whose misses make the rhythm look
 * regular and slow, so that the T-wave window grows over them.
 */
const TALL_AMPLITUDE_RATIO = 1;
/** …and has more than a T wave's slope: this fraction of the last QRS's. */
const MIN_SLOPE_RATIO = 0.2;
/** A beat is typical (its T wave the patient's usual one) with this share of the usual QRS slope. */
const TYPICAL_SLOPE_RATIO = 0.75;
/** …and this share of the QRS level (feature energy). */
const TYPICAL_LEVEL_RATIO = 0.5;
const EMA = 0.125;
const WIDE_NOISE_RATIO = 6;
const WIDE_MIN_QRS_FRACTION = 0.04;
const WIDE_MIN_SLOPE_RATIO = 0.2;
/** A wide complex below threshold 1 has at least this share of the usual QRS size (1–40 Hz peak-to-peak)… */
const WIDE_SIZE_RATIO = 0.6;
/** …and this many times the running size of the rejected peaks (T waves: ≈ 0.2–0.4 of the QRS's)… */
const WIDE_SIZE_NOISE_RATIO = 2;
/** …and this many times the noise level in feature energy. */
const WIDE_SIZED_NOISE_RATIO = 3;

/**
 * How a slow candidate in the T-wave window compares with the last beat's T wave: it may be
 * that T wave (`fits`), it is plainly too large for it (`outgrows`), or it is too large only by
 * the weaker evidence of its size against the patient's T waves (`outgrows-by-size`: a complex
 * 0.6–0.75 × the QRS size, which noise bursts also reach; the detector holds such a beat until
 * the next one shows whether it disturbed the rhythm, qrs-hold.ts).
 */
export type Outgrowth = 'fits' | 'outgrows' | 'outgrows-by-size';

/** A candidate in the T-wave window after the last beat. */
export interface EarlyCandidate {
  /** Integrated 5–15 Hz energy (the detection feature's peak). */
  value: number;
  /** Largest summed |slope| in the integration window. */
  slope: number;
  /** 1–40 Hz peak-to-peak amplitude around the complex. */
  amplitude: number;
  /** Time since the last beat, seconds. */
  couplingS: number;
}

/** The detector's running levels the rule reads (qrs-levels.ts `QrsLevels`). */
export interface EarlyLevels {
  readonly noise: number;
  threshold1(): number;
  /** Search-back's threshold. */
  threshold2(): number;
}

/** Running levels of the T waves and typical complexes of one detector. */
export class EarlyComplexRule {
  private tWaveLevel = 0;
  private slopeLevel = 0;
  private amplitudeLevel = 0;
  private lastTypical = false;
  private noiseAmplitudeLevel = 0;

  /** Training ended: the T-wave level starts at the noise level. */
  start(noiseLevel: number): void {
    this.tWaveLevel = noiseLevel;
  }

  /** A clear beat (above threshold 1) was accepted; `qrsLevel` already includes it. */
  clearBeat(value: number, slope: number, amplitude: number, qrsLevel: number): void {
    this.lastTypical =
      value >= TYPICAL_LEVEL_RATIO * qrsLevel && slope >= TYPICAL_SLOPE_RATIO * this.slopeLevel;
    this.slopeLevel = this.slopeLevel === 0 ? slope : EMA * slope + (1 - EMA) * this.slopeLevel;
    this.amplitudeLevel =
      this.amplitudeLevel === 0 ? amplitude : EMA * amplitude + (1 - EMA) * this.amplitudeLevel;
  }

  /** A beat below threshold 1 was accepted (wide complex, search-back): its T wave is not the usual one. */
  otherBeat(): void {
    this.lastTypical = false;
  }

  /** A candidate after the refractory period was rejected as the last beat's T wave. */
  tWave(value: number): void {
    if (this.lastTypical) this.tWaveLevel = EMA * value + (1 - EMA) * this.tWaveLevel;
  }

  /** A peak was rejected (noise or T wave): its 1–40 Hz peak-to-peak `amplitude` enters the running size of rejected peaks. */
  noisePeak(amplitude: number): void {
    this.noiseAmplitudeLevel =
      this.noiseAmplitudeLevel === 0 ? amplitude : EMA * amplitude + (1 - EMA) * this.noiseAmplitudeLevel;
  }

  /**
   * Is a candidate below threshold 1, beyond the T-wave window, a wide complex by its size? A
   * wide (ventricular, aberrant, bundle-branch-block) QRS spreads its energy below 5 Hz: with
   * QRS durations of 120–200 ms its 5–15 Hz feature may reach only 3–6 × the noise peaks', short
   * of {@link isWideComplex}'s 6 ×, while its 1–40 Hz peak-to-peak size — which does not depend
   * on the width — is a QRS's, since it depolarises the whole ventricular mass. So such a
   * candidate is a beat when its size is ≥ {@link WIDE_SIZE_RATIO} of the usual QRS's and
   * ≥ {@link WIDE_SIZE_NOISE_RATIO} × the running size of the rejected peaks (T waves, noise),
   * its feature ≥ {@link WIDE_SIZED_NOISE_RATIO} × the noise level, with the floors of
   * {@link isWideComplex} on the QRS level share and the slope.
   */
  isLargeWideComplex(
    value: number,
    amplitude: number,
    slope: number,
    levels: { readonly noise: number; readonly qrs: number },
    lastQrsSlope: number,
  ): boolean {
    return (
      this.wideSized(amplitude) &&
      value >= WIDE_SIZED_NOISE_RATIO * levels.noise &&
      wideFloors(value, slope, levels.qrs, lastQrsSlope)
    );
  }

  /**
   * Has a candidate of 1–40 Hz peak-to-peak `amplitude` a wide complex's size: a QRS's
   * ({@link qrsSized}) and ≥ {@link WIDE_SIZE_NOISE_RATIO} × the running size of the rejected peaks?
   */
  private wideSized(amplitude: number): boolean {
    return this.qrsSized(amplitude) && amplitude >= WIDE_SIZE_NOISE_RATIO * this.noiseAmplitudeLevel;
  }

  /** Has a candidate of 1–40 Hz peak-to-peak `amplitude` a QRS's size (≥ {@link WIDE_SIZE_RATIO} of the usual QRS's)? */
  qrsSized(amplitude: number): boolean {
    return this.amplitudeLevel > 0 && amplitude >= WIDE_SIZE_RATIO * this.amplitudeLevel;
  }

  /**
   * Does a rejected peak of 1–40 Hz peak-to-peak `amplitude` teach the detector's noise level?
   * Not when it has a QRS's size ({@link qrsSized}) beyond the T-wave window outside a noisy
   * stretch: in frequent wide ectopy each missed wide complex would otherwise raise the noise
   * level, hence threshold 1 and the bar of the wide-complex rules, so that the next ones are
   * missed too — the ectopic beats become the "noise" they are measured against (synthetic
   * atrial fibrillation with PVCs on two leads: the noise level climbed from 0.04 to 0.2 of the
   * QRS level over two minutes, fed by missed PVCs alone). In a noisy stretch (qrs-hold.ts: the
   * feature busy for ≥ 40 % of the last 3 s) a peak that size is as likely electrode-motion
   * artefact, which mimics beats (Moody et al. 1984), and it teaches the level as Pan &
   * Tompkins have it (without this exception the noise stress test lost 0.07–0.4 points of +P
   * at 6 to −6 dB).
   */
  teachesNoise(amplitude: number, tWave: boolean, noisy: boolean): boolean {
    return tWave || noisy || !this.qrsSized(amplitude);
  }

  /**
   * Is this slow candidate in the T-wave window too large to be the last beat's T wave? Its
   * feature need not reach threshold 1, only threshold 2 (qrs-levels.ts): a wide complex spreads
   * its energy below the 5–15 Hz band, so an early PVC as large as the QRS complexes around it
   * may carry a quarter of their feature energy or less (synthetic atrial fibrillation, a salvo
   * of four PVCs at 180/min on lead II: the first, at 0.33 s, reached 651 against a threshold 1
   * of 659 and was taken for the T wave; the noise level it then taught doubled, and the third
   * PVC was missed too). Below threshold 1 its size alone ({@link TALL_AMPLITUDE_RATIO}) does
   * not decide: it must also stand {@link NOISE_RATIO} × above the noise level, as every wide
   * complex below threshold 1 must, and be ≥ {@link MIN_AMPLITUDE_RATIO} of the usual QRS size
   * or have a wide complex's size by the test that holds beyond the window ({@link wideSized}:
   * ≥ 0.6 of the QRS and twice the rejected peaks, which are mostly this patient's T waves). A
   * focus's complex in one lead may be well under the QRS, depending on where the focus lies
   * (synthetic atrial fibrillation with PVCs, lead II, seeds 1–6: 5 PVCs after a narrow beat,
   * at 0.63–0.74 of the QRS size and 2.4–3.5 × the rejected peaks', were taken for T waves).
   * That last test is weaker evidence — bursts of muscle noise reach it too (MIT-BIH 119 with
   * 12 dB of synthetic muscle noise: 7 more false beats) — so it answers `outgrows-by-size`.
   */
  outgrowsTWave(c: EarlyCandidate, levels: EarlyLevels, lastQrsSlope: number): Outgrowth {
    if (
      !this.lastTypical ||
      c.couplingS < MIN_COUPLING_S ||
      c.value <= levels.threshold2() ||
      c.value < T_WAVE_LEVEL_FACTOR * this.tWaveLevel ||
      c.slope < MIN_SLOPE_RATIO * lastQrsSlope
    ) {
      return 'fits';
    }
    if (c.value > levels.threshold1() && c.amplitude >= TALL_AMPLITUDE_RATIO * this.amplitudeLevel)
      return 'outgrows';
    if (c.value < NOISE_RATIO * levels.noise) return 'fits';
    if (c.amplitude >= MIN_AMPLITUDE_RATIO * this.amplitudeLevel) return 'outgrows';
    return this.wideSized(c.amplitude) ? 'outgrows-by-size' : 'fits';
  }
}

/**
 * Does a candidate repeat the last beat's size and steepness, on the fused feature (qrs-twave.ts
 * `repeatsLastBeat`) or on one lead by that lead's levels (qrs-lead-wide.ts `repeatsLastBeatOn`):
 * its feature above threshold 2 and {@link NOISE_RATIO} × the noise level, its slope and 1–40 Hz
 * size ≥ {@link REPEAT_RATIO} of the last beat's?
 */
export function repeatsSizeAndSlope(
  c: { readonly value: number; readonly slope: number; readonly amplitude: number },
  levels: { readonly noise: number; threshold2(): number },
  last: { readonly slope: number; readonly amplitude: number },
): boolean {
  return (
    c.value > levels.threshold2() &&
    c.value >= NOISE_RATIO * levels.noise &&
    c.slope >= REPEAT_RATIO * last.slope &&
    c.amplitude >= REPEAT_RATIO * last.amplitude
  );
}

/**
 * A complex below threshold 1 taken as a beat all the same: a wide (ventricular or aberrant)
 * QRS carries a small share of its energy in the 5–15 Hz band — 5–20 % of a normal QRS's on
 * MIT-BIH PVCs — yet stands far above the T waves and noise peaks that set the noise level.
 * Accepted (by the detector, beyond the T-wave window) when its feature peak `value` is
 * ≥ {@link WIDE_NOISE_RATIO} × the noise level and ≥ {@link WIDE_MIN_QRS_FRACTION} of the QRS
 * level, and its slope is not a T wave's ({@link WIDE_MIN_SLOPE_RATIO} of the last QRS's).
 */
export function isWideComplex(
  value: number,
  slope: number,
  levels: { readonly noise: number; readonly qrs: number },
  lastQrsSlope: number,
): boolean {
  return value >= WIDE_NOISE_RATIO * levels.noise && wideFloors(value, slope, levels.qrs, lastQrsSlope);
}

/**
 * The floors every wide-complex rule shares: the feature ≥ {@link WIDE_MIN_QRS_FRACTION} of the
 * QRS level, and a slope that is not a T wave's (≥ {@link WIDE_MIN_SLOPE_RATIO} of the last QRS's).
 */
function wideFloors(value: number, slope: number, qrsLevel: number, lastQrsSlope: number): boolean {
  return value >= WIDE_MIN_QRS_FRACTION * qrsLevel && slope >= WIDE_MIN_SLOPE_RATIO * lastQrsSlope;
}
