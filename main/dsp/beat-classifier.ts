/**
 * Causal beat classification into the AAMI EC57 classes (N, S, V, F, Q), one beat at a time as
 * the detector reports it, from what is known then: the beat's own waveform on every lead and
 * the RR intervals up to it. The same class goes to the live strip, the beats stream and the
 * whole-record analysis.
 *
 * Features (the families of de Chazal, O'Dwyer & Reilly, IEEE TBME 51(7):1196–1206, 2004, and of
 * template-matching monitors such as Hamilton's open-source classifier, EP Limited 2002):
 * - **morphology**: Pearson correlation of the beat (−80…+120 ms around R, all leads) with a
 *   running template of the patient's dominant normal beat, best over ±40 ms of shift (the R mark
 *   may sit on another wave of an abnormal complex); the template starts as the sample-wise median
 *   of the first {@link TEMPLATE_BOOT_BEATS} beats and follows normal beats (weight 1/16 each);
 * - **width**: the QRS "spread" — the time taken by the middle 80 % of the beat's summed absolute
 *   slope within the window — over the template's (ventricular complexes conduct slowly, so their
 *   slope energy is spread over ≥ 120 ms, against ≈ 80 ms for a normal QRS);
 * - **prematurity**: the RR before the beat over the local normal RR (mean of the last
 *   {@link RR_REFERENCE_BEATS} normal-to-normal intervals), and the RR change from the previous
 *   interval (a sinus arrhythmia changes gradually; an ectopic beat abruptly).
 * Leads swamped by noise in a beat (range-normalised Σ|Δ²x| over 2.5 × the template's) are left
 * out of its comparison; with none left the beat is Q.
 * Rules: a premature beat (RR < 85 % of the reference) unlike the template (r < 0.8), or a beat
 * neither premature nor on time (85–95 %) that is wide (spread ≥ 1.4 × normal) and not closely
 * similar (r < 0.9), or an on-time beat very unlike the template (r < 0.5) and wide (1.3–2.5 ×
 * normal: wider is artefact) → V; a premature beat (≥ 10 % shorter than the previous RR) of normal
 * morphology (r ≥ 0.9, not wider than 1.2 ×) → S; an on-time beat part-way between (0.7 ≤ r <
 * 0.85, spread ≥ 1.2 × normal) within 8 beats of a V → F (ventricular and sinus activation
 * meeting: a fusion needs an active ventricular focus); a beat unlike the template but neither
 * wide nor premature (r < 0.4) → Q; else N. Tuned on the even-numbered MIT-BIH 100-series
 * records, read on the odd ones (`npm run bench -- beats`).
 */
import { groupDelaySamples } from './filters-design.js';
import { sosFilter } from './filters.js';
import type { BeatClass } from './hrv.js';
import { refineBandSos } from './qrs-feature.js';
import { correlation, median } from './stats.js';

/** Beats whose median waveform is the first template. */
export const TEMPLATE_BOOT_BEATS = 8;
/** Normal RR intervals averaged into the reference RR. */
export const RR_REFERENCE_BEATS = 8;
const BEFORE_S = 0.08;
const AFTER_S = 0.12;
const MAX_LAG_S = 0.04;
const TEMPLATE_WEIGHT = 1 / 16;
const PREMATURE_RATIO = 0.85;
const ABRUPT_RATIO = 0.9;
/** A lead is left out of a beat's comparison when its roughness exceeds the template's this many times. */
const NOISY_ROUGHNESS_RATIO = 2.5;
/**
 * An on-time beat "wider" than this many times the normal QRS is taken for artefact, not a
 * ventricular escape or an end-diastolic PVC (those reach about twice the normal width).
 */
const MAX_VENTRICULAR_WIDTH_RATIO = 2.5;

/** Reads lead `lead` at sample `index` (band-limited, e.g. 1–40 Hz). */
export type SampleReader = (lead: number, index: number) => number;

/** What the classifier found about one beat (for tests and a beat inspector). */
export interface ClassifiedBeat {
  readonly beatClass: BeatClass;
  readonly correlation: number;
  /** QRS spread over the template's (1 = as wide as normal). */
  readonly widthRatio: number;
  /** RR before the beat over the reference RR; null for the first beat. */
  readonly prematurity: number | null;
}

