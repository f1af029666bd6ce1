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
 */
import { closeSync, fdatasync, openSync } from 'node:fs';

export type Datasync = (fd: number, callback: (err: NodeJS.ErrnoException | null) => void) => void;

export class WalSync {
  private fd: number | undefined;
  /** The sync in progress, if any. */
  private running: Promise<void> | undefined;
  /** The sync that starts once `running` ends, shared by every commit made meanwhile. */
  private next: Promise<void> | undefined;
  /** Syncs completed so far (for tests and metrics). */
  completed = 0;

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
        if (err) reject(err);
        else {
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
