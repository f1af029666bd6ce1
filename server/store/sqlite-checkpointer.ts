/**
 * WAL checkpoints off the write path. SQLite's automatic checkpoint runs inside the commit that
 * crosses its threshold, on the writer's connection: on the server that is the event loop, held
 * for the copy of the WAL into the database file and two syncs (tens of ms every ~40 ECG chunks,
 * a stall every request in flight waits through). Instead the writer runs with
 * `wal_autocheckpoint = 0` and this runs PASSIVE checkpoints on a connection of its own in a
 * worker thread, which copy the WAL while chunks are being written (PASSIVE never blocks the
 * writer, and the writer never waits for it): every ~4 MiB written, and within 10 s of a
 * smaller write (not sooner: each checkpoint syncs the WAL and the database file, and checkpoints
 * once a second under light upload traffic held up the acknowledgements' own WAL syncs, paced
 * p50 4.8-5.7 -> 7.5-8.1 ms).
 *
 * The bound: a WAL is only restarted from its beginning by a write that begins after a
 * checkpoint has copied all of it, which under continuous writes may never happen by chance. So
 * once the WAL holds `maxWalBytes`, the next chunk group waits (asynchronously; the event loop
 * keeps serving) for a checkpoint of everything written, and the write after it restarts the WAL.
 * The WAL then stays within about `maxWalBytes` plus one group.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The worker: one connection, a PASSIVE checkpoint per request, its counts in the reply. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, { fileMustExist: true });
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true, busy: row.busy, log: row.log, checkpointed: row.checkpointed });
  } catch (err) {
    parentPort.postMessage({ ok: false, message: String(err && err.message || err) });
  }
});
`;

type Reply = { ok: true; busy: number; log: number; checkpointed: number } | { ok: false; message: string };

export interface CheckpointerOptions {
  /** Database page size, bytes (WAL frames are pages). */
  pageBytes: number;
  /** Bytes written after which a checkpoint is started. Default 4 MiB (SQLite's own 1000 pages). */
  everyBytes?: number;
  /** WAL size at which writes wait for a checkpoint of all of it. Default 64 MiB. */
  maxWalBytes?: number;
  /** Longest a write waits for a checkpoint when less than `everyBytes` follow it, ms. Default 10 s. */
  idleMs?: number;
}

export class SqliteCheckpointer {
  private readonly worker: Worker;
  private readonly everyBytes: number;
  private readonly maxWalBytes: number;
  private readonly pageBytes: number;
  /** Bytes written since the last checkpoint started (an estimate: what the writer reported). */
  private sinceStart = 0;
  /** WAL size when the last checkpoint started, bytes, plus what was written since. */
  private walBytes = 0;
  private running: Promise<void> | undefined;
  /** Starts a checkpoint of writes too small to reach `everyBytes` soon. */
  private timer: NodeJS.Timeout | undefined;
  private readonly idleMs: number;
  private closed = false;
  /** Checkpoints completed, and the last failure (for tests and readiness). */
  completed = 0;
  lastError: string | null = null;

  /** Set once the worker has failed or exited unasked: the writer checkpoints itself again. */
  private failed = false;
  /** Answers the checkpoint in progress (also with a failure, if the worker dies meanwhile). */
  private answer: ((reply: Reply) => void) | undefined;

  /**
   * @param onFailure called once if the worker fails (it cannot open the database, or dies): the
   *   caller turns the writer's automatic checkpoint back on.
   */
  constructor(
    path: string,
    options: CheckpointerOptions,
    private readonly onFailure: (message: string) => void = () => {},
  ) {
    this.everyBytes = options.everyBytes ?? 4 * 1024 * 1024;
    this.maxWalBytes = options.maxWalBytes ?? 64 * 1024 * 1024;
    this.idleMs = options.idleMs ?? 10_000;
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, path } });
    this.worker.on('message', (reply: Reply) => this.answer?.(reply));
    this.worker.on('error', (err) => this.fail(err.message));
    this.worker.on('exit', (code) => {
      if (!this.closed) this.fail(`the checkpoint worker exited (${code})`);
    });
    // An idle checkpointer must not keep the process alive.
    this.worker.unref();
    this.pageBytes = options.pageBytes;
  }

  private fail(message: string): void {
    if (this.failed) return;
    this.failed = true;
    this.lastError = message;
    clearTimeout(this.timer);
    this.answer?.({ ok: false, message });
    this.onFailure(message);
  }

  /**
   * The writer committed about `bytes`: starts a checkpoint when enough has accumulated, else
   * within `idleMs` of the first write.
   */
  wrote(bytes: number): void {
    this.sinceStart += bytes;
    this.walBytes += bytes;
    if (this.closed || this.failed || this.running !== undefined) return;
    if (this.sinceStart >= this.everyBytes) void this.checkpoint();
    else
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        if (this.running === undefined && !this.closed) void this.checkpoint();
      }, this.idleMs).unref();
  }

  /**
   * Resolves when the writer may go on: at once while the WAL is under its bound; else after a
   * checkpoint of the whole WAL (started now, with the writer waiting), so the next write restarts it.
   */
  async beforeWrite(): Promise<void> {
    if (this.walBytes < this.maxWalBytes || this.closed || this.failed) return;
    if (this.running !== undefined) await this.running;
    if (this.walBytes >= this.maxWalBytes) await this.checkpoint();
  }

  private checkpoint(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.sinceStart = 0;
    const writtenBefore = this.walBytes;
    this.running = new Promise<Reply>((resolve) => {
      if (this.failed) resolve({ ok: false, message: this.lastError ?? 'failed' });
      else {
        this.answer = resolve;
        this.worker.postMessage('checkpoint');
      }
    }).then((reply) => {
      this.answer = undefined;
      this.running = undefined;
      if (!reply.ok) {
        this.lastError = reply.message;
        return;
      }
      this.completed++;
      this.lastError = null;
      // The WAL now: empty if the checkpoint copied all of it and nothing was written meanwhile
      // (the next write restarts it); else what it saw plus what was written while it ran.
      const writtenSince = this.walBytes - writtenBefore;
      this.walBytes =
        reply.checkpointed === reply.log && writtenSince === 0
          ? 0
          : reply.log * this.pageBytes + writtenSince;
    });
    return this.running;
  }

  /** Stops the worker (after its checkpoint in progress, if any). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.running;
    if (this.failed) {
      await this.worker.terminate();
      return;
    }
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.ref();
    this.worker.postMessage('close');
    await exited;
  }
}
