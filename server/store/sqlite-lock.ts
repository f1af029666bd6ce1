/**
 * SQLite is the single-process embedded store: one server process per database file. A second
 * server started on the same file (or a restore while it runs) would share the file with it
 * (SQLite itself would not corrupt it, but this server assumes it is the only writer: group
 * commits, the write-health check, a restore replacing the file under it). So the server holds an
 * exclusive lock beside the database for as long as it runs, and a second one exits with a
 * clear error instead.
 *
 * The lock is SQLite's own (a POSIX lock on `<database>.server-lock`, held by a connection in
 * exclusive locking mode): the kernel releases it when the process ends in any way, kill -9
 * included, so a crash never leaves a stale lock behind. The holder's pid is written beside it
 * (`.server-pid`) only to name it in the error.
 */
import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Exit status of `server start` when the SQLite file is already in use by another server. */
export const STORE_LOCKED_EXIT_CODE = 3;

/** Raised when another process holds the server lock of the SQLite database. */
export class StoreLockedError extends Error {
  readonly code = 'store_locked';
  constructor(message: string) {
    super(message);
    this.name = 'StoreLockedError';
  }
}

/** A held lock; `release()` gives it up (the process ending does too). */
export interface SqliteServerLock {
  release(): void;
}

/**
 * Takes the server lock of the SQLite database at `dbPath` for `purpose` (`server`, `restore`),
 * waiting at most `waitMs` for a previous holder that is just exiting. Throws `StoreLockedError`.
 */
export function lockSqliteDatabase(dbPath: string, purpose: string, waitMs = 1_000): SqliteServerLock {
  const lockPath = `${dbPath}.server-lock`;
  const pidPath = `${dbPath}.server-pid`;
  mkdirSync(dirname(dbPath), { recursive: true, mode: 0o700 });
  const db = new BetterSqlite3(lockPath, { timeout: waitMs });
  try {
    db.pragma('journal_mode = MEMORY');
    db.pragma('locking_mode = EXCLUSIVE');
    // The first write takes the exclusive lock; in this locking mode it is kept until close.
    db.exec('create table if not exists holder (pid integer not null, purpose text not null)');
    db.prepare('delete from holder').run();
    db.prepare('insert into holder (pid, purpose) values (?, ?)').run(process.pid, purpose);
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
    throw new StoreLockedError(
      `${dbPath} is in use by another PulseWatch server (${holderOf(pidPath)}). SQLite is the ` +
        'single-process embedded store: run one server per database file (stop the other one first), ' +
        'or use PostgreSQL (PULSEWATCH_DATABASE_URL) to run several server replicas.',
    );
  }
  writeFileSync(pidPath, `${process.pid} ${purpose}\n`, { mode: 0o600 });
  return {
    release() {
      rmSync(pidPath, { force: true });
      db.close();
    },
  };
}

function holderOf(pidPath: string): string {
  try {
    const [pid, purpose] = readFileSync(pidPath, 'utf8').trim().split(' ');
    return `pid ${pid ?? '?'}${purpose === undefined ? '' : `, ${purpose}`}`;
  } catch {
    return 'pid unknown';
  }
}
