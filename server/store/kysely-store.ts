/**
 * The `Store` implementation, written once over kysely; `sqlite.ts` and `postgres.ts` only
 * supply the dialect. Uniqueness and idempotency rely on primary keys and
 * `ON CONFLICT DO NOTHING`, which both databases implement, so concurrent duplicates of the
 * same chunk store exactly one copy.
 */
import { CompiledQuery, sql, type Transaction } from 'kysely';
import { GroupCommit, type ItemResult } from './group-commit.js';
import { writeChunkPostgres, type PostgresWire } from './postgres-chunk-writes.js';
import { readUploadContextPostgres, type UploadContextRow } from './postgres-upload-context.js';
import { isUniqueViolation, pageOf } from './kysely-auth-tables.js';
import { KyselyViewerTables } from './kysely-viewer-tables.js';
import { SharedStateTables } from './shared-state-tables.js';
import { fromPatient, toPatient, toRecording } from './mappers.js';
import type { Database } from './schema.js';
import type { SqliteSync } from './sqlite-driver.js';
import {
  chunkRowValues,
  SQLITE_CHUNK_HASH,
  SQLITE_INSERT_CHUNK,
  writeChunkGroupSync,
} from './sqlite-chunk-writes.js';
import { deleteSeriesRows, exportSeriesRows, insertSeriesRows, querySeriesRows } from './series.js';
import {
  StoreConflictError,
  type ChunkInput,
  type ExportRow,
  type NewRecording,
  type Page,
  type PageRequest,
  type PatientRecord,
  type PatientUpdate,
  type PutChunkOutcome,
  type RecordingRecord,
  type RecordingView,
  type SeriesName,
  type SeriesRow,
  type Store,
  type StoredChunk,
  type TimeRange,
  type UploadContext,
} from './store.js';

/**
 * Longest a group of chunk writes waits for chunks still being decoded (SQLite). The WAL sync no
 * longer holds anything up (wal-sync.ts), but each transaction still costs CPU of its own: a
 * realistic mix of ECG, hr and accelerometer chunks took ~1.1 ms of store CPU a chunk written one
 * at a time, ~0.95 three at a time and ~0.75-0.8 eight at a time. In the ingest benchmark's backlog
 * drain (50 gateways) 20 ms makes groups of ~7 (without a window: ~1.7, and ~0.5 ms more CPU a
 * chunk over the whole server); a lone upload never waits (nothing else is being decoded).
 */
const CHUNK_GROUP_WINDOW_MS = 20;

/**
 * Piece size for whole blobs read from PostgreSQL: its hex text (twice this) stays below V8's
 * large-object size, so the garbage of an export dies in the young generation.
 */
const BLOB_PIECE_BYTES = 24 * 1024;

/** About what a chunk adds to the WAL: its blob and ~48 bytes a row (for checkpoint pacing only). */
function approximateBytes(c: ChunkInput): number {
  let rows = 0;
  for (const list of Object.values(c.rows)) rows += (list as unknown[] | undefined)?.length ?? 0;
  return c.bytes.byteLength + 48 * rows;
}

export class KyselyStore extends KyselyViewerTables implements Store {
  readonly shared = new SharedStateTables(this.db, this.dialect);

  // ---- patients ----

