/**
 * SQLite's hot write path: a group of chunks and their rows written synchronously on the one
 * connection (see KyselyStore.putChunk and group-commit.ts), with statements the driver keeps
 * prepared. No query building: the texts are fixed.
 */
import { sqliteRowStatements } from './series-inserts.js';
import type { ItemResult } from './group-commit.js';
import type { SqliteSync } from './sqlite-driver.js';
import type { ChunkInput, PutChunkOutcome } from './store.js';

export const SQLITE_INSERT_CHUNK =
  'insert into chunks (recording_id, stream, chunk_index, sha256, size_bytes, start_ms, end_ms, ' +
  'sample_count, blob, received_at_ms) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ' +
  'on conflict (recording_id, stream, chunk_index) do nothing';
export const SQLITE_CHUNK_HASH =
  'select sha256 from chunks where recording_id = ? and stream = ? and chunk_index = ?';

/**
 * SQLite: the group in one transaction, synchronously. First without savepoints (a savepoint and
 * its release per chunk cost ~0.06 ms of a ~0.3 ms chunk write); if any chunk fails, that attempt
 * is rolled back as a whole and the group is written again with a savepoint per chunk, so that a
 * failing one fails alone ({@link writeChunkGroupIsolated}).
 */
export function writeChunkGroupSync(db: SqliteSync, inputs: ChunkInput[]): ItemResult<PutChunkOutcome>[] {
  const results: ItemResult<PutChunkOutcome>[] = [];
  db.runSync('begin', []);
  try {
    for (const c of inputs) results.push({ ok: true, value: writeChunkSync(db, c) });
    db.runSync('commit', []);
    return results;
  } catch {
    // Nothing of this attempt stays (SQLite may already have rolled it back, e.g. on SQLITE_FULL).
    if (db.inTransaction) db.runSync('rollback', []);
  }
  return writeChunkGroupIsolated(db, inputs);
}

/**
 * The group in one transaction with a savepoint per chunk, so that a failing one fails alone; if
 * the transaction itself is lost (SQLite rolls it back on SQLITE_FULL), the whole group fails with
 * the error that caused it.
 */
export function writeChunkGroupIsolated(db: SqliteSync, inputs: ChunkInput[]): ItemResult<PutChunkOutcome>[] {
  const results: ItemResult<PutChunkOutcome>[] = [];
  db.runSync('begin', []);
  try {
    for (const c of inputs) {
      db.runSync('savepoint chunk', []);
      try {
        results.push({ ok: true, value: writeChunkSync(db, c) });
        db.runSync('release savepoint chunk', []);
      } catch (error) {
        try {
          db.runSync('rollback to savepoint chunk', []);
          db.runSync('release savepoint chunk', []);
        } catch {
          throw error;
        }
        results.push({ ok: false, error });
      }
    }
    db.runSync('commit', []);
  } catch (error) {
    if (db.inTransaction) db.runSync('rollback', []);
    throw error;
  }
  return results;
}

/**
 * A chunk row's values in the column order of {@link SQLITE_INSERT_CHUNK} (PostgreSQL's insert
 * takes the same order).
 */
export function chunkRowValues(c: ChunkInput): (string | number | Uint8Array)[] {
  return [
    c.recordingId,
    c.stream,
    c.index,
    c.sha256,
    c.bytes.byteLength,
    c.startMs,
    c.endMs,
    c.sampleCount,
    c.bytes,
    c.receivedAtMs,
  ];
}

function writeChunkSync(db: SqliteSync, c: ChunkInput): PutChunkOutcome {
  const inserted = db.runSync(SQLITE_INSERT_CHUNK, chunkRowValues(c));
  if (inserted.changes === 1) {
    for (const [text, parameters] of sqliteRowStatements(c.recordingId, c.index, c.rows))
      db.runSync(text, parameters);
    return 'stored';
  }
  const sha256 = db.allSync<{ sha256: string }>(SQLITE_CHUNK_HASH, [c.recordingId, c.stream, c.index])[0]
    ?.sha256;
  if (sha256 === undefined) throw new Error(`chunk ${c.stream}/${c.index} was neither inserted nor found`);
  return sha256 === c.sha256 ? 'duplicate' : 'conflict';
}
