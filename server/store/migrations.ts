/**
 * Versioned schema migrations, applied in order at start-up inside one transaction each and
 * recorded in `schema_migrations`. Written once with kysely's schema builder; the only
 * dialect differences are the column types picked by `types()`.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import { partitionByRecordingMonth } from './partition-migration.js';
import { createSharedStateTables } from './shared-state-tables.js';
import { backfillTrendRows } from './trend-backfill.js';

export type Dialect = 'sqlite' | 'postgres';

/** Column types per dialect: epoch ms needs 64 bits, blobs are `blob`/`bytea`. */
function types(dialect: Dialect) {
  return {
    ms: dialect === 'postgres' ? ('bigint' as const) : ('integer' as const),
    blob: dialect === 'postgres' ? ('bytea' as const) : ('blob' as const),
  };
}

/**
 * PostgreSQL: chunk blobs out of line without compression (`STORAGE EXTERNAL`). A chunk is
 * already compressed by its codec, yet the default (`EXTENDED`) ran pglz over every ~100-kB blob
 * on insert first, for nothing (20 LUDB ECG chunks: 2,283,317 bytes, stored 2,283,317): ~0.5 ms
 * of database CPU a chunk in the ingest benchmark (4.3-4.5 -> 3.8-4.0 ms database server CPU per
 * chunk). Partitions made later take it from the table. SQLite: nothing.
 */
async function storeBlobsUncompressed(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres')
    await sql`alter table chunks alter column blob set storage external`.execute(db);
}

interface Migration {
  version: number;
  name: string;
  up: (db: Kysely<Database>, dialect: Dialect) => Promise<void>;
}

async function createAuthTables(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  const t = types(dialect);
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', t.ms, (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until_ms', t.ms)
    .execute();
  await db.schema
    .createTable('refresh_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at_ms', t.ms, (c) => c.notNull())
    .addColumn('expires_at_ms', t.ms, (c) => c.notNull())
    .addColumn('revoked_at_ms', t.ms)
    .execute();
  await db.schema
    .createTable('enrollment_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', t.ms, (c) => c.notNull())
    .addColumn('expires_at_ms', t.ms, (c) => c.notNull())
    .addColumn('used_at_ms', t.ms)
    .addColumn('used_by_gateway', 'text')
    .execute();
  await db.schema
    .createTable('gateways')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('app_version', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('enrolled_at_ms', t.ms, (c) => c.notNull())
    .addColumn('revoked_at_ms', t.ms)
    .addColumn('last_seen_at_ms', t.ms)
    .addColumn('backlog_chunks', t.ms)
    .addColumn('backlog_bytes', t.ms)
    .addColumn('oldest_pending_at_ms', t.ms)
    .execute();
}