  async createPatient(p: PatientRecord): Promise<{ patient: PatientRecord; created: boolean }> {
    const existing = await this.getPatient(p.id);
    if (existing) return { patient: existing, created: false };
    try {
      const r = await this.db
        .insertInto('patients')
        .values(fromPatient(p))
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0)
        return { patient: (await this.getPatient(p.id))!, created: false };
      return { patient: p, created: true };
    } catch (err) {
      if (isUniqueViolation(err))
        throw new StoreConflictError('study_code', `study code ${p.studyCode} is taken`);
      throw err;
    }
  }

  async getPatient(id: string): Promise<PatientRecord | undefined> {
    const r = await this.db.selectFrom('patients').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toPatient(r);
  }

  async updatePatient(id: string, u: PatientUpdate, atMs: number): Promise<PatientRecord | undefined> {
    const set: Partial<Database['patients']> = { updated_at_ms: atMs };
    if (u.studyCode !== undefined) set.study_code = u.studyCode;
    if (u.ageYears !== undefined) set.age_years = u.ageYears;
    if (u.sex !== undefined) set.sex = u.sex;
    if (u.studyGroup !== undefined) set.study_group = u.studyGroup;
    if (u.notes !== undefined) set.notes = u.notes;
    if (u.identitySealed !== undefined) set.identity_sealed = u.identitySealed;
    try {
      await this.db.updateTable('patients').set(set).where('id', '=', id).execute();
    } catch (err) {
      if (isUniqueViolation(err))
        throw new StoreConflictError('study_code', `study code ${u.studyCode ?? ''} is taken`);
      throw err;
    }
    return this.getPatient(id);
  }

  async listPatients(
    page: PageRequest,
    filter: { studyCode?: string; studyGroup?: string },
  ): Promise<Page<PatientRecord>> {
    let q = this.db.selectFrom('patients').selectAll();
    if (page.after !== undefined) q = q.where('id', '<', page.after);
    if (filter.studyCode !== undefined) q = q.where('study_code', '=', filter.studyCode);
    if (filter.studyGroup !== undefined) q = q.where('study_group', '=', filter.studyGroup);
    const rows = await q
      .orderBy('id', 'desc')
      .limit(page.limit + 1)
      .execute();
    return pageOf(rows.map(toPatient), page.limit);
  }

  async countRecordings(patientId: string): Promise<number> {
    const r = await this.db
      .selectFrom('recordings')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('patient_id', '=', patientId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async erasePatient(id: string, atMs: number): Promise<boolean> {
    const erased = await this.db.transaction().execute(async (trx) => {
      const patient = await trx.selectFrom('patients').select('id').where('id', '=', id).executeTakeFirst();
      if (!patient) return false;
      const recordingIds = (
        await trx.selectFrom('recordings').select('id').where('patient_id', '=', id).execute()
      ).map((r) => r.id);
      await deleteSeriesRows(trx, recordingIds);
      if (recordingIds.length > 0) {
        await trx.deleteFrom('chunks').where('recording_id', 'in', recordingIds).execute();
        await trx.deleteFrom('reports').where('recording_id', 'in', recordingIds).execute();
      }
      await trx.deleteFrom('reports').where('patient_id', '=', id).execute();
      await trx.deleteFrom('recordings').where('patient_id', '=', id).execute();
      await trx.deleteFrom('patients').where('id', '=', id).execute();
      await trx
        .insertInto('erased_patients')
        .values({ id, erased_at_ms: atMs })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      return true;
    });
    if (erased) await this.afterErase();
    return erased;
  }

  /**
   * After an erasure: SQLite (secure_delete on) has zeroed the freed pages, but the plaintext may
   * still sit in the WAL or in pages not yet written back; a checkpoint that truncates the WAL
   * writes the zeroed pages into the database file and empties the WAL. PostgreSQL: nothing here
   * (its dead tuples go with autovacuum; see the operations doc).
   */
  private async afterErase(): Promise<void> {
    if (this.dialect !== 'sqlite') return;
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(this.db);
  }

  async isPatientErased(id: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('erased_patients')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst();
    return r !== undefined;
  }

  // ---- recordings ----

  async createRecording(r: NewRecording): Promise<{ recording: RecordingRecord; created: boolean }> {
    const res = await this.db
      .insertInto('recordings')
      .values({
        id: r.id,
        patient_id: r.patientId,
        gateway_id: r.gatewayId,
        operator_id: r.operatorId,
        operator_name: r.operatorName,
        devices_json: JSON.stringify(r.devices),
        simulated: r.simulated ? 1 : 0,
        started_at_ms: r.startedAtMs,
        ended_at_ms: null,
        ecg_sample_rate_hz: r.ecgSampleRateHz,
        mains_hz: r.mainsHz,
        summary_json: null,
        final_counts_json: null,
        voided_at_ms: null,
        void_reason: null,
        created_at_ms: r.createdAtMs,
        processing_json: r.processing == null ? null : JSON.stringify(r.processing),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    const stored = await this.db
      .selectFrom('recordings')
      .selectAll()
      .where('id', '=', r.id)
      .executeTakeFirstOrThrow();
    return { recording: toRecording(stored), created: Number(res.numInsertedOrUpdatedRows ?? 0) === 1 };
  }

  private recordingViewQuery() {
    return this.db
      .selectFrom('recordings as r')
      .innerJoin('patients as p', 'p.id', 'r.patient_id')
      .leftJoin('gateways as g', 'g.id', 'r.gateway_id')
      .selectAll('r')
      .select(['p.study_code as study_code', 'g.name as gateway_name'])
      .select((eb) =>
        eb
          .selectFrom('chunks as c')
          .whereRef('c.recording_id', '=', 'r.id')
          .select(eb.fn.countAll().as('n'))
          .as('chunks_received'),
      );
  }

  async getRecordingRecord(id: string): Promise<RecordingRecord | undefined> {
    const r = await this.db.selectFrom('recordings').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toRecording(r);
  }

  /**
   * Raw SQL, prepared once (no query building on the upload path): the gateway row drives the
   * left join, so an unknown gateway yields no row and an unknown recording a row of nulls.
   */
  private readonly uploadContextSql =
    'select g.revoked_at_ms as gw_revoked_at_ms, g.last_seen_at_ms as gw_last_seen_at_ms, r.* ' +
    'from gateways g left join recordings r on r.id = ' +
    (this.dialect === 'sqlite' ? '? where g.id = ?' : '$1 where g.id = $2');

  async getUploadContext(gatewayId: string, recordingId: string): Promise<UploadContext> {
    type Row = UploadContextRow;
    const parameters = [recordingId, gatewayId];
    const rows = this.sqliteExclusive
      ? await this.sqliteExclusive((c) => c.allSync<Row>(this.uploadContextSql, parameters))
      : this.postgresWire
        ? await readUploadContextPostgres(this.postgresWire, gatewayId, recordingId)
        : (await this.db.executeQuery<Row>(CompiledQuery.raw(this.uploadContextSql, parameters))).rows;
    const r = rows[0];
    if (r === undefined) return { gateway: undefined, recording: undefined };
    return {
      gateway: { revokedAtMs: r.gw_revoked_at_ms, lastSeenAtMs: r.gw_last_seen_at_ms },
      recording: r.id === null ? undefined : toRecording(r),
    };
  }

  async getRecording(id: string): Promise<RecordingView | undefined> {
    const r = await this.recordingViewQuery().where('r.id', '=', id).executeTakeFirst();
    return (
      r && {
        ...toRecording(r),
        studyCode: r.study_code,
        gatewayName: r.gateway_name,
        chunksReceived: Number(r.chunks_received ?? 0),
      }
    );
  }

  async listRecordings(
    page: PageRequest,
    filter: { patientId?: string; gatewayId?: string; status?: 'recording' | 'ended' | 'voided' },
  ): Promise<Page<RecordingView>> {
    let q = this.recordingViewQuery();
    if (page.after !== undefined) q = q.where('r.id', '<', page.after);
    if (filter.patientId !== undefined) q = q.where('r.patient_id', '=', filter.patientId);
    if (filter.gatewayId !== undefined) q = q.where('r.gateway_id', '=', filter.gatewayId);
    if (filter.status === 'voided') q = q.where('r.voided_at_ms', 'is not', null);
    if (filter.status === 'ended')
      q = q.where('r.voided_at_ms', 'is', null).where('r.ended_at_ms', 'is not', null);
    if (filter.status === 'recording')
      q = q.where('r.voided_at_ms', 'is', null).where('r.ended_at_ms', 'is', null);
    const rows = await q
      .orderBy('r.id', 'desc')
      .limit(page.limit + 1)
      .execute();
    const views = rows.map((r) => ({
      ...toRecording(r),
      studyCode: r.study_code,
      gatewayName: r.gateway_name,
      chunksReceived: Number(r.chunks_received ?? 0),
    }));
    return pageOf(views, page.limit);
  }

  async endRecording(
    id: string,
    endedAtMs: number,
    finalChunkCounts: Record<string, number>,
    summary: unknown,
  ): Promise<void> {
    await this.db
      .updateTable('recordings')
      .set({
        ended_at_ms: endedAtMs,
        final_counts_json: JSON.stringify(finalChunkCounts),
        summary_json: JSON.stringify(summary),
      })
      .where('id', '=', id)
      .execute();
  }

  async reassignRecording(id: string, patientId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('recordings').set({ patient_id: patientId }).where('id', '=', id).execute();
      await trx
        .updateTable('reports')
        .set({ patient_id: patientId })
        .where('recording_id', '=', id)
        .execute();
    });
  }

  async voidRecording(id: string, atMs: number, reason: string): Promise<void> {
    await this.db
      .updateTable('recordings')
      .set({ voided_at_ms: atMs, void_reason: reason })
      .where('id', '=', id)
      .execute();
  }

  // ---- chunks and rows ----

  /**
   * SQLite has one writer connection, so chunk writes are grouped into shared transactions
   * (see group-commit.ts); on PostgreSQL each chunk commits on its own pooled connection, and the
   * server already groups concurrent commits into one WAL flush.
   */
  private readonly chunkWrites =
    this.dialect === 'sqlite'
      ? new GroupCommit<ChunkInput, PutChunkOutcome>((inputs) => this.writeChunkGroup(inputs), {
          windowMs: CHUNK_GROUP_WINDOW_MS,
          durable: () => this.sqliteDurable(),
          beforeGroup: () => this.sqliteChunkHooks?.beforeWrite() ?? Promise.resolve(),
        })
      : undefined;

  expectChunks(pending: () => number): void {
    this.chunkWrites?.expect(pending);
  }

  async putChunk(c: ChunkInput): Promise<PutChunkOutcome> {
    if (this.chunkWrites) return this.chunkWrites.submit(c);
    return writeChunkPostgres(this.db, this.postgresWire, c);
  }

  /**
   * PostgreSQL (set by openPostgresStore): runs a statement prepared under `name` once per pooled
   * connection, written to the wire by us (blob not copied, no result description; see
   * postgres-wire.ts), rows as their columns' text. The chunk write and the upload context use it.
   */
  postgresWire: PostgresWire | undefined;

  /**
   * SQLite's connection taken synchronously (set by openSqliteStore): the chunk group is written
   * in one synchronous block, no query building and no awaits between its statements.
   */
  sqliteExclusive: (<T>(work: (connection: SqliteSync) => T) => Promise<T>) | undefined;

  /**
   * SQLite: resolves once every write committed so far is on disk (set by openSqliteStore, which
   * syncs the WAL itself; see wal-sync.ts). Chunk groups written through `sqliteExclusive` are
   * acknowledged only after it.
   */
  sqliteDurable: () => Promise<void> = () => Promise.resolve();

  /**
   * SQLite: told about each chunk group written, and awaited before the next (the background
   * checkpointer, see sqlite-checkpointer.ts; set by openSqliteStore).
   */
  sqliteChunkHooks: { beforeWrite(): Promise<void>; wrote(bytes: number): void } | undefined;

  /** One transaction for the group, a savepoint per chunk so that a failing one fails alone. */
  private async writeChunkGroup(inputs: ChunkInput[]): Promise<ItemResult<PutChunkOutcome>[]> {
    if (this.sqliteExclusive) {
      const results = await this.sqliteExclusive((connection) => writeChunkGroupSync(connection, inputs));
      this.sqliteChunkHooks?.wrote(inputs.reduce((sum, c) => sum + approximateBytes(c), 0));
      return results;
    }
    return this.writeChunkGroupKysely(inputs);
  }

  /** The same through kysely (a store opened without the synchronous connection). */
  private async writeChunkGroupKysely(inputs: ChunkInput[]): Promise<ItemResult<PutChunkOutcome>[]> {
    return this.db.transaction().execute(async (trx) => {
      const results: ItemResult<PutChunkOutcome>[] = [];
      for (const c of inputs) {
        await trx.executeQuery(SAVEPOINT);
        try {
          results.push({ ok: true, value: await this.writeChunk(trx, c) });
          await trx.executeQuery(RELEASE);
        } catch (error) {
          try {
            await trx.executeQuery(ROLLBACK_TO);
            await trx.executeQuery(RELEASE);
          } catch {
            // The whole transaction is gone (SQLite rolls it back on SQLITE_FULL): fail the group
            // with the error that caused it, not with "no such savepoint".
            throw error;
          }
          results.push({ ok: false, error });
        }
      }
      return results;
    });
  }

  /** SQLite: raw statements the driver keeps prepared (building them cost more than running them). */
  private async writeChunk(trx: Transaction<Database>, c: ChunkInput): Promise<PutChunkOutcome> {
    const res = await trx.executeQuery(CompiledQuery.raw(SQLITE_INSERT_CHUNK, chunkRowValues(c)));
    if (Number(res.numAffectedRows ?? 0) === 1) {
      await insertSeriesRows(trx, this.dialect, c.recordingId, c.index, c.rows);
      return 'stored';
    }
    const existing = await trx.executeQuery<{ sha256: string }>(
      CompiledQuery.raw(SQLITE_CHUNK_HASH, [c.recordingId, c.stream, c.index]),
    );
    const sha256 = existing.rows[0]?.sha256;
    if (sha256 === undefined) throw new Error(`chunk ${c.stream}/${c.index} was neither inserted nor found`);
    return sha256 === c.sha256 ? 'duplicate' : 'conflict';
  }

  async chunkIndexes(recordingId: string): Promise<Map<string, number[]>> {
    const rows = await this.db
      .selectFrom('chunks')
      .select(['stream', 'chunk_index'])
      .where('recording_id', '=', recordingId)
      .orderBy('stream')
      .orderBy('chunk_index')
      .execute();
    const out = new Map<string, number[]>();
    for (const r of rows) {
      const list = out.get(r.stream) ?? [];
      list.push(r.chunk_index);
      out.set(r.stream, list);
    }
    return out;
  }

  async chunksInRange(recordingId: string, stream: string, range: TimeRange): Promise<StoredChunk[]> {
    const rows = await this.db
      .selectFrom('chunks')
      .select(['chunk_index', 'sha256', 'start_ms', 'end_ms', 'blob'])
      .where('recording_id', '=', recordingId)
      .where('stream', '=', stream)
      .where('start_ms', '<', range.toMs)
      .where('end_ms', '>', range.fromMs)
      .orderBy('chunk_index')
      .execute();
    return rows.map((r) => ({
      index: r.chunk_index,
      sha256: r.sha256,
      startMs: r.start_ms,
      endMs: r.end_ms,
      bytes: new Uint8Array(r.blob),
    }));
  }

  async *chunkPages(
    recordingId: string,
    stream: string,
    range: TimeRange,
    pageSize: number,
    headBytes?: number,
  ): AsyncGenerator<StoredChunk[]> {
    const head = headBytes === undefined ? undefined : Math.max(1, Math.floor(headBytes));
    // PostgreSQL sends bytea as hex text: a whole 100-kB chunk is a 200-kB string and a 200-kB
    // message buffer per row, garbage the collector frees late (an export's peak memory). Whole
    // blobs are read there in pieces instead (below), each small enough to die young.
    const piecewise = head === undefined && this.dialect === 'postgres';
    const blob = piecewise
      ? sql<Buffer>`''::bytea`
      : head === undefined
        ? sql<Buffer>`blob`
        : this.dialect === 'postgres'
          ? sql<Buffer>`substring(blob from 1 for ${head})`
          : sql<Buffer>`substr(blob, 1, ${head})`;
    let after = -1;
    for (;;) {
      const rows = await this.db
        .selectFrom('chunks')
        .select(['chunk_index', 'sha256', 'start_ms', 'end_ms', 'size_bytes', blob.as('blob')])
        .where('recording_id', '=', recordingId)
        .where('stream', '=', stream)
        .where('chunk_index', '>', after)
        .where('start_ms', '<', range.toMs)
        .where('end_ms', '>', range.fromMs)
        .orderBy('chunk_index')
        .limit(pageSize)
        .execute();
      if (rows.length === 0) return;
      after = rows[rows.length - 1]!.chunk_index;
      const page: StoredChunk[] = [];
      for (const r of rows)
        page.push({
          index: r.chunk_index,
          sha256: r.sha256,
          startMs: r.start_ms,
          endMs: r.end_ms,
          bytes: piecewise
            ? await this.blobInPieces(recordingId, stream, r.chunk_index, r.size_bytes)
            : // A view, not a copy: the driver's buffer is this row's alone (exports read every blob twice).
              new Uint8Array(r.blob.buffer, r.blob.byteOffset, r.blob.byteLength),
        });
      yield page;
      if (rows.length < pageSize) return;
    }
  }

  /** A chunk's blob read {@link BLOB_PIECE_BYTES} at a time into one array (PostgreSQL). */
  private async blobInPieces(
    recordingId: string,
    stream: string,
    chunkIndex: number,
    sizeBytes: number,
  ): Promise<Uint8Array> {
    const out = new Uint8Array(sizeBytes);
    for (let from = 0; from < sizeBytes; from += BLOB_PIECE_BYTES) {
      const row = await this.db
        .selectFrom('chunks')
        .select(sql<Buffer>`substring(blob from ${from + 1} for ${BLOB_PIECE_BYTES})`.as('piece'))
        .where('recording_id', '=', recordingId)
        .where('stream', '=', stream)
        .where('chunk_index', '=', chunkIndex)
        .executeTakeFirst();
      if (row === undefined || row.piece.byteLength !== Math.min(BLOB_PIECE_BYTES, sizeBytes - from))
        throw new Error(
          `chunk ${chunkIndex} of ${stream} is not the size its row records (${sizeBytes} bytes)`,
        );
      out.set(row.piece, from);
    }
    return out;
  }

  seriesRows<S extends SeriesName>(
    series: S,
    recordingId: string,
    range: TimeRange,
    limit: number,
  ): Promise<SeriesRow<S>[]> {
    return querySeriesRows(this.db, series, recordingId, range, limit);
  }

  exportRows<S extends SeriesName>(
    series: S,
    patientId: string,
    range: TimeRange,
    batchSize: number,
  ): AsyncGenerator<ExportRow<S>[]> {
    return exportSeriesRows(this.db, series, patientId, range, batchSize);
  }
}

/** The savepoint statements of the kysely chunk-group path, compiled once. */
const SAVEPOINT = CompiledQuery.raw('savepoint chunk');
const RELEASE = CompiledQuery.raw('release savepoint chunk');
const ROLLBACK_TO = CompiledQuery.raw('rollback to savepoint chunk');
