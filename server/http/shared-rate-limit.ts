/**
 * Rate limits shared by every replica on one PostgreSQL: the same token buckets as `RateLimiter`,
 * kept in the `rate_limits` table and taken with one atomic upsert, timed by the database's clock
 * (replicas' clocks may differ). Idle buckets are swept once a minute.
 *
 * A busy key does not cost a database round trip per request: for a limit of at least 2000 a
 * minute a replica takes a small lease of whole tokens at once (`leaseSize`: one per 1000 a
 * minute, at most 8) and spends it locally for up to `LEASE_MS`; unspent tokens of an expired
 * lease are dropped, never given back. Every admitted request still spends a token taken from
 * the shared bucket, so the limit holds across replicas; the cost is bounded:
 * - over any interval, a key is admitted at most `replicas × (leaseSize − 1)` requests more than
 *   the one shared bucket taken a token at a time would admit (tokens leased before the interval
 *   and spent in it: each replica holds at most one lease per key, one token of it spent at once);
 * - it may be refused up to as many requests early (tokens held by another replica), and a key
 *   whose leases keep expiring unspent burns at most `leaseSize` tokens a second extra, under 1/8
 *   of its allowance. Limits under 2000 a minute (the anonymous per-address one) lease nothing.
 * At the default 6000 a minute that is 6 tokens a lease: at most 5 a replica over the limit.
 */
import type { SharedStateTables, TokensTaken } from '../store/shared-state-tables.js';
import { rateLimited, type RateLimit } from './rate-limit.js';

const SWEEP_EVERY_MS = 60_000;
/** How long a replica may spend a lease of tokens before dropping what is left of it. */
export const LEASE_MS = 1_000;

/** Tokens a replica takes at once for a limit of `perMinute`: 1 (no lease) under 2000 a minute. */
export function leaseSize(perMinute: number): number {
  return Math.max(1, Math.min(8, Math.floor(perMinute / 1000)));
}

interface Lease {
  left: number;
  expiresMs: number;
  /** The round trip taking the next lease, which concurrent requests for the key wait on. */
  pending?: Promise<TokensTaken>;
}

export class SharedRateLimiter implements RateLimit {
  private lastSweepMs = 0;
  private readonly leases = new Map<string, Lease>();

  constructor(
    private readonly tables: SharedStateTables,
    private readonly now: () => number = Date.now,
  ) {}

  async take(key: string, perMinute: number): Promise<void> {
    const nowMs = this.now();
    if (nowMs - this.lastSweepMs >= SWEEP_EVERY_MS) {
      this.lastSweepMs = nowMs;
      for (const [k, lease] of this.leases)
        if (!lease.pending && lease.expiresMs <= nowMs) this.leases.delete(k);
      await this.tables.sweepTokens();
    }
    const size = leaseSize(perMinute);
    for (;;) {
      const lease = this.leases.get(key);
      if (lease !== undefined && lease.left > 0 && lease.expiresMs > this.now()) {
        lease.left -= 1;
        return;
      }
      const taken = await (lease?.pending ?? this.fetchLease(key, perMinute, size));
      if (taken.taken === 0) throw rateLimited(taken.retryAfterS);
      if (size === 1) return;
      // Spend from the lease just taken (another request may have spent it first: then loop).
    }
  }

  /** One round trip for up to `size` tokens; with `size` 1 the token is the caller's own. */
  private fetchLease(key: string, perMinute: number, size: number): Promise<TokensTaken> {
    if (size === 1) return this.tables.takeTokens(key, perMinute, 1);
    const lease: Lease = { left: 0, expiresMs: 0 };
    lease.pending = this.tables.takeTokens(key, perMinute, size).then(
      (taken) => {
        lease.left = taken.taken;
        lease.expiresMs = this.now() + LEASE_MS;
        lease.pending = undefined;
        return taken;
      },
      (err: unknown) => {
        lease.pending = undefined;
        throw err;
      },
    );
    this.leases.set(key, lease);
    return lease.pending;
  }
}