/** Streaming classifier: call {@link classify} for each beat in time order. */
export class BeatClassifier {
  readonly sampleRateHz: number;
  readonly leadCount: number;
  /** Samples a beat's window reaches after its R peak: the caller must have them. */
  readonly afterSamples: number;
  private readonly before: number;
  private readonly width: number;
  private readonly maxLag: number;
  private template: Float64Array | null = null;
  private templateSpread = 0;
  private readonly boot: Float64Array[] = [];
  private readonly bootSpread: number[] = [];
  private lastR = -1;
  private lastRr = -1;
  private lastClass: BeatClass = 'N';
  /** Beats since the last V (fusion needs a ventricular focus that is firing). */
  private sinceV = Infinity;
  private readonly normalRr: number[] = [];
  private readonly work: Float64Array;

  constructor(options: { sampleRateHz: number; leadCount?: number }) {
    this.sampleRateHz = options.sampleRateHz;
    this.leadCount = options.leadCount ?? 1;
    this.before = Math.max(2, Math.round(BEFORE_S * this.sampleRateHz));
    this.afterSamples = Math.max(2, Math.round(AFTER_S * this.sampleRateHz));
    this.width = this.before + this.afterSamples;
    this.maxLag = Math.max(1, Math.round(MAX_LAG_S * this.sampleRateHz));
    this.work = new Float64Array(this.width * this.leadCount);
  }

  private windowAt(read: SampleReader, r: number, out: Float64Array): void {
    for (let l = 0; l < this.leadCount; l++) {
      for (let j = 0; j < this.width; j++) out[l * this.width + j] = read(l, r - this.before + j);
    }
  }

