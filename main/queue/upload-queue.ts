/**
 * The gateway's store-and-forward queue: what the recorder seals goes in (`enqueue`, possibly inside
 * the recorder's own transaction), the uploader takes items out in priority order (`next`) and
 * reports what the server said. Nothing is dropped: a rejected item is kept as `failed`, acked
 * items are pruned only after the retention period and once their recording is verified complete
 * on the server, and the disk quota stops new recording (`quotaReached`) instead of overwriting.
 *
 * Ordering: the next item is the pending, due item with the smallest (priority, id) that is the
 * oldest unacked item of its order key (a stream, or all control messages) and whose `afterId` is
 * acked, failed or pruned. One UploadQueue per database: at construction, items left `sending` by
 * a crash go back to `pending`.
 */
import type { GatewayDatabase } from './database.js';
import { prepareItem } from './enqueue-input.js';
import { guardStorage, QueueError } from './queue-errors.js';
import { auditFromRow, ITEM_COLUMNS, itemFromRow, itemSummaryFromRow } from './queue-rows.js';
import { liveBytes, quotaOf, readStatus } from './queue-status.js';
import {
  AUDIT_KEEP,
  insertedItem,
  insertItem,
  plainError,
  statementCache,
  writeAudit,
  type Sql,
} from './queue-writes.js';
import type { EnqueueInput, QueueAuditEntry, QueueItem, QueueStatus } from './types.js';

export { QueueError, type QueueErrorCode } from './queue-errors.js';

export interface UploadQueueOptions {
  /** The disk quota in bytes (read at each check, so a settings change applies at once). */
  quotaBytes: () => number;
  /** How long acked items are kept before pruning, ms (default 7 days). */
  retentionMs?: number;
  /** Clock, epoch ms (default `Date.now`). */
  now?: () => number;
}

export { AUDIT_KEEP } from './queue-writes.js';
export const DEFAULT_RETENTION_MS = 7 * 24 * 3600 * 1000;

/**
 * The heads of the order keys by a loose index scan (one seek per key with unacked items, not a
 * scan of the backlog), then the first due, unblocked head by (priority, id).
 */
const NEXT_CANDIDATE = `
  WITH RECURSIVE keys(order_key) AS (
    SELECT MIN(order_key) FROM queue_items INDEXED BY queue_items_open WHERE state IN ('pending', 'sending')
    UNION ALL
    SELECT (SELECT MIN(order_key) FROM queue_items INDEXED BY queue_items_open
            WHERE state IN ('pending', 'sending') AND order_key > keys.order_key)
    FROM keys WHERE keys.order_key IS NOT NULL
  ),
  heads(id) AS MATERIALIZED (
    SELECT (SELECT MIN(id) FROM queue_items INDEXED BY queue_items_open
            WHERE state IN ('pending', 'sending') AND order_key = keys.order_key)
    FROM keys WHERE keys.order_key IS NOT NULL
  )
  SELECT i.id FROM heads CROSS JOIN queue_items i ON i.id = heads.id
  WHERE i.state = 'pending' AND i.next_attempt_at_ms <= ?
    AND (i.after_id IS NULL OR NOT EXISTS (
      SELECT 1 FROM queue_items a WHERE a.id = i.after_id AND a.state IN ('pending', 'sending')))
  ORDER BY i.priority, i.id LIMIT 1`;

export class UploadQueue {
  private readonly sql: Sql;
  private readonly listeners = new Set<(status: QueueStatus) => void>();
  private notifyScheduled = false;
  /** The time `next()` last chose at (see {@link nextDueAtMs}). */
  private lastChoiceAtMs: number | null = null;
  private readonly now: () => number;
  private readonly retentionMs: number;
  /** Items found `sending` at construction (left so by a crash) and put back to pending. */
  readonly recoveredSending: number;

