/**
 * A full disk: SQLite itself reports SQLITE_FULL (never a mock). Once through a page limit
 * (`PRAGMA max_page_count`, which makes SQLite return SQLITE_FULL exactly as on a full disk), and,
 * where this machine lets the test mount one (root), on a real 2 MB tmpfs filled to the last byte.
 * Either way: QueueError('disk_full'), nothing half-written, everything before it intact, and
 * enqueue works again once space is freed; and a database created on a full disk gives
 * GatewayDatabaseError('disk_full') until space is freed.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { GatewayDatabaseError, type GatewayDatabase } from '../../../main/queue/database.js';
import { QueueError, type UploadQueue } from '../../../main/queue/upload-queue.js';
import { chunkInput, openDb, openQueue, RECORDING_A, tempDataDir } from './queue-fixtures.js';

const clock = { nowMs: 1_767_225_600_000 };
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function enqueueError(queue: UploadQueue, index: number, samples: number): unknown {
  try {
    queue.enqueue(chunkInput(RECORDING_A, 'ecg', index, { samples }));
    return undefined;
  } catch (error) {
    return error;
  }
}

function counts(db: GatewayDatabase): { items: number; payloads: number } {
  return db
    .prepare(
      'SELECT (SELECT COUNT(*) FROM queue_items) AS items, (SELECT COUNT(*) FROM queue_payloads) AS payloads',
    )
    .get() as { items: number; payloads: number };
}

describe('UploadQueue on a full disk', () => {
  it('answers disk_full at SQLite’s page limit, writes nothing, and works again when space is freed', () => {
    const dataDir = tempDataDir();
    const db = openDb(dataDir);
    cleanups.push(() => {
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const queue = openQueue(db, clock);
    for (let i = 0; i < 3; i++) queue.enqueue(chunkInput(RECORDING_A, 'ecg', i));
    const before = counts(db);
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 2}`);
    const error = enqueueError(queue, 3, 40_000);
    expect(error).toBeInstanceOf(QueueError);
    expect((error as QueueError).code).toBe('disk_full');
    expect((error as QueueError).message).toMatch(
      /disk holding the upload queue is full.*nothing was written/,
    );
    expect(counts(db)).toEqual(before);
    expect(db.pragma('quick_check', { simple: true })).toBe('ok');
    db.pragma('max_page_count = 1073741823');
    expect(queue.enqueue(chunkInput(RECORDING_A, 'ecg', 3, { samples: 40_000 })).chunkIndex).toBe(3);
    expect(counts(db)).toEqual({ items: before.items + 1, payloads: before.payloads + 1 });
  });

  it('rolls back the caller’s whole seal transaction when the enqueue inside it meets a full disk', () => {
    const dataDir = tempDataDir();
    const db = openDb(dataDir);
    cleanups.push(() => {
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    db.exec('CREATE TABLE journal (chunk_index INTEGER PRIMARY KEY, samples BLOB NOT NULL) STRICT');
    db.prepare('INSERT INTO journal VALUES (0, ?)').run(Buffer.alloc(1000, 7));
    const queue = openQueue(db, clock);
    const seal = db.transaction(() => {
      db.prepare('DELETE FROM journal WHERE chunk_index = 0').run();
      queue.enqueue(chunkInput(RECORDING_A, 'ecg', 0, { samples: 40_000 }));
    });
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 2}`);
    let error: unknown;
    try {
      seal();
    } catch (caught) {
      error = caught;
    }
    expect((error as QueueError).code).toBe('disk_full');
    expect(db.inTransaction).toBe(false);
    // the journal rows are still there and nothing was queued: the samples are not lost
    expect(db.prepare('SELECT COUNT(*) AS n FROM journal').get()).toEqual({ n: 1 });
    expect(counts(db)).toEqual({ items: 0, payloads: 0 });
    db.pragma('max_page_count = 1073741823');
    seal();
    expect(db.prepare('SELECT COUNT(*) AS n FROM journal').get()).toEqual({ n: 0 });
    expect(counts(db)).toEqual({ items: 1, payloads: 1 });
  });

  describe('on a real 2 MB tmpfs', () => {
    const mountPoint = tempDataDir('pulsewatch-tmpfs-');
    const mounted =
      spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', mountPoint]).status === 0;
    afterAll(() => {
      if (mounted) spawnSync('umount', [mountPoint]);
      rmSync(mountPoint, { recursive: true, force: true });
    });

    it('fills the disk, refuses the chunk that does not fit, keeps the rest, resumes after space is freed', (context) => {
      if (!mounted) {
        context.skip('mounting a tmpfs needs root; the page-limit test above covers SQLITE_FULL');
        return;
      }
      const dataDir = join(mountPoint, 'data');
      mkdirSync(dataDir);
      const filler = join(mountPoint, 'filler');
      writeFileSync(filler, Buffer.alloc(600_000, 1));
      let db = openDb(dataDir);
      let queue = openQueue(db, clock);
      const stored: number[] = [];
      let error: unknown;
      for (let i = 0; i < 200 && error === undefined; i++) {
        error = enqueueError(queue, i, 10_000);
        if (error === undefined) stored.push(i);
      }
      expect(error).toBeInstanceOf(QueueError);
      expect((error as QueueError).code).toBe('disk_full');
      expect(stored.length).toBeGreaterThan(3);
      const held = queue.itemsOfRecording(RECORDING_A);
      expect(held.map((i) => i.chunkIndex)).toEqual(stored);
      rmSync(filler);
      const next = stored.length;
      expect(queue.enqueue(chunkInput(RECORDING_A, 'ecg', next, { samples: 10_000 })).chunkIndex).toBe(next);
      db.close();
      db = openDb(dataDir); // passes the integrity check
      cleanups.push(() => db.close());
      queue = openQueue(db, clock);
      const reopened = queue.itemsOfRecording(RECORDING_A);
      expect(reopened.map((i) => i.chunkIndex)).toEqual([...stored, next]);
      for (const item of reopened) expect(queue.get(item.id).sha256).toBe(item.sha256);
    });

    it('refuses to create the database on a full disk with disk_full, and creates it once space is freed', (context) => {
      if (!mounted) {
        context.skip('mounting a tmpfs needs root');
        return;
      }
      const dataDir = join(mountPoint, 'fresh');
      const filler = join(mountPoint, 'filler-all');
      // fill the file system to the last block (a write past the end fails with ENOSPC)
      const fd = openSync(filler, 'w');
      const block = Buffer.alloc(4096, 1);
      try {
        for (;;) writeSync(fd, block);
      } catch (error) {
        expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
      } finally {
        closeSync(fd);
      }
      let caught: unknown;
      try {
        openDb(dataDir).close();
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(GatewayDatabaseError);
      expect((caught as GatewayDatabaseError).code).toBe('disk_full');
      expect((caught as GatewayDatabaseError).message).toMatch(/is full while opening: free disk space/);
      rmSync(filler);
      const db = openDb(dataDir);
      expect(db.prepare("SELECT version FROM schema_migrations WHERE set_name = 'queue'").get()).toEqual({
        version: 1,
      });
      db.close();
    });
  });
});
