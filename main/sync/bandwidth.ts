/**
 * The upload bandwidth cap for catching up after days offline, so a clinic's thin line is not
 * filled by one gateway: a token bucket in bytes per second with one second of burst. A body
 * larger than the burst is allowed and paid for afterwards (the bucket goes into debt), so any
 * chunk can be sent and the average still holds.
 */
import type { Clock } from '../base/clock.js';

export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  /** @param rateBytesPerS bytes per second, or null for unlimited. */
  constructor(
    private readonly clock: Clock,
    private rateBytesPerS: number | null,
  ) {
    TokenBucket.check(rateBytesPerS);
    this.tokens = rateBytesPerS ?? 0;
    this.lastMs = clock.now();
  }

  private static check(rate: number | null): void {
    if (rate !== null && !(Number.isFinite(rate) && rate > 0))
      throw new RangeError(`upload cap must be a positive number of bytes/s or null, got ${rate}`);
  }

  /** The cap, bytes/s (null = unlimited). */
  get rate(): number | null {
    return this.rateBytesPerS;
  }

  /** Changes the cap; the burst allowance starts full again. */
  setRate(rateBytesPerS: number | null): void {
    TokenBucket.check(rateBytesPerS);
    this.rateBytesPerS = rateBytesPerS;
    this.tokens = rateBytesPerS ?? 0;
    this.lastMs = this.clock.now();
  }

  /** Takes `bytes` from the bucket; returns how long to wait before sending them, ms (0 = now). */
  reserve(bytes: number): number {
    const rate = this.rateBytesPerS;
    if (rate === null) return 0;
    const nowMs = this.clock.now();
    this.tokens = Math.min(rate, this.tokens + (Math.max(0, nowMs - this.lastMs) * rate) / 1000);
    this.lastMs = nowMs;
    this.tokens -= bytes;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / rate);
  }
}
