/** The SQLite store: better-sqlite3 in WAL mode, the default for a small clinic. */
import BetterSqlite3 from 'better-sqlite3';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely } from 'kysely';
import { KyselyStore } from './kysely-store.js';
import { migrate } from './migrations.js';
import { FairSqliteDialect } from './sqlite-driver.js';
import { SqliteCheckpointer, type CheckpointerOptions } from './sqlite-checkpointer.js';
import { WalSync, type Datasync } from './wal-sync.js';
import type { Database } from './schema.js';

/** File name of the SQLite database inside the data folder. */
export const SQLITE_FILE_NAME = 'pulsewatch.sqlite';

/** What tests may vary: the WAL sync's system call, the checkpointer's pacing and bound. */
export interface SqliteTuning {
  datasync?: Datasync;
  checkpoint?: Omit<CheckpointerOptions, 'pageBytes'>;
}

/**
 * Opens (creating when missing) the SQLite database at `path`, applies pending migrations and
 * returns the store. Every committed write is synced to the WAL before it is answered, so a chunk
 * the server has acknowledged survives a power cut, not only a crash (the gateway deletes its copy
 * on the acknowledgement): SQLite runs with `synchronous = NORMAL` and the store syncs the `-wal`
 * file itself on the thread pool before answering (wal-sync.ts), so the sync does not hold the
 * event loop; chunk writes are group-committed, and groups written during a sync share the next.
 * `busy_timeout` lets a concurrent backup or CLI command wait, not fail. `secure_delete`
 * overwrites deleted content with zeros, so an erased patient's plaintext does not stay in free pages.
 */
export async function openSqliteStore(
  path: string,
  now: () => number = Date.now,
  tuning: SqliteTuning = {},
): Promise<KyselyStore> {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // Patient data: owner-only. SQLite gives the -wal and -shm files the same mode.
    if (!existsSync(path)) writeFileSync(path, '', { mode: 0o600 });
  }
  const sqlite = new BetterSqlite3(path);
  const journal = sqlite.pragma('journal_mode = WAL', { simple: true }) as string;
  // In WAL mode the store syncs the WAL itself before answering a write (wal-sync.ts), off the
  // event loop; an in-memory database has no file to sync and keeps SQLite's own syncs.
  const walSync = journal === 'wal' ? new WalSync(`${path}-wal`, tuning.datasync) : undefined;
  sqlite.pragma(walSync ? 'synchronous = NORMAL' : 'synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('secure_delete = ON');
  let checkpointer: SqliteCheckpointer | undefined;
  const dialect = new FairSqliteDialect(
    sqlite,
    walSync,
    async () => {
      await checkpointer?.close();
    },
    (bytes) => checkpointer?.wrote(bytes),
  );
  if (walSync) walSync.onFailure = (err) => (dialect.health.syncFailure = err.message);
  const db = new Kysely<Database>({ dialect });
  await migrate(db, 'sqlite', now);
  if (walSync) {
    // Checkpoints run on a connection of their own in a worker (sqlite-checkpointer.ts).
    sqlite.pragma('wal_autocheckpoint = 0');
    checkpointer = new SqliteCheckpointer(
      path,
      { ...tuning.checkpoint, pageBytes: sqlite.pragma('page_size', { simple: true }) as number },
      // Without its worker the writer checkpoints itself again, as SQLite does by default.
      () => sqlite.pragma('wal_autocheckpoint = 1000'),
    );
  }
  const store = new KyselyStore(db, 'sqlite');
  store.writeHealth = dialect.health;
  store.sqliteExclusive = (work) => dialect.exclusive(work);
  store.sqliteDurable = () => dialect.durable();
  store.sqliteChunkHooks = checkpointer;
  return store;
}
