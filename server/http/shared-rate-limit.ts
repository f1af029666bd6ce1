/**
 * Rate limits shared by every replica on one PostgreSQL: the same token buckets as `RateLimiter`,
 * kept in the `rate_limits` table and taken with one atomic upsert per request, timed by the
 * database's clock (replicas' clocks may differ). Idle buckets are swept once a minute.
 */
import type { SharedStateTables } from '../store/shared-state-tables.js';
import { rateLimited, type RateLimit } from './rate-limit.js';

const SWEEP_EVERY_MS = 60_000;

export class SharedRateLimiter implements RateLimit {
  private lastSweepMs = 0;

  constructor(
    private readonly tables: SharedStateTables,
    private readonly now: () => number = Date.now,
  ) {}

  async take(key: string, perMinute: number): Promise<void> {
    const nowMs = this.now();
    if (nowMs - this.lastSweepMs >= SWEEP_EVERY_MS) {
      this.lastSweepMs = nowMs;
      await this.tables.sweepTokens();
    }
    const taken = await this.tables.takeToken(key, perMinute);
    if (!taken.allowed) throw rateLimited(taken.retryAfterS);
  }
}