  constructor(
    private readonly db: GatewayDatabase,
    private readonly options: UploadQueueOptions,
  ) {
    this.sql = statementCache(db);
    this.now = options.now ?? Date.now;
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    if (!Number.isFinite(this.retentionMs) || this.retentionMs < 0) {
      throw new RangeError('UploadQueue: retentionMs must be a finite number ≥ 0');
    }
    this.recoveredSending = guardStorage(
      'recovering items left sending',
      () =>
        this.sql(
          `UPDATE queue_items SET state = 'pending', next_attempt_at_ms = ?,
             last_error = 'interrupted: the gateway stopped while sending it'
           WHERE state = 'sending'`,
        ).run(this.now()).changes,
    );
  }

  /** Stores a sealed chunk or a control message (synchronous; may run inside the caller's transaction). */
  enqueue(input: EnqueueInput): QueueItem {
    const item = prepareItem(input);
    const createdAtMs = this.now();
    const result = guardStorage('queueing an item', () =>
      this.db.transaction(() => insertItem(this.sql, item, createdAtMs))(),
    );
    if (!result.inserted) return this.get(result.id);
    this.changed();
    return insertedItem(result.id, item, createdAtMs);
  }

  /** One item with its bytes, validated. */
  get(id: number): QueueItem {
    const row = this.sql(`SELECT ${ITEM_COLUMNS} FROM queue_items WHERE id = ?`).get(id);
    if (row === undefined) throw new QueueError('not_found', `No queue item ${id}.`);
    const payload = this.sql('SELECT bytes FROM queue_payloads WHERE item_id = ?').get(id) as
      { bytes: Buffer } | undefined;
    return itemFromRow(row, payload?.bytes);
  }

  /** The next item to send, marked `sending` with its attempt counted, or undefined. */
  next(): QueueItem | undefined {
    for (;;) {
      const nowMs = this.now();
      this.lastChoiceAtMs = nowMs;
      const outcome = guardStorage('choosing the next item', () =>
        this.db.transaction((): QueueItem | 'damaged' | undefined => {
          const candidate = this.sql(NEXT_CANDIDATE).get(nowMs) as { id: number } | undefined;
          if (candidate === undefined) return undefined;
          this.sql("UPDATE queue_items SET state = 'sending', attempts = attempts + 1 WHERE id = ?").run(
            candidate.id,
          );
          try {
            return this.get(candidate.id);
          } catch (error) {
            if (!(error instanceof QueueError) || error.code !== 'corrupt_item') throw error;
            // Kept, counted as failed and shown; the rest of the queue goes on.
            this.sql("UPDATE queue_items SET state = 'failed', last_error = ? WHERE id = ?").run(
              error.message,
              candidate.id,
            );
            return 'damaged';
          }
        })(),
      );
      if (outcome === 'damaged') {
        this.changed();
        continue;
      }
      if (outcome !== undefined) this.changed();
      return outcome;
    }
  }

  /**
   * Earliest `nextAttemptAtMs` of a pending item that was not yet due when `next()` last chose
   * (now, if it never did), or null. Measured from that choice, not from now: an item that fell
   * due in between (a timer may fire a millisecond before the wall clock reaches its time) is
   * returned, already due, so the caller wakes for it instead of going idle with it pending.
   */
  nextDueAtMs(): number | null {
    const row = this.sql(
      "SELECT MIN(next_attempt_at_ms) AS at FROM queue_items WHERE state = 'pending' AND next_attempt_at_ms > ?",
    ).get(this.lastChoiceAtMs ?? this.now()) as { at: number | null };
    return row.at;
  }

  /** The server accepted the item (`duplicate`: it already held the same bytes). */
  markAcked(id: number, outcome: { status: number; duplicate: boolean }): void {
    this.settle(id, 'acking', {
      state: 'acked',
      status: outcome.status,
      error: null,
      nextAttemptAtMs: null,
      audit: outcome.duplicate ? 'duplicate' : 'acked',
    });
  }

