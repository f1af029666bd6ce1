/**
 * The upload queue on a real SQLite file: priority and per-stream order, `afterId`, the state
 * machine, retry timing on an injected clock, failed items kept and retried by staff, re-queued
 * chunks, the audit trail, change notifications and damaged rows.
 */
import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GatewayDatabase } from '../../../main/queue/database.js';
import { AUDIT_KEEP, QueueError, type UploadQueue } from '../../../main/queue/upload-queue.js';
import { PRIORITY, type QueueStatus } from '../../../main/queue/types.js';
import { QueueStatusSchema } from '../../../preload/schemas.js';
import {
  chunkInput,
  openDb,
  openQueue,
  patientInput,
  RECORDING_A,
  RECORDING_B,
  tempDataDir,
  voidInput,
} from './queue-fixtures.js';

let dataDir: string;
let db: GatewayDatabase;
let queue: UploadQueue;
const clock = { nowMs: 1_767_225_600_000 };

beforeEach(() => {
  dataDir = tempDataDir();
  clock.nowMs = 1_767_225_600_000;
  db = openDb(dataDir);
  queue = openQueue(db, clock);
});

afterEach(() => {
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function expectQueueError(work: () => unknown, code: string): QueueError {
  let caught: unknown;
  try {
    work();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(QueueError);
  expect((caught as QueueError).code).toBe(code);
  return caught as QueueError;
}

/** Takes every item the queue offers now, acking each; returns their ids in order. */
function drain(): number[] {
  const ids: number[] = [];
  for (let item = queue.next(); item !== undefined; item = queue.next()) {
    ids.push(item.id);
    queue.markAcked(item.id, { status: 201, duplicate: false });
  }
  return ids;
}

describe('UploadQueue ordering', () => {
  it('sends control messages before records, records before samples, each stream in index order', () => {
    const ecg1 = queue.enqueue(chunkInput(RECORDING_A, 'ecg', 1));
    const ecg0 = queue.enqueue(chunkInput(RECORDING_A, 'ecg', 0));
    const beats0 = queue.enqueue(chunkInput(RECORDING_A, 'beats', 0, { priority: PRIORITY.records }));
    const patient = queue.enqueue(patientInput());
    const other = queue.enqueue(chunkInput(RECORDING_B, 'ecg', 0));
    // within a stream: enqueue order (ecg 1 was sealed first here), across: (priority, id)
    expect(drain()).toEqual([patient.id, beats0.id, ecg1.id, ecg0.id, other.id]);
  });

  it('keeps an item behind its stream’s earlier item while that one is being sent or waits to retry', () => {
    const first = queue.enqueue(chunkInput(RECORDING_A, 'ecg', 0));
    const second = queue.enqueue(chunkInput(RECORDING_A, 'ecg', 1));
    const other = queue.enqueue(chunkInput(RECORDING_B, 'ecg', 0));
    expect(queue.next()?.id).toBe(first.id);
    // the first is in flight: the same stream waits, another stream goes
    expect(queue.next()?.id).toBe(other.id);
    expect(queue.next()).toBeUndefined();
    queue.markRetry(first.id, 'connection reset', clock.nowMs + 5000);
    expect(queue.next()).toBeUndefined(); // first not due, second stays behind it
    clock.nowMs += 5000;
    expect(queue.next()?.id).toBe(first.id);
    queue.markAcked(first.id, { status: 201, duplicate: false });
    expect(queue.next()?.id).toBe(second.id);
  });

  it('holds an item until its afterId is acked or failed, and not for a pruned one', () => {
    const start = queue.enqueue(voidInput(RECORDING_A));
    const chunk = queue.enqueue(chunkInput(RECORDING_B, 'ecg', 0, { afterId: start.id, priority: 0 }));
    expect(queue.next()?.id).toBe(start.id); // priority 0 chunk waits for its afterId anyway
    expect(queue.next()).toBeUndefined();
    queue.markFailed(start.id, 'recording not found', 404);
    expect(queue.next()?.id).toBe(chunk.id);

    const patient = queue.enqueue(patientInput());
    expect(drain()).toEqual([patient.id]);
    queue.markRecordingVerified(RECORDING_A);
    clock.nowMs += 8 * 24 * 3600 * 1000;
    expect(queue.prune()).toBeGreaterThanOrEqual(1); // the patient message is gone
    const later = queue.enqueue(chunkInput(RECORDING_B, 'ecg', 1, { afterId: patient.id }));
    queue.markAcked(chunk.id, { status: 201, duplicate: false });
    expect(queue.next()?.id).toBe(later.id);
  });

  it('refuses an afterId that was never assigned', () => {
    const error = expectQueueError(
      () => queue.enqueue(chunkInput(RECORDING_A, 'ecg', 0, { afterId: 99 })),
      'not_found',
    );
    expect(error.message).toMatch(/after item 99/);
    expect(queue.status().pendingItems).toBe(0);
  });
});

describe('UploadQueue states', () => {
  it('moves pending → sending → acked, counting attempts and keeping the bytes and hash', () => {
    const queued = queue.enqueue(chunkInput(RECORDING_A, 'ecg', 0));
    expect(queued).toMatchObject({ state: 'pending', attempts: 0, orderKey: `${RECORDING_A}/ecg` });
    const sending = queue.next()!;
    expect(sending).toMatchObject({ id: queued.id, state: 'sending', attempts: 1, sha256: queued.sha256 });
    expect(Buffer.from(sending.bytes!).equals(Buffer.from(queued.bytes!))).toBe(true);
    queue.markAcked(sending.id, { status: 201, duplicate: false });
    expect(queue.get(sending.id)).toMatchObject({ state: 'acked', ackedAtMs: clock.nowMs, lastError: null });
  });

  it('refuses to settle an item that is not being sent', () => {
    const item = queue.enqueue(chunkInput(RECORDING_A, 'ecg', 0));
    expectQueueError(() => queue.markAcked(item.id, { status: 201, duplicate: false }), 'invalid_state');
    expectQueueError(() => queue.markFailed(12345, 'x', 400), 'not_found');
    queue.next();
    expectQueueError(() => queue.markAcked(item.id, { status: 42, duplicate: false }), 'invalid_item');
  });

  it('schedules retries at the time the uploader chose and says when the next one is due', () => {
    const item = queue.enqueue(chunkInput(RECORDING_A, 'ecg', 0));
    queue.next();
    queue.markRetry(item.id, 'server answered 503', clock.nowMs + 30_000, 503);
    expect(queue.nextDueAtMs()).toBe(clock.nowMs + 30_000);
    clock.nowMs += 29_999;
    expect(queue.next()).toBeUndefined();
    clock.nowMs += 1;
    // Due since next() last looked: still reported (the uploader wakes for it, never idles on it).
    expect(queue.nextDueAtMs()).toBe(clock.nowMs);
    const again = queue.next()!;
    expect(again).toMatchObject({ id: item.id, attempts: 2, lastError: 'server answered 503' });
  });

  it('keeps rejected items as failed, never deleting them, until staff retry them', () => {
    const item = queue.enqueue(chunkInput(RECORDING_A, 'ecg', 0));
    queue.next();
    queue.markFailed(item.id, 'malformed chunk: bad magic', 400);
    clock.nowMs += 30 * 24 * 3600 * 1000;
    queue.markRecordingVerified(RECORDING_A);
    expect(queue.prune()).toBe(0);
    expect(queue.get(item.id)).toMatchObject({ state: 'failed', lastError: 'malformed chunk: bad magic' });
    expect(queue.status()).toMatchObject({ failedChunks: 1, failedItems: 1, pendingChunks: 0 });
    expect(queue.next()).toBeUndefined();
    expect(queue.retryFailed()).toBe(1);
    expect(queue.next()?.id).toBe(item.id);
  });

  it('requeues an acked chunk the server lacks, and only an acked one', () => {
    const item = queue.enqueue(chunkInput(RECORDING_A, 'ecg', 0));
    expect(queue.requeueChunk(RECORDING_A, 'ecg', 0)).toBe(false); // still pending
    drain();
    queue.markRecordingVerified(RECORDING_A);
    expect(queue.requeueChunk(RECORDING_A, 'ecg', 0)).toBe(true);
    expect(queue.requeueChunk(RECORDING_A, 'ecg', 7)).toBe(false);
    // the verification is withdrawn: nothing of the recording is pruned until it is verified again
    drain();
    clock.nowMs += 8 * 24 * 3600 * 1000;
    expect(queue.prune()).toBe(0);
    expect(queue.get(item.id).state).toBe('acked');
  });

  it('puts items left sending by a crash back to pending when the queue opens', () => {
    const item = queue.enqueue(chunkInput(RECORDING_A, 'ecg', 0));
    queue.next();
    const reopened = openQueue(db, clock);
    expect(reopened.recoveredSending).toBe(1);
    expect(reopened.get(item.id)).toMatchObject({ state: 'pending', attempts: 1 });
    expect(reopened.next()?.id).toBe(item.id);
  });

  it('answers a repeated enqueue of the same sealed chunk with the stored item, and refuses different bytes', () => {
    const first = queue.enqueue(chunkInput(RECORDING_A, 'ecg', 0));
    expect(queue.enqueue(chunkInput(RECORDING_A, 'ecg', 0)).id).toBe(first.id);
    const other = chunkInput(RECORDING_A, 'ecg', 0, { samples: 300 });
    expectQueueError(() => queue.enqueue(other), 'chunk_conflict');
    expect(queue.itemsOfRecording(RECORDING_A)).toHaveLength(1);
  });
});

describe('UploadQueue retention and listing', () => {
  it('prunes acked items only after the retention and once their recording is verified', () => {
    const chunk = queue.enqueue(chunkInput(RECORDING_A, 'ecg', 0));
    const voided = queue.enqueue(voidInput(RECORDING_A));
    const patient = queue.enqueue(patientInput());
    drain();
    clock.nowMs += 7 * 24 * 3600 * 1000 - 1;
    expect(queue.prune()).toBe(0);
    clock.nowMs += 1;
    expect(queue.prune()).toBe(1); // the patient message: no recording
    expect(queue.itemsOfRecording(RECORDING_A).map((i) => i.id)).toEqual([chunk.id, voided.id]);
    queue.markRecordingVerified(RECORDING_A);
    expect(queue.prune()).toBe(2);
    expect(queue.itemsOfRecording(RECORDING_A)).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM queue_payloads').get()).toEqual({ n: 0 });
    // the audit keeps what was sent
    expect(
      queue
        .audit()
        .map((e) => e.itemId)
        .sort(),
    ).toEqual([chunk.id, voided.id, patient.id].sort());
  });

  it('deletes the bytes of pruned items even on a connection with foreign keys off', () => {
    queue.enqueue(chunkInput(RECORDING_A, 'ecg', 0));
    drain();
    queue.markRecordingVerified(RECORDING_A);
    db.pragma('foreign_keys = OFF');
    clock.nowMs += 7 * 24 * 3600 * 1000;
    expect(queue.prune()).toBe(1);
    expect(db.prepare('SELECT COUNT(*) AS n FROM queue_payloads').get()).toEqual({ n: 0 });
  });

  it('lists a recording’s items without bytes, for the completeness check', () => {
    queue.enqueue(chunkInput(RECORDING_A, 'ecg', 0));
    queue.enqueue(chunkInput(RECORDING_A, 'beats', 0, { priority: PRIORITY.records }));
    queue.enqueue(chunkInput(RECORDING_B, 'ecg', 0));
    const items = queue.itemsOfRecording(RECORDING_A);
    expect(items.map((i) => `${i.stream}/${i.chunkIndex}/${i.state}`)).toEqual([
      'ecg/0/pending',
      'beats/0/pending',
    ]);
    expect(items[0]).not.toHaveProperty('bytes');
  });
});

describe('UploadQueue audit and status', () => {
  it('records every outcome with the item’s identity, newest first', () => {
    const a = queue.enqueue(chunkInput(RECORDING_A, 'ecg', 0));
    queue.next();
    queue.markRetry(a.id, 'timeout after 30 s', clock.nowMs);
    queue.next();
    queue.markAcked(a.id, { status: 200, duplicate: true });
    expect(queue.audit(10)).toEqual([
      expect.objectContaining({
        itemId: a.id,
        outcome: 'duplicate',
        status: 200,
        chunkIndex: 0,
        stream: 'ecg',
      }),
      expect.objectContaining({ itemId: a.id, outcome: 'retry', status: null, detail: 'timeout after 30 s' }),
    ]);
  });

  it(`keeps the last ${AUDIT_KEEP} audit entries`, () => {
    const item = queue.enqueue(chunkInput(RECORDING_A, 'ecg', 0));
    db.transaction(() => {
      for (let i = 0; i < AUDIT_KEEP + 50; i++) {
        queue.next();
        queue.markRetry(item.id, `attempt ${i}`, clock.nowMs);
      }
    })();
    expect(db.prepare('SELECT COUNT(*) AS n FROM queue_audit').get()).toEqual({ n: AUDIT_KEEP });
    expect(queue.audit(1)[0]?.detail).toBe(`attempt ${AUDIT_KEEP + 49}`);
  });

  it('counts the backlog in the gateway API’s shape and notifies listeners once per change run', async () => {
    const seen: QueueStatus[] = [];
    const off = queue.onChange((status) => seen.push(status));
    const a = queue.enqueue(chunkInput(RECORDING_A, 'ecg', 0));
    const p = queue.enqueue(patientInput());
    await Promise.resolve();
    expect(seen).toHaveLength(1);
    const status = seen[0]!;
    expect(QueueStatusSchema.parse(status)).toEqual(status);
    expect(status).toMatchObject({
      pendingChunks: 1,
      pendingItems: 2,
      sendingItems: 0,
      oldestPendingAtMs: clock.nowMs,
    });
    expect(status.pendingBytes).toBe(a.sizeBytes + p.sizeBytes);
    queue.next();
    await Promise.resolve();
    expect(seen.at(-1)).toMatchObject({ pendingItems: 1, sendingItems: 1 });
    off();
    queue.next();
    await Promise.resolve();
    expect(seen).toHaveLength(2);
  });

  it('keeps its counters equal to the items held through every kind of change', () => {
    const recount = (): unknown =>
      db
        .prepare(
          `SELECT c.state, c.kind, c.n, c.bytes,
             (SELECT COUNT(*) FROM queue_items i WHERE i.state = c.state AND i.kind = c.kind) AS n2,
             (SELECT TOTAL(size_bytes) FROM queue_items i WHERE i.state = c.state AND i.kind = c.kind) AS bytes2
           FROM queue_counts c`,
        )
        .all()
        .filter((r) => {
          const row = r as { n: number; n2: number; bytes: number; bytes2: number };
          return row.n !== row.n2 || row.bytes !== row.bytes2;
        });
    queue = openQueue(db, clock, { retentionMs: 0 });
    for (let i = 0; i < 6; i++) queue.enqueue(chunkInput(RECORDING_A, 'ecg', i));
    queue.enqueue(patientInput());
    queue.enqueue(voidInput(RECORDING_B));
    const a = queue.next()!;
    queue.markAcked(a.id, { status: 201, duplicate: false });
    const b = queue.next()!;
    queue.markFailed(b.id, 'rejected', 400);
    const c = queue.next()!;
    queue.markRetry(c.id, 'timeout', clock.nowMs);
    queue.next();
    queue.retryFailed();
    queue.markRecordingVerified(RECORDING_A);
    drain();
    queue.requeueChunk(RECORDING_A, 'ecg', 2);
    queue.prune();
    expect(recount()).toEqual([]);
    const status = queue.status();
    expect(status.pendingItems + status.sendingItems + status.failedItems + status.ackedRetainedItems).toBe(
      (db.prepare('SELECT COUNT(*) AS n FROM queue_items').get() as { n: number }).n,
    );
  });

  it('does not announce an enqueue the caller’s transaction rolled back', async () => {
    const seen: QueueStatus[] = [];
    queue.onChange((status) => seen.push(status));
    expect(() =>
      db.transaction(() => {
        queue.enqueue(chunkInput(RECORDING_A, 'ecg', 0));
        throw new Error('seal failed');
      })(),
    ).toThrow('seal failed');
    await Promise.resolve();
    expect(seen.map((s) => s.pendingItems)).toEqual([0]);
    expect(queue.itemsOfRecording(RECORDING_A)).toEqual([]);
  });
});

describe('UploadQueue quota', () => {
  it('reports the quota reached with an alarm, still accepts sealed chunks, and clears after pruning', () => {
    const quota = { bytes: 1e9 };
    queue = openQueue(db, clock, { quotaBytes: () => quota.bytes, retentionMs: 0 });
    expect(queue.quotaReached()).toBe(false);
    expect(queue.status().alarm).toBeNull();
    for (let i = 0; i < 20; i++) queue.enqueue(chunkInput(RECORDING_A, 'ecg', i, { samples: 5000 }));
    quota.bytes = queue.status().diskUsedBytes - 1;
    expect(queue.quotaReached()).toBe(true);
    expect(queue.status().alarm).toMatch(/Disk quota reached.*Recording is stopped and nothing was deleted/);
    // sealing what is already held never fails for the quota
    expect(queue.enqueue(chunkInput(RECORDING_A, 'ecg', 20, { samples: 5000 })).state).toBe('pending');
    drain();
    queue.markRecordingVerified(RECORDING_A);
    expect(queue.prune()).toBe(21);
    expect(queue.quotaReached()).toBe(false);
    expect(queue.status().alarm).toBeNull();
  });
});

describe('UploadQueue damaged rows', () => {
  it('marks an item whose bytes no longer match their hash failed, names it, and goes on', () => {
    const damaged = queue.enqueue(chunkInput(RECORDING_A, 'ecg', 0));
    const fine = queue.enqueue(chunkInput(RECORDING_B, 'ecg', 0));
    db.prepare('UPDATE queue_payloads SET bytes = ? WHERE item_id = ?').run(
      Buffer.from('flipped'),
      damaged.id,
    );
    expect(queue.next()?.id).toBe(fine.id);
    const failed = queue.itemsOfRecording(RECORDING_A)[0]!;
    expect(failed.state).toBe('failed');
    expect(failed.lastError).toMatch(
      new RegExp(`Queue item ${damaged.id} is damaged.*no longer match their SHA-256`),
    );
    expect(expectQueueError(() => queue.get(damaged.id), 'corrupt_item').message).toContain(
      `item ${damaged.id}`,
    );
  });

  it('reports a row with a broken field by its id instead of failing the whole listing silently', () => {
    const item = queue.enqueue(voidInput(RECORDING_A));
    db.prepare("UPDATE queue_items SET params_json = '{not json' WHERE id = ?").run(item.id);
    expect(expectQueueError(() => queue.itemsOfRecording(RECORDING_A), 'corrupt_item').message).toMatch(
      new RegExp(`Queue item ${item.id} is damaged.*params is not JSON`),
    );
    const other = queue.enqueue(chunkInput(RECORDING_B, 'ecg', 0));
    expect(queue.next()?.id).toBe(other.id); // the damaged control message failed, the chunk goes
  });
});
