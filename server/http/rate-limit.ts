/**
 * Token-bucket rate limits, keyed by authenticated principal (or by IP on routes that need no
 * login). A bucket holds `perMinute` tokens and refills continuously. `RateLimiter` keeps them in
 * this process (SQLite: one server process); on PostgreSQL the replicas share them through the
 * database (`SharedRateLimiter`, shared-rate-limit.ts) with the same semantics.
 */
import { HttpError } from '../errors.js';

/** What the router asks of a rate limiter. */
export interface RateLimit {
  /** Takes one token for `key`; throws 429 `rate_limited` with `retry-after` when the bucket is empty. */
  take(key: string, perMinute: number): void | Promise<void>;
}

/** The 429 every limiter answers. */
export function rateLimited(retryS: number): HttpError {
  return new HttpError(429, 'rate_limited', `too many requests; retry in ${retryS} s`, undefined, {
    'retry-after': String(retryS),
  });
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export class RateLimiter implements RateLimit {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweepMs = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Takes one token for `key`; throws 429 with `retry-after` when the bucket is empty. */
  take(key: string, perMinute: number): void {
    const nowMs = this.now();
    this.sweep(nowMs);
    const refillPerMs = perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: perMinute, updatedMs: nowMs };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (nowMs - bucket.updatedMs) * refillPerMs);
    bucket.updatedMs = nowMs;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) {
      const retryS = Math.ceil((1 - bucket.tokens) / refillPerMs / 1000);
      throw rateLimited(retryS);
    }
    bucket.tokens -= 1;
  }

  /** Drops buckets idle for over a minute (they would be full again anyway). */
  private sweep(nowMs: number): void {
    if (nowMs - this.lastSweepMs < 60_000) return;
    this.lastSweepMs = nowMs;
    for (const [key, bucket] of this.buckets) if (nowMs - bucket.updatedMs > 60_000) this.buckets.delete(key);
  }
}