  /** Transient failure: back to pending at `nextAttemptAtMs`, the error kept in plain words. */
  markRetry(id: number, error: string, nextAttemptAtMs: number, status: number | null = null): void {
    if (!Number.isSafeInteger(nextAttemptAtMs)) {
      throw new QueueError('invalid_item', `markRetry(${id}): nextAttemptAtMs must be an integer epoch ms.`);
    }
    this.settle(id, 'scheduling a retry', {
      state: 'pending',
      status,
      error,
      nextAttemptAtMs,
      audit: 'retry',
    });
  }

  /** The server rejected the item: `failed`, kept with the error, never deleted. */
  markFailed(id: number, error: string, status: number | null): void {
    this.settle(id, 'marking failed', {
      state: 'failed',
      status,
      error,
      nextAttemptAtMs: null,
      audit: 'rejected',
    });
  }

  /** Staff's "retry failed": every failed item back to pending, due now. Returns how many. */
  retryFailed(): number {
    const ids = guardStorage('retrying failed items', () =>
      this.db.transaction(() => {
        const failed = this.sql("SELECT id FROM queue_items WHERE state = 'failed' ORDER BY id").all() as {
          id: number;
        }[];
        const update = this.sql(
          "UPDATE queue_items SET state = 'pending', next_attempt_at_ms = ? WHERE id = ?",
        );
        for (const { id } of failed) {
          update.run(this.now(), id);
          writeAudit(this.sql, this.now(), id, 'requeued', null, 'staff asked to retry failed items');
        }
        return failed.length;
      })(),
    );
    if (ids > 0) this.changed();
    return ids;
  }

  /** An acked chunk the server's list lacks goes back to pending; false if it is not held as acked. */
  requeueChunk(recordingId: string, stream: string, chunkIndex: number): boolean {
    const done = guardStorage('requeueing a chunk', () =>
      this.db.transaction(() => {
        const row = this.sql(
          `SELECT id FROM queue_items WHERE kind = 'chunk' AND recording_id = ? AND stream = ? AND chunk_index = ?
               AND state = 'acked'`,
        ).get(recordingId, stream, chunkIndex) as { id: number } | undefined;
        if (row === undefined) return false;
        this.sql(
          "UPDATE queue_items SET state = 'pending', next_attempt_at_ms = ?, acked_at_ms = NULL WHERE id = ?",
        ).run(this.now(), row.id);
        this.sql('DELETE FROM queue_verified_recordings WHERE recording_id = ?').run(recordingId);
        writeAudit(this.sql, this.now(), row.id, 'requeued', null, 'the server’s chunk list lacks it');
        return true;
      })(),
    );
    if (done) this.changed();
    return done;
  }

  /** Items of a recording, without bytes or body, in enqueue order. */
  itemsOfRecording(recordingId: string): Omit<QueueItem, 'bytes' | 'body'>[] {
    return this.sql(`SELECT ${ITEM_COLUMNS} FROM queue_items WHERE recording_id = ? ORDER BY id`)
      .all(recordingId)
      .map(itemSummaryFromRow);
  }

  /** State and last error of the named items (an id that is absent was pruned after its ack). */
  itemStates(ids: readonly number[]): Map<number, { state: QueueItem['state']; lastError: string | null }> {
    const out = new Map<number, { state: QueueItem['state']; lastError: string | null }>();
    const read = this.sql('SELECT state, last_error AS lastError FROM queue_items WHERE id = ?');
    for (const id of ids) {
      const row = read.get(id) as { state: QueueItem['state']; lastError: string | null } | undefined;
      if (row !== undefined) out.set(id, { state: row.state, lastError: row.lastError });
    }
    return out;
  }

  /** The server confirmed the recording complete: its acked items may be pruned after retention. */
  markRecordingVerified(recordingId: string): void {
    guardStorage('recording a verification', () =>
      this.sql(
        `INSERT INTO queue_verified_recordings (recording_id, verified_at_ms) VALUES (?, ?)
           ON CONFLICT (recording_id) DO UPDATE SET verified_at_ms = excluded.verified_at_ms`,
      ).run(recordingId, this.now()),
    );
  }

