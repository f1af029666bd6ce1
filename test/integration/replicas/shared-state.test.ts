/**
 * The state replicas share through PostgreSQL, checked with two stores on one real (embedded)
 * PostgreSQL, each with its own connection pool as two replica processes have: opened together on
 * a fresh database they migrate once; one rate-limit bucket is shared (the limit holds across
 * both, and a refused take consumes nothing); export progress written by one is read by the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SharedRateLimiter } from '../../../server/http/shared-rate-limit.js';
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
