/**
 * Chunks and the rows expanded from them: the upload's write path (SQLite groups, PostgreSQL's own
 * wire statement) and the reads of viewer and exports. The layer of the kysely `Store` under
 * patients and recordings (see `kysely-auth-tables.ts` for why it is split); the connection hooks
 * `sqlite.ts` and `postgres.ts` set live here.
 */
import { CompiledQuery, sql, type Transaction } from 'kysely';
import { GroupCommit, type ItemResult } from './group-commit.js';
import { writeChunkPostgres, type PostgresWire } from './postgres-chunk-writes.js';
import { KyselyViewerTables } from './kysely-viewer-tables.js';
import type { Database } from './schema.js';
import type { SqliteSync } from './sqlite-driver.js';
import {
  chunkRowValues,
  SQLITE_CHUNK_HASH,
  SQLITE_INSERT_CHUNK,
  writeChunkGroupSync,
} from './sqlite-chunk-writes.js';
import { exportSeriesRows, querySeriesRows } from './series.js';
import { insertSeriesRows } from './series-inserts.js';
import type {
  ChunkInput,
  ExportRow,
  PutChunkOutcome,
  SeriesName,
  SeriesRow,
  StoredChunk,
  TimeRange,
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

export class KyselyChunkTables extends KyselyViewerTables {
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
