/** The PostgreSQL store: a `pg` pool behind the same kysely code as SQLite. */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { KyselyStore } from './kysely-store.js';
import { migrate } from './migrations.js';
import { ensurePartitions } from './partitions.js';
import { runPrepared } from './postgres-wire.js';
import type { Database } from './schema.js';

const INT8_OID = 20;

/**
 * Epoch ms are `bigint` columns, which `pg` returns as strings; every value we store fits a
 * double exactly (< 2^53), so they are parsed to numbers, for this pool only.
 */
function typeOverrides(): pg.TypeOverrides {
  const overrides = new pg.TypeOverrides();
  overrides.setTypeParser(INT8_OID, (value: string) => Number(value));
  return overrides;
}

/** Connects to `connectionString`, applies pending migrations and returns the store. */
export async function openPostgresStore(
  connectionString: string,
  options: { maxConnections?: number; now?: () => number; onPoolError?: (err: Error) => void } = {},
): Promise<KyselyStore> {
  const pool = new pg.Pool({ connectionString, max: options.maxConnections ?? 10, types: typeOverrides() });
  // An idle client losing its connection (database restart, admin shutdown) is emitted on the
  // pool; without a listener that would crash the process. The pool drops the client and the
  // next query connects afresh.
  pool.on('error', (err) => options.onPoolError?.(err));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const now = options.now ?? Date.now;
  try {
    await migrateUnderLock(pool, db, now);
    // Next months' partitions, made ahead so a new recording never lands in the default partition.
    // Replicas starting together take turns (the lock is released at commit).
    await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(7352)`.execute(trx);
      await ensurePartitions(trx, now(), now());
    });
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const store = new KyselyStore(db, 'postgres');
  store.postgresWire = (name, text, parameters) => runPrepared(pool, name, text, parameters);
  return store;
}

/**
 * Key of the session-level advisory lock held while a replica migrates (any 64-bit number no
 * other code takes; the per-migration transaction lock in migrations.ts uses another).
 */
export const MIGRATION_LOCK_KEY = 7_351_001;

/**
 * Several replicas starting together on one database: each waits for this lock on a connection
 * of its own, so exactly one creates `schema_migrations` and applies the pending migrations while
 * the others wait, then find nothing left to do. (Two concurrent `create table if not exists`
 * can fail on PostgreSQL's catalog; the per-migration lock alone did not cover that.) The lock
 * is released with the session if the process dies.
 */
async function migrateUnderLock(pool: pg.Pool, db: Kysely<Database>, now: () => number): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migrate(db, 'postgres', now);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}
