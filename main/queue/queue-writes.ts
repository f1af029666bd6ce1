/**
 * The queue's row writes shared by its operations: the statement cache, inserting an enqueued item
 * (with its `afterId` and duplicate-chunk checks) and appending to the audit trail.
 */
import type { Statement } from 'better-sqlite3';
import type { GatewayDatabase } from './database.js';
import type { PreparedItem } from './enqueue-input.js';
import { QueueError } from './queue-errors.js';
import type { QueueAuditEntry, QueueItem } from './types.js';

/** Audit entries kept (the clinic's software kept the last 100 uploads). */
export const AUDIT_KEEP = 10_000;
const MAX_ERROR_CHARS = 2000;

/** Runs SQL through statements prepared once. */
export type Sql = (text: string) => Statement;

export function statementCache(db: GatewayDatabase): Sql {
  const statements = new Map<string, Statement>();
  return (text) => {
    let statement = statements.get(text);
    if (statement === undefined) {
      statement = db.prepare(text);
      statements.set(text, statement);
    }
    return statement;
  };
}

function checkAfterId(sql: Sql, afterId: number | null): void {
  if (afterId === null) return;
  const row = sql("SELECT seq FROM sqlite_sequence WHERE name = 'queue_items'").get() as
    { seq: number } | undefined;
  // An id up to the last one assigned was an item (pruned if its row is gone); a larger one never was.
  if (row === undefined || afterId > row.seq) {
    throw new QueueError('not_found', `Cannot queue an item after item ${afterId}: there is no such item.`);
  }
}

/** The id of the same chunk already queued with the same bytes; a conflict if the bytes differ. */
function existingChunk(sql: Sql, item: PreparedItem): number | undefined {
  if (item.kind !== 'chunk') return undefined;
  const row = sql(
    "SELECT id, sha256 FROM queue_items WHERE kind = 'chunk' AND recording_id = ? AND stream = ? AND chunk_index = ?",
  ).get(item.recordingId, item.stream, item.chunkIndex) as { id: number; sha256: string } | undefined;
  if (row === undefined) return undefined;
  if (row.sha256 === item.sha256) return row.id;
  throw new QueueError(
    'chunk_conflict',
    `Chunk ${item.orderKey}/${item.chunkIndex} is already queued (item ${row.id}) with different bytes; ` +
      `a sealed chunk is never re-encoded, so the new bytes were not stored.`,
  );
}

/** Inserts the item and its bytes (call inside a transaction); an identical chunk already held is not repeated. */
export function insertItem(
  sql: Sql,
  item: PreparedItem,
  createdAtMs: number,
): { id: number; inserted: boolean } {
  checkAfterId(sql, item.afterId);
  const existing = existingChunk(sql, item);
  if (existing !== undefined) return { id: existing, inserted: false };
  const id = Number(
    sql(
      `INSERT INTO queue_items (kind, route, order_key, recording_id, stream, chunk_index, params_json, body_json,
         sha256, size_bytes, priority, after_id, state, attempts, created_at_ms, next_attempt_at_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
    ).run(
      item.kind,
      item.route,
      item.orderKey,
      item.recordingId,
      item.stream,
      item.chunkIndex,
      item.paramsJson,
      item.bodyJson,
      item.sha256,
      item.sizeBytes,
      item.priority,
      item.afterId,
      createdAtMs,
      createdAtMs,
    ).lastInsertRowid,
  );
  if (item.bytes !== null)
    sql('INSERT INTO queue_payloads (item_id, bytes) VALUES (?, ?)').run(id, item.bytes);
  return { id, inserted: true };
}

/** The stored item as `enqueue` returns it, without reading it back. */
export function insertedItem(id: number, item: PreparedItem, createdAtMs: number): QueueItem {
  return {
    id,
    kind: item.kind,
    route: item.route,
    orderKey: item.orderKey,
    recordingId: item.recordingId,
    stream: item.stream,
    chunkIndex: item.chunkIndex,
    params: JSON.parse(item.paramsJson) as Record<string, string>,
    body: item.bodyJson === null ? null : (JSON.parse(item.bodyJson) as unknown),
    bytes: item.bytes,
    sha256: item.sha256,
    sizeBytes: item.sizeBytes,
    priority: item.priority,
    state: 'pending',
    attempts: 0,
    createdAtMs,
    nextAttemptAtMs: createdAtMs,
    lastError: null,
    ackedAtMs: null,
  };
}

/** Appends an audit entry copying the item's identity, and drops entries beyond {@link AUDIT_KEEP}. */
export function writeAudit(
  sql: Sql,
  atMs: number,
  id: number,
  outcome: QueueAuditEntry['outcome'],
  status: number | null,
  detail: string | null,
): void {
  const newest = sql(
    `INSERT INTO queue_audit (item_id, route, recording_id, stream, chunk_index, size_bytes, at_ms, outcome, status, detail)
     SELECT id, route, recording_id, stream, chunk_index, size_bytes, ?, ?, ?, ? FROM queue_items WHERE id = ?`,
  ).run(atMs, outcome, status, detail, id).lastInsertRowid;
  sql('DELETE FROM queue_audit WHERE id <= ?').run(Number(newest) - AUDIT_KEEP);
}

/** An error text as stored: trimmed, never empty, at most 2000 characters. */
export function plainError(text: string): string {
  const trimmed = text.trim() === '' ? 'unknown error' : text.trim();
  return trimmed.length > MAX_ERROR_CHARS ? `${trimmed.slice(0, MAX_ERROR_CHARS)}…` : trimmed;
}
