/**
 * State that must look the same from every server replica, kept in the database instead of in
 * one process: rate-limit token buckets (PostgreSQL only; a single SQLite process keeps them in
 * memory), the progress of running exports (both dialects, so one code path), and fingerprints of
 * the keys every replica must share.
 */
import { sql, type Kysely } from 'kysely';
import type { ExportFormat, ExportProgress } from '../../server-contract/api/index.js';
import type { Dialect } from './migrations.js';
import type { Database } from './schema.js';

/** Migration: the two tables. */
export async function createSharedStateTables(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  const ms = dialect === 'postgres' ? ('bigint' as const) : ('integer' as const);
  await db.schema
    .createTable('rate_limits')
    .addColumn('bucket_key', 'text', (c) => c.primaryKey())
    .addColumn('tokens', 'double precision', (c) => c.notNull())
    .addColumn('updated_at_ms', ms, (c) => c.notNull())
    .addColumn('last_taken', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createTable('export_progress')
    .addColumn('export_id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('units_done', ms, (c) => c.notNull())
    .addColumn('units_total', ms, (c) => c.notNull())
    .addColumn('bytes_sent', ms, (c) => c.notNull())
    .addColumn('started_at_ms', ms, (c) => c.notNull())
    .addColumn('finished_at_ms', ms)
    .addColumn('error', 'text')
    .execute();
  await db.schema
    .createTable('key_fingerprints')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .execute();
}

/** Tokens taken by one `takeTokens` (0: refused, and `retryAfterS` says when one refills). */
export interface TokensTaken {
  taken: number;
  retryAfterS: number;
}

/** An export's progress and who may read it. */
export interface StoredExportProgress {
  ownerId: string;
  progress: ExportProgress;
}

/** The database clock in epoch ms: one clock for every replica, whatever their own say. */
const DB_NOW_MS = sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`;

export class SharedStateTables {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /**
   * Takes up to `wanted` whole tokens (at least 1, at most `perMinute`) from the bucket `key`
   * (holding at most `perMinute`, refilled continuously), atomically, in one statement: concurrent
   * requests on any number of replicas cannot both take the last token. It takes as many as the
   * bucket holds, none when it holds less than one (then `retryAfterS` says when one refills); a
   * refused take consumes nothing. PostgreSQL only.
   */
  async takeTokens(key: string, perMinute: number, wanted: number): Promise<TokensTaken> {
    if (this.dialect !== 'postgres') throw new Error('shared rate limits need PostgreSQL');
    const want = Math.max(1, Math.min(Math.floor(wanted), perMinute));
    const refilled = sql<number>`least(${perMinute}::double precision,
      b.tokens + greatest(0, excluded.updated_at_ms - b.updated_at_ms) * ${perMinute / 60_000}::double precision)`;
    const take = sql<number>`least(${want}::double precision, floor(${refilled}))`;
    const result = await sql<{ tokens: number; last_taken: number }>`
      insert into rate_limits as b (bucket_key, tokens, updated_at_ms, last_taken)
      values (${key}, ${perMinute - want}::double precision, ${DB_NOW_MS}, ${want})
      on conflict (bucket_key) do update set
        tokens = case when ${refilled} >= 1 then ${refilled} - ${take} else ${refilled} end,
        last_taken = case when ${refilled} >= 1 then ${take}::integer else 0 end,
        updated_at_ms = greatest(b.updated_at_ms, excluded.updated_at_ms)
      returning tokens, last_taken`.execute(this.db);
    const row = result.rows[0];
    if (row === undefined) return { taken: want, retryAfterS: 0 };
    if (row.last_taken > 0) return { taken: row.last_taken, retryAfterS: 0 };
    const refillPerS = perMinute / 60;
    return { taken: 0, retryAfterS: Math.max(1, Math.ceil((1 - row.tokens) / refillPerS)) };
  }

  /** Deletes buckets idle for over two minutes (any bucket is full again after one). */
  async sweepTokens(): Promise<void> {
    await sql`delete from rate_limits where updated_at_ms < ${DB_NOW_MS} - 120000`.execute(this.db);
  }

  /**
   * The fingerprint first recorded under `name`, recording `fingerprint` when there was none: a
   * replica compares its key with the one every other replica has used.
   */
  async claimFingerprint(name: string, fingerprint: string): Promise<string> {
    await this.db
      .insertInto('key_fingerprints')
      .values({ name, fingerprint })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await this.db
      .selectFrom('key_fingerprints')
      .select('fingerprint')
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    return row.fingerprint;
  }

  /** Records a new export; false when `exportId` is taken. Drops entries ended before `pruneBeforeMs`. */
  async startExport(ownerId: string, progress: ExportProgress, pruneBeforeMs: number): Promise<boolean> {
    await this.db.deleteFrom('export_progress').where('finished_at_ms', '<', pruneBeforeMs).execute();
    const res = await this.db
      .insertInto('export_progress')
      .values({ owner_id: ownerId, ...toRow(progress) })
      .onConflict((oc) => oc.column('export_id').doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async updateExport(progress: ExportProgress): Promise<void> {
    const { export_id: exportId, ...row } = toRow(progress);
    await this.db.updateTable('export_progress').set(row).where('export_id', '=', exportId).execute();
  }

  async getExport(exportId: string): Promise<StoredExportProgress | undefined> {
    const r = await this.db
      .selectFrom('export_progress')
      .selectAll()
      .where('export_id', '=', exportId)
      .executeTakeFirst();
    if (r === undefined) return undefined;
    const unitsTotal = r.units_total;
    const unitsDone = r.units_done;
    return {
      ownerId: r.owner_id,
      progress: {
        exportId: r.export_id,
        format: r.format as ExportFormat,
        state: r.state as ExportProgress['state'],
        fractionDone: r.state === 'done' ? 1 : unitsTotal === 0 ? 0 : Math.min(1, unitsDone / unitsTotal),
        unitsDone,
        unitsTotal,
        bytesSent: r.bytes_sent,
        startedAtMs: r.started_at_ms,
        finishedAtMs: r.finished_at_ms,
        error: r.error,
      },
    };
  }
}

function toRow(p: ExportProgress) {
  return {
    export_id: p.exportId,
    format: p.format,
    state: p.state,
    units_done: p.unitsDone,
    units_total: p.unitsTotal,
    bytes_sent: p.bytesSent,
    started_at_ms: p.startedAtMs,
    finished_at_ms: p.finishedAtMs,
    error: p.error,
  };
}
