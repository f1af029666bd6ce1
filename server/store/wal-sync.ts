/**
 * The durability barrier of the SQLite store: with `synchronous = NORMAL` in WAL mode a commit
 * writes its frames to the `-wal` file without syncing it, and this syncs the file (fdatasync, on
 * libuv's thread pool) before a write is acknowledged. So an acknowledged write is on disk as with
 * `synchronous = FULL`, but the sync no longer holds the event loop (and the one connection): the
 * next group of chunks is written while the previous one's sync runs, and every commit made while
 * a sync is running shares the next one.
 *
 * Why syncing the `-wal` file is enough: a committed transaction is its frames in the WAL (with
 * their checksums and commit marker), and SQLite's checkpoints sync the WAL before they copy it
 * into the database file and sync the database file before the WAL is reused. The file stays the
 * same inode while the database is open (SQLite truncates it, never replaces it; it is deleted only
 * when the last connection closes after a full checkpoint), so one descriptor serves.
 *
 * A failed sync is final (fail-stop, as PostgreSQL panics on a failed fsync): the kernel may have
 * dropped the unsynced pages and reports that once, so a later sync could succeed without them,
 * and the committed but lost chunk would then be answered "already stored" to its retry. From the
 * first failure every sync is refused with it: no write or duplicate is acknowledged again until
 * the server restarts, when SQLite's recovery keeps only the WAL frames that reached the disk and
 * the gateways upload the rest again.
 */
import { closeSync, fdatasync, openSync } from 'node:fs';

/** A sync of the WAL failed: writes since the last good sync may not be on disk. */
export class WalSyncError extends Error {
  readonly code = 'wal_sync_failed';

  constructor(walPath: string, cause: NodeJS.ErrnoException) {
    super(
      `could not sync ${walPath} to disk (${cause.code ?? cause.message}); no write is acknowledged until the server restarts`,
      { cause },
    );
    this.name = 'WalSyncError';
  }
}

export type Datasync = (fd: number, callback: (err: NodeJS.ErrnoException | null) => void) => void;

export class WalSync {
  private fd: number | undefined;
  /** The sync in progress, if any. */
  private running: Promise<void> | undefined;
  /** The sync that starts once `running` ends, shared by every commit made meanwhile. */
  private next: Promise<void> | undefined;
  /** Syncs completed so far (for tests and metrics). */
  completed = 0;
  /** The first failed sync's error; every sync after it is refused with it. */
  failure: WalSyncError | undefined;
  /** Told once, of the first failed sync (the store's health reports it). */
  onFailure: (err: WalSyncError) => void = () => {};

  /**
   * @param walPath the database's `-wal` file (it exists once the first commit has been made).
   * @param datasync the system call; Node's `fs.fdatasync` unless a test observes it.
   */
  constructor(
    private readonly walPath: string,
    private readonly datasync: Datasync = fdatasync,
  ) {}

  /**
   * Resolves once every frame committed before this call is on disk: joins a sync that has not
   * started yet, or starts one (after the running one, which may have begun before the commit).
   */
  sync(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.running === undefined) {
      this.running = this.run();
      return this.running;
    }
    this.next ??= this.running
      .catch(() => {})
      .then(() => {
        this.next = undefined;
        this.running = this.run();
        return this.running;
      });
    return this.next;
  }

  private run(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      try {
        this.fd ??= openSync(this.walPath, 'r');
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      this.datasync(this.fd, (err) => {
        if (err) {
          if (this.failure === undefined) {
            this.failure = new WalSyncError(this.walPath, err);
            this.onFailure(this.failure);
          }
          reject(this.failure);
        } else {
          this.completed++;
          resolve();
        }
      });
    }).finally(() => {
      if (this.next === undefined) this.running = undefined;
    });
  }

  /** Closes the descriptor (after the database is closed). */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
