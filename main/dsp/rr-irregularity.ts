/**
 * Atrial fibrillation from the irregularity of the RR intervals, beat by beat and causally, so
 * the beat classifier can stop reading prematurity as supraventricular ectopy inside it (in AF
 * every conducted beat arrives "early" or "late" at random, and AAMI EC57 counts those beats N).
 *
 * Method of Dash, Chon, Lu & Raeder, "Automatic real time detection of atrial fibrillation",
 * Ann Biomed Eng 37(9):1701–1709 (2009), on a shorter window for a beat-level decision:
 * - over the last {@link AF_WINDOW_BEATS} RR intervals, the {@link AF_TRIM_BEATS} longest and
 *   shortest are left out (an isolated ectopic beat and its pause are then not "irregularity");
 * - the **normalised RMSSD** (RMSSD of the remaining successive intervals over their mean) must
 *   exceed {@link AF_NRMSSD}: sinus rhythm, even with marked sinus arrhythmia, changes by a few
 *   percent from beat to beat, AF by 10–30 %;
 * - the **turning-point ratio** (share of intervals that are a local maximum or minimum of the
 *   series) must lie within 1.96 standard deviations of its value for a random series,
 *   2(n − 2)/3 with variance (16n − 29)/90 (Kendall's test for randomness): RR in AF are
 *   uncorrelated from beat to beat, whereas a bigeminy alternates (every point turns) and a
 *   sinus arrhythmia drifts (few turn).
 * Both must hold; the state changes only after {@link AF_HOLD_BEATS} consecutive beats agree
 * (hysteresis, as rhythm monitors do to avoid flicker at borderline windows).
 */
import type { BeatClass } from './hrv.js';

/**
 * Whether an RR ending at a beat of this class (or starting at one) belongs to the rhythm the
 * detector judges: sinus-to-sinus intervals only. An ectopic beat's RR and the pause after it are
 * the ectopy's, not the rhythm's: the ectopic-beat filter that precedes AF detection in Petrėnas,
 * Marozas & Sörnmo, Comput Biol Med 65:184–191 (2015); without it frequent APCs (a trigeminy)
 * look irregularly irregular and switch AF on, which then silences every S call.
 */
export function entersRhythm(beatClass: BeatClass): boolean {
  return beatClass === 'N' || beatClass === 'F';
}

/** RR intervals in the irregularity window (Dash et al. used 128; a shorter window reacts sooner). */
export const AF_WINDOW_BEATS = 32;
/** Longest and shortest intervals left out of each window (Dash et al.: 8 of 128). */
export const AF_TRIM_BEATS = 3;
/** Normalised RMSSD above which the rhythm is irregular (Dash et al.: 0.1). */
export const AF_NRMSSD = 0.1;
/** Consecutive beats that must agree before the AF state changes. */
export const AF_HOLD_BEATS = 4;
/** Standard normal quantile bounding the turning-point count of a random series (95 %). */
const TURNING_Z = 1.96;

/** Streaming RR irregularity: feed each RR in order, read {@link atrialFibrillation}. */
export class RrIrregularity {
  private readonly rr: number[] = [];
  private agree = 0;
  private state = false;
  /** Last computed normalised RMSSD (NaN until the window is full). */
  nrmssd = NaN;
  /** Last turning-point ratio (NaN until the window is full). */
  turningRatio = NaN;

  /** Whether the rhythm is currently taken for atrial fibrillation. */
  get atrialFibrillation(): boolean {
    return this.state;
  }

  /** Adds one RR interval (any unit) and updates the state; returns the state. */
  push(rr: number): boolean {
    if (!(rr > 0)) return this.state;
    this.rr.push(rr);
    if (this.rr.length > AF_WINDOW_BEATS) this.rr.shift();
    if (this.rr.length < AF_WINDOW_BEATS) return this.state;
    const irregular = this.evaluate();
    if (irregular === this.state) this.agree = 0;
    else if (++this.agree >= AF_HOLD_BEATS) {
      this.state = irregular;
      this.agree = 0;
    }
    return this.state;
  }

  /** Clears the history (e.g. after a gap in the signal). */
  reset(): void {
    this.rr.length = 0;
    this.agree = 0;
    this.state = false;
  }

  private evaluate(): boolean {
    const sorted = [...this.rr].sort((a, b) => a - b);
    const lo = sorted[AF_TRIM_BEATS]!;
    const hi = sorted[sorted.length - 1 - AF_TRIM_BEATS]!;
    // successive differences only between neighbours that both survive the trimming
    let sumSq = 0;
    let pairs = 0;
    let sum = 0;
    let kept = 0;
    for (let i = 0; i < this.rr.length; i++) {
      const v = this.rr[i]!;
      if (v < lo || v > hi) continue;
      sum += v;
      kept++;
      const prev = i > 0 ? this.rr[i - 1]! : NaN;
      if (prev >= lo && prev <= hi) {
        sumSq += (v - prev) ** 2;
        pairs++;
      }
    }
    if (pairs === 0 || kept === 0) return false;
    this.nrmssd = Math.sqrt(sumSq / pairs) / (sum / kept);
    const n = this.rr.length;
    let turning = 0;
    for (let i = 1; i < n - 1; i++) {
      const a = this.rr[i - 1]!;
      const b = this.rr[i]!;
      const c = this.rr[i + 1]!;
      if ((b > a && b > c) || (b < a && b < c)) turning++;
    }
    const expected = (2 * (n - 2)) / 3;
    const sd = Math.sqrt((16 * n - 29) / 90);
    this.turningRatio = turning / (n - 2);
    return this.nrmssd > AF_NRMSSD && Math.abs(turning - expected) <= TURNING_Z * sd;
  }
}