  /** Deletes acked items older than the retention, of verified recordings or of none; keeps the audit. */
  prune(): number {
    const prunable = `state = 'acked' AND acked_at_ms <= ?
      AND (recording_id IS NULL OR recording_id IN (SELECT recording_id FROM queue_verified_recordings))`;
    const cutoffMs = this.now() - this.retentionMs;
    const pruned = guardStorage('pruning acked items', () =>
      this.db.transaction(() => {
        // the bytes explicitly, not only by the foreign key's cascade (a connection may have it off)
        this.sql(
          `DELETE FROM queue_payloads WHERE item_id IN (SELECT id FROM queue_items WHERE ${prunable})`,
        ).run(cutoffMs);
        return this.sql(`DELETE FROM queue_items WHERE ${prunable}`).run(cutoffMs).changes;
      })(),
    );
    if (pruned > 0) this.changed();
    return pruned;
  }

  status(): QueueStatus {
    return readStatus(this.db, quotaOf(this.options.quotaBytes));
  }

  /** True when the database's live data has reached the quota (the recorder stops taking new data). */
  quotaReached(): boolean {
    return liveBytes(this.db) >= quotaOf(this.options.quotaBytes);
  }

  /** The most recent audit entries, newest first (at most {@link AUDIT_KEEP} are kept). */
  audit(limit = 100): QueueAuditEntry[] {
    const count = Number.isFinite(limit) ? Math.max(0, Math.min(AUDIT_KEEP, Math.floor(limit))) : 100;
    const rows = this.sql('SELECT * FROM queue_audit ORDER BY id DESC LIMIT ?').all(count);
    return rows.map(auditFromRow);
  }

  /**
   * Calls `listener` with the fresh status after changes. Changes made in one synchronous run (e.g. a
   * seal transaction) give one call, made after it, so a rolled-back change is never announced.
   */
  onChange(listener: (status: QueueStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private settle(
    id: number,
    doing: string,
    to: {
      state: 'acked' | 'pending' | 'failed';
      status: number | null;
      error: string | null;
      nextAttemptAtMs: number | null;
      audit: QueueAuditEntry['outcome'];
    },
  ): void {
    if (to.status !== null && !(Number.isInteger(to.status) && to.status >= 100 && to.status <= 599)) {
      throw new QueueError('invalid_item', `Queue item ${id}: ${String(to.status)} is not an HTTP status.`);
    }
    const error = to.error === null ? null : plainError(to.error);
    guardStorage(`${doing} item ${id}`, () =>
      this.db.transaction(() => {
        const row = this.sql('SELECT state FROM queue_items WHERE id = ?').get(id) as
          { state: string } | undefined;
        if (row === undefined) throw new QueueError('not_found', `No queue item ${id}.`);
        if (row.state !== 'sending') {
          throw new QueueError(
            'invalid_state',
            `Queue item ${id} is ${row.state}, not being sent: cannot be ${doing}.`,
          );
        }
        const nowMs = this.now();
        this.sql(
          `UPDATE queue_items SET state = ?, last_status = ?, last_error = ?,
               next_attempt_at_ms = COALESCE(?, next_attempt_at_ms), acked_at_ms = ? WHERE id = ?`,
        ).run(to.state, to.status, error, to.nextAttemptAtMs, to.state === 'acked' ? nowMs : null, id);
        writeAudit(this.sql, this.now(), id, to.audit, to.status, error);
      })(),
    );
    this.changed();
  }

  private changed(): void {
    if (this.listeners.size === 0 || this.notifyScheduled) return;
    this.notifyScheduled = true;
    queueMicrotask(() => {
      this.notifyScheduled = false;
      let status: QueueStatus;
      try {
        status = this.status();
      } catch {
        return; // the database is closed or failing; the next call says so to its caller
      }
      for (const listener of this.listeners) {
        try {
          listener(status);
        } catch {
          // a listener's fault must not stop the queue or the other listeners
        }
      }
    });
  }
}
