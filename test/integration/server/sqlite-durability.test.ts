/**
 * The SQLite store answers a write only once it is on disk. SQLite runs with
 * `synchronous = NORMAL` and the store syncs the WAL itself, off the event loop (wal-sync.ts), so
 * these check that (a) a chunk write is acknowledged only after an fdatasync of the `-wal` file
 * that began after the chunk's bytes were written to it, (b) a process killed with SIGKILL right
 * after acknowledgements keeps every acknowledged chunk and its rows, and (c) the WAL, checkpointed
 * in the background (sqlite-checkpointer.ts), stays bounded under continuous writes.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { fdatasync, fstatSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteCheckpointer } from '../../../server/store/sqlite-checkpointer.js';
import { openSqliteStore } from '../../../server/store/sqlite.js';
import type { ChunkInput } from '../../../server/store/store.js';
import { withRecording } from './store-recording.js';

const dir = mkdtempSync(join(tmpdir(), 'pulsewatch-durability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function chunk(recordingId: string, index: number, bytes: Buffer): ChunkInput {
  return {
    recordingId,
    stream: 'ecg',
    index,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    bytes,
    receivedAtMs: 0,
    startMs: index * 1000,
    endMs: index * 1000 + 1000,
    sampleCount: 500,
    rows: {},
  };
}

describe('SQLite durability', () => {
  it('acknowledges a chunk only after the WAL holding its bytes is synced', async () => {
    const path = join(dir, 'sync.sqlite');
    const syncs: { fd: number; walHadBlob: boolean; release: () => void }[] = [];
    let blob: Buffer | undefined;
    const store = await openSqliteStore(path, Date.now, {
      // The real system call; once the chunk is on its way, held back until the test lets it go.
      datasync: (fd, done) => {
        if (blob === undefined) fdatasync(fd, done);
        else {
          const walHadBlob = readFileSync(`${path}-wal`).includes(blob);
          syncs.push({ fd, walHadBlob, release: () => fdatasync(fd, done) });
        }
      },
    });
    await withRecording(store, 'r-sync');
    // Small enough to sit whole in one page of the WAL, so the test can find it there.
    blob = randomBytes(1_000);
    let acked = false;
    const write = store.putChunk(chunk('r-sync', 0, blob)).then((outcome) => {
      acked = true;
      return outcome;
    });
    while (syncs.length === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    expect(acked).toBe(false);
    const [sync] = syncs;
    expect(sync!.walHadBlob).toBe(true);
    expect(fstatSync(sync!.fd).ino).toBe(statSync(`${path}-wal`).ino);
    syncs.splice(0).forEach((s) => s.release());
    expect(await write).toBe('stored');
    blob = undefined;
    await store.close();
  });

  it('acknowledges nothing after a failed WAL sync, not even the retry of the chunk it lost', async () => {
    const path = join(dir, 'eio.sqlite');
    let failNext = false;
    const store = await openSqliteStore(path, Date.now, {
      // One sync fails with EIO, as a failing disk reports it once; every later call would succeed.
      datasync: (fd, done) => {
        if (!failNext) return fdatasync(fd, done);
        failNext = false;
        done(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
      },
    });
    await withRecording(store, 'r-eio');
    expect(store.writeProblem()).toBeNull();
    failNext = true;
    const lost = chunk('r-eio', 0, randomBytes(1_000));
    await expect(store.putChunk(lost)).rejects.toMatchObject({ code: 'wal_sync_failed' });
    // The chunk is in the database but maybe not on disk: its retry must not be told "stored".
    await expect(store.putChunk(lost)).rejects.toMatchObject({ code: 'wal_sync_failed' });
    await expect(store.putChunk(chunk('r-eio', 1, randomBytes(1_000)))).rejects.toMatchObject({
      code: 'wal_sync_failed',
    });
    expect(store.writeProblem()).toMatch(/could not sync .*eio\.sqlite-wal to disk \(EIO\)/);
    await store.close();
  });

  it('keeps every acknowledged chunk and its rows when the process is killed with SIGKILL', async () => {
    const path = join(dir, 'killed.sqlite');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'sqlite-writer-child.ts'), path],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const acked: number[] = [];
    let errors = '';
    child.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_, signal) => resolve(signal)),
    );
    let buffered = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        buffered += d.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) acked.push(Number(line.split(' ')[1]));
        if (acked.length >= 300) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.once('exit', () => reject(new Error(`writer exited early: ${errors}`)));
    });
    expect(await exited).toBe('SIGKILL');
    const store = await openSqliteStore(path);
    const stored = await store.db
      .selectFrom('chunks')
      .select(['chunk_index', 'sha256', 'blob'])
      .where('recording_id', '=', 'rec-durability')
      .execute();
    const byIndex = new Map(stored.map((c) => [c.chunk_index, c]));
    for (const index of acked) {
      const c = byIndex.get(index);
      expect(c, `acknowledged chunk ${index}`).toBeDefined();
      expect(createHash('sha256').update(c!.blob).digest('hex')).toBe(c!.sha256);
    }
    const rows = await store.db
      .selectFrom('accel_rows')
      .select(({ fn }) => ['chunk_index', fn.countAll<number>().as('n')])
      .where('recording_id', '=', 'rec-durability')
      .groupBy('chunk_index')
      .execute();
    const rowCounts = new Map(rows.map((r) => [r.chunk_index, r.n]));
    for (const index of acked) expect(rowCounts.get(index), `rows of chunk ${index}`).toBe(50);
    await store.close();
  });

  it('keeps the WAL within its bound while chunks are written without a pause', async () => {
    const path = join(dir, 'bounded.sqlite');
    const maxWalBytes = 4 * 1024 * 1024;
    const store = await openSqliteStore(path, Date.now, {
      checkpoint: { everyBytes: 512 * 1024, maxWalBytes },
    });
    await withRecording(store, 'r-wal');
    let largest = 0;
    for (let group = 0; group < 40; group++) {
      await Promise.all(
        Array.from({ length: 8 }, (_, k) =>
          store.putChunk(chunk('r-wal', group * 8 + k, randomBytes(50_000))),
        ),
      );
      largest = Math.max(largest, statSync(`${path}-wal`).size);
    }
    // 16 MB written; the WAL holds at most its bound plus one group of 8 x 50 kB (and page overhead).
    expect(largest).toBeLessThan(maxWalBytes + 1024 * 1024);
    const count = await store.db
      .selectFrom('chunks')
      .select(({ fn }) => fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(320);
    await store.close();
  });

  it('checkpoints other writes too, within its idle delay, so the WAL is reused', async () => {
    const path = join(dir, 'idle.sqlite');
    const store = await openSqliteStore(path, Date.now, { checkpoint: { idleMs: 20 } });
    await withRecording(store, 'r-idle');
    const hooks = store.sqliteChunkHooks as unknown as { completed: number };
    const before = hooks.completed;
    await store.endRecording('r-idle', 1000, { ecg: 0 }, {});
    const deadline = Date.now() + 10_000;
    while (hooks.completed === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(hooks.completed).toBeGreaterThan(before);
    await store.close();
  });

  it('hands checkpoints back to the writer when its worker cannot open the database', async () => {
    const failures: string[] = [];
    const checkpointer = new SqliteCheckpointer(
      join(dir, 'missing', 'nothing.sqlite'),
      { pageBytes: 4096, maxWalBytes: 1024 },
      (message) => failures.push(message),
    );
    while (failures.length === 0) await new Promise((r) => setTimeout(r, 10));
    expect(failures[0]).toMatch(/nothing\.sqlite|directory|exist/i);
    // Writes are never held for a checkpointer that is gone.
    checkpointer.wrote(10_000);
    await checkpointer.beforeWrite();
    await checkpointer.close();
    expect(failures).toHaveLength(1);
  });
});
