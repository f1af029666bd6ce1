/**
 * The state replicas share through PostgreSQL, checked with two stores on one real (embedded)
 * PostgreSQL, each with its own connection pool as two replica processes have: opened together on
 * a fresh database they migrate once; one rate-limit bucket is shared (the limit holds across
 * both, and a refused take consumes nothing); export progress written by one is read by the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEASE_MS, leaseSize, SharedRateLimiter } from '../../../server/http/shared-rate-limit.js';
import { MIGRATIONS } from '../../../server/store/migrations.js';
import type { KyselyStore } from '../../../server/store/kysely-store.js';
import { openPostgresStore } from '../../../server/store/postgres.js';
import { startPostgres, type RunningPostgres } from '../server/embedded-pg.js';

describe('state shared by replicas on PostgreSQL', () => {
  let postgres: RunningPostgres;
  let one: KyselyStore;
  let two: KyselyStore;

  beforeAll(async () => {
    postgres = await startPostgres();
    const url = await postgres.createDatabase('shared_state');
    [one, two] = await Promise.all([openPostgresStore(url), openPostgresStore(url)]);
  });

  afterAll(async () => {
    await Promise.all([one?.close(), two?.close()]);
    await postgres?.stop();
  });

  it('applies each migration once when two replicas open a fresh database together', async () => {
    const rows = await one.db.selectFrom('schema_migrations').select('version').orderBy('version').execute();
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('holds one rate limit across replicas: 5 a minute is 5 in all, and refusals take nothing', async () => {
    const limiters = [new SharedRateLimiter(one.shared), new SharedRateLimiter(two.shared)];
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        limiters[i % 2]!.take('gateway:g1', 5).then(
          () => 'allowed',
          (error: unknown) => {
            const err = error as { status?: number; headers?: Record<string, string> };
            expect(err.status).toBe(429);
            expect(Number(err.headers?.['retry-after'])).toBeGreaterThanOrEqual(1);
            return 'refused';
          },
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'allowed')).toHaveLength(5);
    // Another key has its own bucket.
    await limiters[1]!.take('gateway:g2', 5);
    const bucket = await one.db
      .selectFrom('rate_limits')
      .select('tokens')
      .where('bucket_key', '=', 'gateway:g1')
      .executeTakeFirstOrThrow();
    expect(bucket.tokens).toBeGreaterThanOrEqual(0);
    expect(bucket.tokens).toBeLessThan(1);
  });

  it('leases busy keys a few tokens at a time and never admits more than the shared bucket held', async () => {
    // 8000 a minute: leases of 8. The bucket is frozen at 20 tokens (its time is an hour ahead of
    // the database clock, so nothing refills during the test, however slow the machine).
    expect([5, 1999, 2000, 6000, 8000, 100_000].map(leaseSize)).toEqual([1, 1, 2, 6, 8, 8]);
    const frozen = async (key: string, tokens: number) => {
      await one.db
        .insertInto('rate_limits')
        .values({ bucket_key: key, tokens, updated_at_ms: Date.now() + 3_600_000, last_taken: 1 })
        .execute();
    };
    const attempt = (limiter: SharedRateLimiter, key: string) =>
      limiter.take(key, 8000).then(
        () => 'allowed' as const,
        (error: unknown) => {
          expect((error as { status?: number }).status).toBe(429);
          return 'refused' as const;
        },
      );
    const left = async (key: string) =>
      (
        await one.db
          .selectFrom('rate_limits')
          .select('tokens')
          .where('bucket_key', '=', key)
          .executeTakeFirstOrThrow()
      ).tokens;

    // Sequential: A leases 8 and holds 7; B drains the other 12; A still spends its 7; then all refuse.
    // The replicas' clocks stand still, so no lease expires however slow the machine is.
    const still = () => 1_000_000;
    const [a, b] = [new SharedRateLimiter(one.shared, still), new SharedRateLimiter(two.shared, still)];
    await frozen('gateway:lease-seq', 20);
    expect(await attempt(a, 'gateway:lease-seq')).toBe('allowed');
    expect(await left('gateway:lease-seq')).toBe(12);
    const fromB: string[] = [];
    for (let i = 0; i < 14; i++) fromB.push(await attempt(b, 'gateway:lease-seq'));
    expect(fromB.filter((o) => o === 'allowed')).toHaveLength(12);
    expect(fromB.slice(12)).toEqual(['refused', 'refused']);
    const fromA: string[] = [];
    for (let i = 0; i < 9; i++) fromA.push(await attempt(a, 'gateway:lease-seq'));
    expect(fromA).toEqual([...Array<string>(7).fill('allowed'), 'refused', 'refused']);
    expect(await left('gateway:lease-seq')).toBe(0);

    // Concurrent, two replicas: never more than the 20 tokens, at most 2 x 7 refused early.
    const [c, d] = [new SharedRateLimiter(one.shared, still), new SharedRateLimiter(two.shared, still)];
    await frozen('gateway:lease-par', 20);
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, i) => attempt(i % 2 === 0 ? c : d, 'gateway:lease-par')),
    );
    const allowed = outcomes.filter((o) => o === 'allowed').length;
    expect(allowed).toBeLessThanOrEqual(20);
    expect(allowed).toBeGreaterThanOrEqual(20 - 2 * 7);

    // A lease is spent for at most LEASE_MS; what is left of it then is dropped, not spent later.
    let nowMs = 1_000_000;
    const e = new SharedRateLimiter(one.shared, () => nowMs);
    await frozen('gateway:lease-exp', 20);
    expect(await attempt(e, 'gateway:lease-exp')).toBe('allowed');
    expect(await attempt(e, 'gateway:lease-exp')).toBe('allowed');
    expect(await left('gateway:lease-exp')).toBe(12);
    nowMs += LEASE_MS;
    expect(await attempt(e, 'gateway:lease-exp')).toBe('allowed');
    expect(await left('gateway:lease-exp')).toBe(4);
  });

  it('shows the progress of an export streamed by one replica to its owner polling another', async () => {
    const progress = {
      exportId: '019a0000-0000-7000-8000-000000000001',
      format: 'csv' as const,
      state: 'running' as const,
      fractionDone: 0,
      unitsDone: 0,
      unitsTotal: 10,
      bytesSent: 0,
      startedAtMs: 1_000,
      finishedAtMs: null,
      error: null,
    };
    expect(await one.shared.startExport('owner-1', progress, 0)).toBe(true);
    expect(await two.shared.startExport('owner-2', progress, 0)).toBe(false);
    await one.shared.updateExport({ ...progress, unitsDone: 4, bytesSent: 1234 });
    const seen = await two.shared.getExport(progress.exportId);
    expect(seen).toEqual({
      ownerId: 'owner-1',
      progress: { ...progress, unitsDone: 4, bytesSent: 1234, fractionDone: 0.4 },
    });
  });
});
