/**
 * RR-interval bookkeeping of the live QRS detector: the mean of the last intervals with long
 * ones clipped (for the search-back timing, cf. Pan & Tompkins' "RR average 2") and the
 * irregularity of the intervals as measured (for the atrial-fibrillation rules).
 */

const RR_HISTORY = 8;
const RR_CLIP_FACTOR = 1.2;

/** The last RR intervals of a detector, in samples. */
export class RrHistory {
  private readonly clipped = new Float64Array(RR_HISTORY);
  private readonly raw = new Float64Array(RR_HISTORY);
  private readonly scratch = new Float64Array(RR_HISTORY);
  private count = 0;
  /** Mean of the last (clipped) RR intervals, samples; `initialSamples` before any. */
  mean: number;

  constructor(initialSamples: number) {
    this.mean = initialSamples;
  }

  /** Whether an interval has been measured (before, `mean` is the guess it was built with). */
  get measured(): boolean {
    return this.count > 0;
  }

  /** Adds the interval between two beats. */
  push(rrSamples: number): void {
    const slot = this.count % RR_HISTORY;
    this.raw[slot] = rrSamples;
    // a long interval (a missed beat, a pause) enters the average clipped, so one miss does
    // not postpone the next search-back
    this.clipped[slot] = this.count < 2 ? rrSamples : Math.min(rrSamples, RR_CLIP_FACTOR * this.mean);
    this.count++;
    const n = Math.min(this.count, RR_HISTORY);
    let sum = 0;
    for (let k = 0; k < n; k++) sum += this.clipped[k]!;
    this.mean = sum / n;
  }

  /**
   * Median of the last intervals as measured, samples (`mean` before any): the cycle of the
   * underlying rhythm, which a few premature beats or noise spikes among them do not shift.
   */
  median(): number {
    const n = Math.min(this.count, RR_HISTORY);
    if (n === 0) return this.mean;
    for (let k = 0; k < n; k++) {
      const v = this.raw[(this.count - 1 - k) % RR_HISTORY]!;
      let j = k;
      for (; j > 0 && this.scratch[j - 1]! > v; j--) this.scratch[j] = this.scratch[j - 1]!;
      this.scratch[j] = v;
    }
    return n % 2 === 1 ? this.scratch[n >> 1]! : (this.scratch[n / 2 - 1]! + this.scratch[n / 2]!) / 2;
  }

  /** The last `n` intervals as measured, latest first, samples (fewer while fewer are in). */
  recent(n: number): number[] {
    const k = Math.min(n, this.count, RR_HISTORY);
    return Array.from({ length: k }, (_, i) => this.raw[(this.count - 1 - i) % RR_HISTORY]!);
  }

  /** The last interval as measured, samples (`mean` before any). */
  last(): number {
    return this.count === 0 ? this.mean : this.raw[(this.count - 1) % RR_HISTORY]!;
  }

  /**
   * Mean absolute successive difference of the last intervals (as measured) over their mean;
   * 0 with fewer than 4 intervals.
   */
  irregularity(): number {
    const n = Math.min(this.count, RR_HISTORY);
    if (n < 4) return 0;
    let sum = 0;
    let diff = 0;
    for (let k = 0; k < n; k++) {
      const rr = this.raw[(this.count - 1 - k) % RR_HISTORY]!;
      sum += rr;
      if (k > 0) diff += Math.abs(rr - this.raw[(this.count - k) % RR_HISTORY]!);
    }
    return diff / (n - 1) / (sum / n);
  }
}
