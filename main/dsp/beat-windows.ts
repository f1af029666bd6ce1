/**
 * The windows a beat is compared on, per lead and lead-major in one array: the QRS window (from
 * `before` samples before R to `after` after) and the P-wave window just before it, with the
 * shape measures the beat classifier reads from them (roughness as a noise index, slope spread
 * as a width, correlation over chosen leads).
 */
import { correlation } from './stats.js';

/** Reads lead `lead` at sample `index` (band-limited, e.g. 1–40 Hz). */
export type SampleReader = (lead: number, index: number) => number;

/** Catmull–Rom cubic through p1 (t = 0) and p2 (t = 1), with neighbours p0 and p3. */
function catmullRom(p0: number, p1: number, p2: number, p3: number, t: number): number {
  return p1 + 0.5 * t * (p2 - p0 + t * (2 * p0 - 5 * p1 + 4 * p2 - p3 + t * (3 * (p1 - p2) + p3 - p0)));
}

/** Window geometry of one classifier (sample counts at its rate). */
export class BeatWindows {
  /** Samples of the QRS window per lead. */
  readonly width: number;
  /** Samples of the P window per lead. */
  readonly pWidth: number;
  /** Scratch of {@link onsetCorrelation} (it runs every beat). */
  private onsetA = new Float64Array(0);
  private onsetB = new Float64Array(0);

  constructor(
    readonly leadCount: number,
    readonly before: number,
    readonly after: number,
    readonly pBefore: number,
  ) {
    this.width = before + after;
    this.pWidth = pBefore - before;
  }

  /** The P-wave window (from `pBefore` samples before R up to the QRS window), every lead. */
  pWindowAt(read: SampleReader, r: number, out: Float64Array): void {
    for (let l = 0; l < this.leadCount; l++) {
      for (let j = 0; j < this.pWidth; j++) out[l * this.pWidth + j] = read(l, r - this.pBefore + j);
    }
  }

  /**
   * The QRS window (`before` samples before R to `after` after), every lead. A fractional `r`
   * reads between samples by cubic (Catmull–Rom) interpolation, for aligning a beat with the
   * template finer than one sample.
   */
  windowAt(read: SampleReader, r: number, out: Float64Array): void {
    const at = Math.floor(r);
    const t = r - at;
    for (let l = 0; l < this.leadCount; l++) {
      for (let j = 0; j < this.width; j++) {
        const i = at - this.before + j;
        out[l * this.width + j] =
          t === 0 ? read(l, i) : catmullRom(read(l, i - 1), read(l, i), read(l, i + 1), read(l, i + 2), t);
      }
    }
  }

  /** A function giving the QRS window at R `r` shifted by a lag, written into (and returning) `out`. */
  shifter(read: SampleReader, r: number, out: Float64Array): (lag: number) => Float64Array {
    return (lag) => {
      this.windowAt(read, r + lag, out);
      return out;
    };
  }

  /** Best correlation with the template on any one of the leads `leads` (NaN with fewer than two). */
  bestLeadCorrelation(w: Float64Array, template: Float64Array, leads: readonly number[]): number {
    if (leads.length < 2) return NaN;
    return Math.max(...leads.map((l) => this.leadCorrelation(w, template, [l])));
  }

  /** Σ|second difference| of one lead's part of a window, over its range (a noise index). */
  roughness(w: Float64Array, lead: number): number {
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
   * under `noisyRatio` × the template's. Muscle noise multiplies it; a wide
   * ventricular complex, smoother than the normal QRS, lowers it.
   */
  cleanLeads(w: Float64Array, template: Float64Array, noisyRatio: number): number[] {
    const out: number[] = [];
    for (let l = 0; l < this.leadCount; l++) {
      if (this.roughness(w, l) < noisyRatio * this.roughness(template, l)) out.push(l);
    }
    return out;
  }

  /** Correlation with the template over the given leads only (each lead's part concatenated). */
  leadCorrelation(w: Float64Array, template: Float64Array, leads: readonly number[]): number {
    const a = new Float64Array(leads.length * this.width);
    const b = new Float64Array(leads.length * this.width);
    leads.forEach((l, k) => {
      a.set(w.subarray(l * this.width, (l + 1) * this.width), k * this.width);
      b.set(template.subarray(l * this.width, (l + 1) * this.width), k * this.width);
    });
    return correlation(a, b);
  }

  /**
   * Correlation with the template over the QRS onset only — each lead's window up to `afterR`
   * samples after R (the clean leads `leads`) — where an aberrantly conducted beat keeps the normal
   * activation (same initial vector) and a ventricular one does not.
   */
  onsetCorrelation(
    w: Float64Array,
    template: Float64Array,
    leads: readonly number[],
    afterR: number,
  ): number {
    const part = Math.min(this.width, this.before + afterR);
    if (this.onsetA.length !== leads.length * part) {
      this.onsetA = new Float64Array(leads.length * part);
      this.onsetB = new Float64Array(leads.length * part);
    }
    const a = this.onsetA;
    const b = this.onsetB;
    leads.forEach((l, k) => {
      a.set(w.subarray(l * this.width, l * this.width + part), k * part);
      b.set(template.subarray(l * this.width, l * this.width + part), k * part);
    });
    return correlation(a, b);
  }

  /**
   * Time (samples, fractional) over which the middle 80 % of the window's summed |slope| (given
   * leads) falls: the times at which the running sum crosses 10 % and 90 % of the total, each
   * interpolated within its sample interval (the sum grows linearly across an interval at the
   * slope of that interval). At 80–128 Hz a normal QRS spans 6–10 samples, so whole samples would
   * step the width by 10–17 %, of the order of the margins the classifier reads it against.
   */
  spread(w: Float64Array, leads?: readonly number[]): number {
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
    const crossing = (target: number): number => {
      let acc = 0;
      for (let j = 1; j < this.width; j++) {
        const next = acc + slope[j]!;
        if (next >= target) return j - 1 + (target - acc) / slope[j]!;
        acc = next;
      }
      return this.width - 1;
    };
    return Math.max(1, crossing(0.9 * total) - crossing(0.1 * total));
  }
}
