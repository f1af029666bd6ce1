/** The SQLite store: better-sqlite3 in WAL mode, the default for a small clinic. */
import BetterSqlite3 from 'better-sqlite3';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely } from 'kysely';
import { KyselyStore } from './kysely-store.js';
import { migrate } from './migrations.js';
import { FairSqliteDialect } from './sqlite-driver.js';
import type { Database } from './schema.js';

/** File name of the SQLite database inside the data folder. */
export const SQLITE_FILE_NAME = 'pulsewatch.sqlite';

/**
 * Opens (creating when missing) the SQLite database at `path`, applies pending migrations and
 * returns the store. `synchronous = FULL`: every commit is synced to the WAL before it returns, so
 * a chunk the server has acknowledged survives a power cut, not only a crash (the gateway deletes
 * its copy on the acknowledgement); chunk writes are group-committed, one sync per group.
 * `busy_timeout` lets a concurrent backup or CLI command wait, not fail. `secure_delete`
 * overwrites deleted content with zeros, so an erased patient's plaintext does not stay in free pages.
 */
export async function openSqliteStore(path: string, now: () => number = Date.now): Promise<KyselyStore> {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // Patient data: owner-only. SQLite gives the -wal and -shm files the same mode.
    if (!existsSync(path)) writeFileSync(path, '', { mode: 0o600 });
  }
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('secure_delete = ON');
  const dialect = new FairSqliteDialect(sqlite);
  const db = new Kysely<Database>({ dialect });
  await migrate(db, 'sqlite', now);
  const store = new KyselyStore(db, 'sqlite');
  store.writeHealth = dialect.health;
  store.sqliteExclusive = (work) => dialect.exclusive(work);
  return store;
}