async function createClinicalTables(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  const t = types(dialect);
  await db.schema
    .createTable('patients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('study_code', 'text', (c) => c.notNull().unique())
    .addColumn('age_years', 'integer')
    .addColumn('sex', 'text')
    .addColumn('study_group', 'text')
    .addColumn('notes', 'text')
    .addColumn('identity_sealed', 'text')
    .addColumn('gateway_id', 'text')
    .addColumn('created_at_ms', t.ms, (c) => c.notNull())
    .addColumn('updated_at_ms', t.ms, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('recordings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('gateway_id', 'text', (c) => c.notNull())
    .addColumn('operator_id', 'text', (c) => c.notNull())
    .addColumn('operator_name', 'text', (c) => c.notNull())
    .addColumn('devices_json', 'text', (c) => c.notNull())
    .addColumn('simulated', 'integer', (c) => c.notNull())
    .addColumn('started_at_ms', t.ms, (c) => c.notNull())
    .addColumn('ended_at_ms', t.ms)
    .addColumn('ecg_sample_rate_hz', 'double precision')
    .addColumn('mains_hz', 'integer')
    .addColumn('summary_json', 'text')
    .addColumn('final_counts_json', 'text')
    .addColumn('voided_at_ms', t.ms)
    .addColumn('void_reason', 'text')
    .addColumn('created_at_ms', t.ms, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('recordings_patient')
    .on('recordings')
    .columns(['patient_id', 'started_at_ms'])
    .execute();
  await db.schema.createIndex('recordings_gateway').on('recordings').column('gateway_id').execute();
  await db.schema
    .createTable('chunks')
    .addColumn('recording_id', 'text', (c) => c.notNull().references('recordings.id'))
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('chunk_index', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('start_ms', t.ms, (c) => c.notNull())
    .addColumn('end_ms', t.ms, (c) => c.notNull())
    .addColumn('sample_count', 'integer', (c) => c.notNull())
    .addColumn('blob', t.blob, (c) => c.notNull())
    .addColumn('received_at_ms', t.ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('chunks_pk', ['recording_id', 'stream', 'chunk_index'])
    .execute();
}

async function createExpandedTables(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  const t = types(dialect);
  const base = (name: keyof Database) =>
    db.schema
      .createTable(name)
      .addColumn('recording_id', 'text', (c) => c.notNull().references('recordings.id'))
      .addColumn('chunk_index', 'integer', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('t_ms', t.ms, (c) => c.notNull())
      .addPrimaryKeyConstraint(`${name}_pk`, ['recording_id', 'chunk_index', 'seq']);
  await base('hr_rows')
    .addColumn('bpm', 'double precision', (c) => c.notNull())
    .addColumn('confidence', 'double precision')
    .execute();
  await base('accel_rows')
    .addColumn('x_mg', 'integer', (c) => c.notNull())
    .addColumn('y_mg', 'integer', (c) => c.notNull())
    .addColumn('z_mg', 'integer', (c) => c.notNull())
    .execute();
  await base('measurement_rows')
    .addColumn('data_json', 'text', (c) => c.notNull())
    .execute();
  await base('beat_rows')
    .addColumn('beat_class', 'text', (c) => c.notNull())
    .execute();
  await base('event_rows')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('end_ms', t.ms)
    .addColumn('data_json', 'text', (c) => c.notNull())
    .execute();
  for (const name of ['hr_rows', 'accel_rows', 'measurement_rows', 'beat_rows', 'event_rows'] as const) {
    await db.schema.createIndex(`${name}_time`).on(name).columns(['recording_id', 't_ms']).execute();
  }
}

async function createDocumentTables(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  const t = types(dialect);
  await db.schema
    .createTable('reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('recording_id', 'text')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('gateway_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('pdf', t.blob, (c) => c.notNull())
    .addColumn('simulated', 'integer', (c) => c.notNull())
    .addColumn('created_at_ms', t.ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('reports_patient').on('reports').column('patient_id').execute();
  await db.schema
    .createTable('error_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('gateway_id', 'text', (c) => c.notNull())
    .addColumn('received_at_ms', t.ms, (c) => c.notNull())
    .addColumn('occurred_at_ms', t.ms, (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('data_json', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at_ms', t.ms, (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('detail_json', 'text', (c) => c.notNull())
    .execute();
}

async function addBatteryAndReportKind(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  const t = types(dialect);
  await db.schema
    .createTable('battery_rows')
    .addColumn('recording_id', 'text', (c) => c.notNull().references('recordings.id'))
    .addColumn('chunk_index', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('t_ms', t.ms, (c) => c.notNull())
    .addColumn('pct', 'integer', (c) => c.notNull())
    .addColumn('charging', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('battery_rows_pk', ['recording_id', 'chunk_index', 'seq'])
    .execute();
  await db.schema
    .createIndex('battery_rows_time')
    .on('battery_rows')
    .columns(['recording_id', 't_ms'])
    .execute();
  await db.schema
    .alterTable('reports')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('summary'))
    .execute();
  await db.schema
    .alterTable('reports')
    .addColumn('uploaded_at_ms', t.ms, (c) => c.notNull().defaultTo(0))
    .execute();
}

/**
 * The report list pages newest first (by id) within a patient or a recording: one index for
 * each filter, ordered as the list is, replaces the plain patient index.
 */
async function indexReportLists(db: Kysely<Database>): Promise<void> {
  await db.schema.createIndex('reports_recording_id').on('reports').columns(['recording_id', 'id']).execute();
  await db.schema.createIndex('reports_patient_id').on('reports').columns(['patient_id', 'id']).execute();
  await db.schema.dropIndex('reports_patient').execute();
}

/**
 * Security (issue 14): an enrollment code may name the enrolled gateway it re-enrolls, and an
 * erased patient leaves a tombstone so a queued create cannot bring it back.
 */
async function addCodeTargetAndTombstones(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  await db.schema.alterTable('enrollment_codes').addColumn('for_gateway', 'text').execute();
  await db.schema
    .createTable('erased_patients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('erased_at_ms', types(dialect).ms, (c) => c.notNull())
    .execute();
}

/** Where a recording's samples and figures came from (software, detector, filters): JSON. */
async function addRecordingProcessing(db: Kysely<Database>): Promise<void> {
  await db.schema.alterTable('recordings').addColumn('processing_json', 'text').execute();
}

/**
 * The web viewer (issue 12): per-minute trend partials (filled from the existing rows, so an
 * existing database gets its trends), and an index that finds the chunk(s) covering a page
 * without visiting every chunk of the recording.
 */
async function addTrendRowsAndChunkTimeIndex(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('trend_rows')
    .addColumn('recording_id', 'text', (c) => c.notNull().references('recordings.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('chunk_index', 'integer', (c) => c.notNull())
    .addColumn('t_ms', types(dialect).ms, (c) => c.notNull())
    .addColumn('data_json', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('trend_rows_pk', ['recording_id', 'source', 'chunk_index', 't_ms'])
    .execute();
  await db.schema.createIndex('trend_rows_time').on('trend_rows').columns(['recording_id', 't_ms']).execute();
  await db.schema
    .createIndex('chunks_time')
    .on('chunks')
    .columns(['recording_id', 'stream', 'start_ms', 'end_ms'])
    .execute();
  await backfillTrendRows(db, dialect);
}

/** All migrations, in order. Never edit an applied one: add a new version. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'auth and gateways', up: createAuthTables },
  { version: 2, name: 'patients, recordings, chunks', up: createClinicalTables },
  { version: 3, name: 'expanded stream rows', up: createExpandedTables },
  { version: 4, name: 'reports, error reports, audit log', up: createDocumentTables },
  { version: 5, name: 'battery rows, report kind and upload time', up: addBatteryAndReportKind },
  { version: 6, name: 'report list indexes by recording and by patient', up: indexReportLists },
  { version: 7, name: 'enrollment code target, erased-patient tombstones', up: addCodeTargetAndTombstones },
  { version: 8, name: 'recording processing provenance', up: addRecordingProcessing },
  { version: 9, name: 'trend partials, chunk time index', up: addTrendRowsAndChunkTimeIndex },
  {
    version: 10,
    name: 'PostgreSQL: chunks and rows partitioned by recording month',
    up: partitionByRecordingMonth,
  },
  {
    version: 11,
    name: 'state shared by replicas: rate limits, export progress, key fingerprints',
    up: createSharedStateTables,
  },
  { version: 12, name: 'PostgreSQL: chunk blobs stored as they are', up: storeBlobsUncompressed },
];

/** Applies every migration not yet recorded; returns the versions applied now. */
export async function migrate(db: Kysely<Database>, dialect: Dialect, now: () => number): Promise<number[]> {
  await db.schema
    .createTable('schema_migrations')
    .ifNotExists()
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('applied_at_ms', types(dialect).ms, (c) => c.notNull())
    .execute();
  const done = new Set(
    (await db.selectFrom('schema_migrations').select('version').execute()).map((r) => r.version),
  );
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    await db.transaction().execute(async (trx) => {
      if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(7351)`.execute(trx);
      const again = await trx
        .selectFrom('schema_migrations')
        .select('version')
        .where('version', '=', m.version)
        .executeTakeFirst();
      if (again) return;
      await m.up(trx, dialect);
      await trx
        .insertInto('schema_migrations')
        .values({ version: m.version, name: m.name, applied_at_ms: now() })
        .execute();
      applied.push(m.version);
    });
  }
  return applied;
}