  /** Σ|second difference| of one lead's part of a window, over its range (a noise index). */
  private roughness(w: Float64Array, lead: number): number {
    const o = lead * this.width;
    let sum = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let j = 0; j < this.width; j++) {
      const v = w[o + j]!;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      if (j >= 2) sum += Math.abs(v - 2 * w[o + j - 1]! + w[o + j - 2]!);
    }
    return hi > lo ? sum / (hi - lo) : 0;
  }

  /**
   * Leads whose part of the beat is not swamped by noise: range-normalised roughness (Σ|Δ²x|)
   * under {@link NOISY_ROUGHNESS_RATIO} × the template's. Muscle noise multiplies it; a wide
   * ventricular complex, smoother than the normal QRS, lowers it.
   */
  private cleanLeads(w: Float64Array, template: Float64Array): number[] {
    const out: number[] = [];
    for (let l = 0; l < this.leadCount; l++) {
      if (this.roughness(w, l) < NOISY_ROUGHNESS_RATIO * this.roughness(template, l)) out.push(l);
    }
    return out;
  }

  /** Correlation with the template over the given leads only (each lead's part concatenated). */
  private leadCorrelation(w: Float64Array, template: Float64Array, leads: readonly number[]): number {
    const a = new Float64Array(leads.length * this.width);
    const b = new Float64Array(leads.length * this.width);
    leads.forEach((l, k) => {
      a.set(w.subarray(l * this.width, (l + 1) * this.width), k * this.width);
      b.set(template.subarray(l * this.width, (l + 1) * this.width), k * this.width);
    });
    return correlation(a, b);
  }

  /** Time (samples) over which the middle 80 % of the window's summed |slope| (given leads) falls. */
  private spread(w: Float64Array, leads?: readonly number[]): number {
    const slope = new Float64Array(this.width);
    let total = 0;
    for (const l of leads ?? Array.from({ length: this.leadCount }, (_, k) => k)) {
      for (let j = 1; j < this.width; j++) {
        const d = Math.abs(w[l * this.width + j]! - w[l * this.width + j - 1]!);
        slope[j] = slope[j]! + d;
        total += d;
      }
    }
    if (total === 0) return 0;
    let acc = 0;
    let from = -1;
    let to = this.width - 1;
    for (let j = 0; j < this.width; j++) {
      acc += slope[j]!;
      if (from < 0 && acc >= 0.1 * total) from = j;
      if (acc >= 0.9 * total) {
        to = j;
        break;
      }
    }
    return Math.max(1, to - from);
  }

  /** Classifies the beat with R peak at sample `r` (after the previous one); `read` must reach r + afterSamples. */
  classify(r: number, read: SampleReader): ClassifiedBeat {
    const rr = this.lastR >= 0 ? r - this.lastR : null;
    const prevRr = this.lastRr;
    this.lastR = r;
    if (this.template === null) return this.bootstrap(r, read, rr);
    // best alignment with the template
    let best = -2;
    let bestLag = 0;
    for (let lag = -this.maxLag; lag <= this.maxLag; lag++) {
      this.windowAt(read, r + lag, this.work);
      const c = correlation(this.work, this.template);
      if (c > best) {
        best = c;
        bestLag = lag;
      }
    }
    this.windowAt(read, r + bestLag, this.work);
    const clean = this.cleanLeads(this.work, this.template);
    if (clean.length === 0) {
      this.learn('Q', rr);
      return { beatClass: 'Q', correlation: best, widthRatio: 1, prematurity: null };
    }
    if (clean.length < this.leadCount) best = this.leadCorrelation(this.work, this.template, clean);
    const widthRatio = this.spread(this.work, clean) / Math.max(1, this.spread(this.template, clean));
    const reference = this.referenceRr();
    const prematurity = rr !== null && reference > 0 ? rr / reference : null;
    const premature = prematurity !== null && prematurity < PREMATURE_RATIO;
    const abrupt = rr !== null && (prevRr <= 0 || rr < ABRUPT_RATIO * prevRr);
    let beatClass: BeatClass = 'N';
    const onTime = prematurity === null || prematurity >= 0.95;
    if (
      (premature && best < 0.8) ||
      (!onTime && widthRatio >= 1.4 && best < 0.9) ||
      (onTime && best < 0.5 && widthRatio >= 1.3 && widthRatio <= MAX_VENTRICULAR_WIDTH_RATIO)
    ) {
      beatClass = 'V';
    } else if (premature && abrupt && best >= 0.9 && widthRatio < 1.2) beatClass = 'S';
    else if (this.sinceV <= 8 && onTime && best < 0.85 && best >= 0.7 && widthRatio >= 1.2) beatClass = 'F';
    else if (best < 0.4) beatClass = 'Q';
    this.learn(beatClass, rr);
    this.sinceV = beatClass === 'V' ? 0 : this.sinceV + 1;
    if (beatClass === 'N') {
      const t = this.template;
      for (let i = 0; i < t.length; i++) t[i] = t[i]! + TEMPLATE_WEIGHT * (this.work[i]! - t[i]!);
      this.templateSpread += TEMPLATE_WEIGHT * (this.spread(this.work) - this.templateSpread);
    }
    return { beatClass, correlation: best, widthRatio, prematurity };
  }

  private referenceRr(): number {
    if (this.normalRr.length === 0) return this.lastRr;
    let sum = 0;
    for (const v of this.normalRr) sum += v;
    return sum / this.normalRr.length;
  }

  private learn(beatClass: BeatClass, rr: number | null): void {
    if (rr !== null) {
      if (beatClass === 'N' && this.lastClass === 'N') {
        this.normalRr.push(rr);
        if (this.normalRr.length > RR_REFERENCE_BEATS) this.normalRr.shift();
      }
      this.lastRr = rr;
    }
    this.lastClass = beatClass;
  }

  private bootstrap(r: number, read: SampleReader, rr: number | null): ClassifiedBeat {
    const w = new Float64Array(this.width * this.leadCount);
    this.windowAt(read, r, w);
    this.boot.push(w);
    this.bootSpread.push(this.spread(w));
    if (this.boot.length >= TEMPLATE_BOOT_BEATS) {
      const t = new Float64Array(w.length);
      for (let i = 0; i < t.length; i++) t[i] = median(this.boot.map((b) => b[i]!));
      this.template = t;
      this.templateSpread = median(this.bootSpread);
      const rrs = this.normalRr.length > 0 ? [...this.normalRr] : [];
      this.normalRr.length = 0;
      if (rrs.length > 0) this.normalRr.push(median(rrs));
    }
    if (rr !== null) {
      this.normalRr.push(rr);
      if (this.normalRr.length > RR_REFERENCE_BEATS) this.normalRr.shift();
      this.lastRr = rr;
    }
    return { beatClass: 'N', correlation: 1, widthRatio: 1, prematurity: null };
  }
}

/**
 * Classes of a whole record's beats with the live classifier on the same signal the live
 * pipeline reads: each lead filtered causally in QrsFeature's refine band, read with that
 * filter's delay compensated. `leads` in any consistent units; `beats` ascending.
 */
export function classifyRecordBeats(
  leads: readonly ArrayLike<number>[],
  beats: ArrayLike<number>,
  sampleRateHz: number,
): ClassifiedBeat[] {
  const sos = refineBandSos(sampleRateHz);
  const delay = Math.max(0, Math.round(groupDelaySamples(sos, 10, sampleRateHz)));
  const filtered = leads.map((lead) => sosFilter(sos, lead, 'steady'));
  const length = filtered[0]?.length ?? 0;
  const read: SampleReader = (lead, index) =>
    filtered[lead]![Math.min(length - 1, Math.max(0, index + delay))]!;
  const classifier = new BeatClassifier({ sampleRateHz, leadCount: leads.length });
  const out: ClassifiedBeat[] = [];
  for (let k = 0; k < beats.length; k++) out.push(classifier.classify(beats[k]!, read));
  return out;
}
