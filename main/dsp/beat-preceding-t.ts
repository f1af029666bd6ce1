/**
 * Whether something was added to the T wave before a premature beat: a premature P wave.
 *
 * A premature atrial impulse usually falls on the preceding beat's T wave and deforms it (the
 * "P hidden in the T"); a premature ventricular beat that comes before the sinus P is due leaves
 * the preceding T as it always is, the sinus P hiding in or after the PVC (Marriott's *Practical
 * Electrocardiography*, ch. "Aberrant ventricular conduction"; Wellens, Bär & Lie, Am J Cardiol
 * 41:1158–1164, 1978). The patient's own T course is learned as a template of the signal after
 * the R of normal beats (each sample from the on-time normal beats whose next beat left it
 * undisturbed); a beat's preceding segment is compared, sample by sample at the same distance
 * from the previous R, with that template. The residual (after removing the mean offset), over
 * the residual normal beats leave on their own T, is the deformation: about 1 where nothing was
 * added, several times that with a P wave on the T.
 */
import type { SampleReader } from './beat-windows.js';
import { median } from './stats.js';

/**
 * Deformation (every compared lead) at or above which the T before a wide premature beat carried
 * a premature P wave.
 */
export const T_DEFORMED = 2.5;
/**
 * Prematurity under which a PVC comes before the sinus P is due (sinus P at ≈ the normal RR minus
 * the PR interval, 0.12–0.2 s: about 80 % of the cycle), so the T before it is undisturbed.
 */
export const P_ON_T_PREMATURITY = 0.8;

/**
 * Correlation with the normal QRS at or above which a wide beat may be aberrantly conducted: a
 * bundle-branch aberrancy keeps the normal activation of the other ventricle, so the QRS keeps
 * much of the normal shape (identical initial vector: Marriott; Wellens et al. 1978), whereas a
 * ventricular focus activates the ventricles in another order from the start.
 */
export const SAME_INITIAL_VECTOR = 0.5;

/** The T course is learned from this long after R. */
const T_FROM_S = 0.12;
/** … to this long after R. */
const T_TO_S = 0.6;
/** A beat's preceding segment runs from this long before its R (a P at PR ≤ 200 ms, its width) … */
const SEGMENT_FROM_S = 0.32;
/** … to this long before its R (the onset of a wide QRS reaches ≈ 100 ms before the R mark). */
const SEGMENT_TO_S = 0.12;
/** Learned beats a template sample needs before it is compared. */
const MIN_LEARNED = 8;
const WEIGHT = 1 / 16;
/** Normal beats' own residuals whose median is the noise scale. */
const NOISE_BEATS = 32;

/** The learned T course after normal beats, and the deformation of a segment before a beat. */
export class PrecedingT {
  private readonly from: number;
  private readonly length: number;
  private readonly segFrom: number;
  private readonly segTo: number;
  private readonly template: Float64Array;
  private readonly learned: Uint16Array;
  private readonly noise: number[][];

  constructor(
    readonly sampleRateHz: number,
    readonly leadCount: number,
  ) {
    this.from = Math.round(T_FROM_S * sampleRateHz);
    this.length = Math.round(T_TO_S * sampleRateHz) - this.from;
    this.segFrom = Math.round(SEGMENT_FROM_S * sampleRateHz);
    this.segTo = Math.round(SEGMENT_TO_S * sampleRateHz);
    this.template = new Float64Array(this.length * leadCount);
    this.learned = new Uint16Array(this.length);
    this.noise = Array.from({ length: leadCount }, () => []);
  }

  /**
   * Learns the T course after the normal beat at `previousR` from the samples up to the next
   * beat's P window (the next beat, at `r`, on time and normal). First notes the residual its
   * early T segment leaves against the template: the noise scale of {@link deformation}.
   */
  learn(previousR: number, r: number, read: SampleReader): void {
    const end = Math.min(this.length, r - this.segFrom - previousR - this.from);
    const span = this.segFrom - this.segTo;
    if (end >= span) {
      this.residuals(previousR, 0, span, read).forEach((x, l) => {
        if (Number.isNaN(x)) return;
        this.noise[l]!.push(x);
        if (this.noise[l]!.length > NOISE_BEATS) this.noise[l]!.shift();
      });
    }
    for (let j = 0; j < end; j++) {
      const n = this.learned[j]!;
      const w = n < 1 / WEIGHT ? 1 / (n + 1) : WEIGHT;
      for (let l = 0; l < this.leadCount; l++) {
        const i = l * this.length + j;
        this.template[i] = this.template[i]! + w * (read(l, previousR + this.from + j) - this.template[i]!);
      }
      if (n < 65535) this.learned[j] = n + 1;
    }
  }

  /**
   * Per lead, the residual of the segment before the beat at `r` against the T course after
   * `previousR`, over the normal beats' median residual (NaN where unknown: too little learned
   * there, or too few normal residuals yet).
   */
  deformation(previousR: number, r: number, read: SampleReader): number[] {
    const a = Math.max(r - this.segFrom, previousR + this.from) - previousR - this.from;
    const b = r - this.segTo - previousR - this.from;
    return this.residuals(previousR, a, b, read).map((x, l) => {
      const n = this.noise[l]!;
      return n.length < MIN_LEARNED ? NaN : x / Math.max(1e-9, median(n));
    });
  }

  /** RMS residual per lead of template samples [a, b) after `previousR` (NaN if not covered). */
  private residuals(previousR: number, a: number, b: number, read: SampleReader): number[] {
    const out: number[] = [];
    const at = (l: number, j: number): number =>
      read(l, previousR + this.from + j) - this.template[l * this.length + j]!;
    for (let l = 0; l < this.leadCount; l++) {
      if (b - a < 4 || a < 0 || b > this.length || this.learned[b - 1]! < MIN_LEARNED) {
        out.push(NaN);
        continue;
      }
      let mean = 0;
      for (let j = a; j < b; j++) mean += at(l, j);
      mean /= b - a;
      let sq = 0;
      for (let j = a; j < b; j++) sq += (at(l, j) - mean) ** 2;
      out.push(Math.sqrt(sq / (b - a)));
    }
    return out;
  }
}
