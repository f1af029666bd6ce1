/**
 * Turns bursty batch arrival into a smooth sweep: the displayed head advances with the wall clock
 * at the sample rate, a fixed delay behind the newest sample, and never past it (when data stops,
 * the sweep stops — it does not invent signal).
 */

/** Default display delay, ms: covers the usual batch interval so the sweep does not stutter. */
export const DEFAULT_SWEEP_DELAY_MS = 250;
/** How fast the clock follows batches that arrive later than expected (fraction per batch). */
const LATE_FOLLOW = 0.05;

export class SweepClock {
  /** latestIndex − now × rate, in samples; null until the first batch. */
  private offsetSamples: number | null = null;
  private lastArrivalMs = Number.NEGATIVE_INFINITY;
  private latest = -1;

  constructor(
    private sampleRateHz: number,
    private readonly delayMs: number = DEFAULT_SWEEP_DELAY_MS,
  ) {}

  /** Records that samples up to `latestIndex` were available at `nowMs` (monotonic clock). */
  observe(latestIndex: number, nowMs: number): void {
    const candidate = latestIndex - (nowMs * this.sampleRateHz) / 1000;
    if (this.offsetSamples === null || candidate > this.offsetSamples) this.offsetSamples = candidate;
    else this.offsetSamples += (candidate - this.offsetSamples) * LATE_FOLLOW;
    this.latest = Math.max(this.latest, latestIndex);
    this.lastArrivalMs = nowMs;
  }

  /** Newest sample index to draw at `nowMs`, or −1 before any data. */
  head(nowMs: number): number {
    if (this.offsetSamples === null) return -1;
    const delaySamples = (this.delayMs * this.sampleRateHz) / 1000;
    const estimate = Math.floor((nowMs * this.sampleRateHz) / 1000 + this.offsetSamples - delaySamples);
    return Math.min(this.latest, estimate);
  }

  /** Milliseconds since the last batch (Infinity before any). */
  silenceMs(nowMs: number): number {
    return nowMs - this.lastArrivalMs;
  }

  /** Starts over (new run, new rate). */
  reset(sampleRateHz: number): void {
    this.sampleRateHz = sampleRateHz;
    this.offsetSamples = null;
    this.latest = -1;
    this.lastArrivalMs = Number.NEGATIVE_INFINITY;
  }
}
