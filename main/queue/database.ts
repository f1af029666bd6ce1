/**
 * The gateway's one SQLite database, `<dataDir>/gateway.db` (better-sqlite3), shared by the patients
 * store, the recorder's journal, the upload queue and the sync state, so that sealing a chunk
 * (journal rows out, queue item in) is one transaction.
 *
 * Opening it, in order:
 * 1. the data folder is made 0700 and the file and its `-wal`/`-shm` companions 0600 (the file is
 *    created 0600 before SQLite sees it; SQLite gives its companions the file's mode);
 * 2. integrity check (`PRAGMA quick_check`) on a read-only connection, which cannot checkpoint or
 *    rewrite anything: a damaged file or one that is not a database is reported to IT and left
 *    exactly as it was (never deleted, never reset);
 * 3. WAL, `synchronous = FULL` (a committed transaction survives a power cut), foreign keys;
 * 4. each module's migration set, the queue's always (see migrate.ts).
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  damagedAdvice,
  GatewayDatabaseError,
  sqliteCode,
  toGatewayDatabaseError,
} from './database-errors.js';
import { applyMigrations, type MigrationSet } from './migrate.js';
import { QUEUE_MIGRATIONS } from './queue-schema.js';

export type GatewayDatabase = Database.Database;
export { GatewayDatabaseError, type GatewayDatabaseErrorCode } from './database-errors.js';
export type { MigrationSet } from './migrate.js';
export { QUEUE_MIGRATIONS } from './queue-schema.js';

/** The database's file name inside the data folder. */
export const GATEWAY_DB_FILE = 'gateway.db';
const FOLDER_MODE = 0o700;
const FILE_MODE = 0o600;

/** Rows `quick_check` reported, at most this many in the message. */
const MAX_REPORTED_PROBLEMS = 3;

function secureFolder(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: FOLDER_MODE });
    if (!statSync(dataDir).isDirectory()) throw new Error('not a folder');
    chmodSync(dataDir, FOLDER_MODE);
  } catch (error) {
    throw new GatewayDatabaseError(
      'cannot_open',
      `Cannot use the data folder ${dataDir} (${error instanceof Error ? error.message : String(error)}): ` +
        `it must be a folder the user running PulseWatch owns.`,
      { cause: error },
    );
  }
}

/** Creates the file 0600 if absent and tightens it and its companions to 0600. */
function secureFiles(file: string): void {
  try {
    if (!existsSync(file)) {
      try {
        closeSync(openSync(file, 'wx', FILE_MODE));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    if (!statSync(file).isFile()) throw new Error('not a regular file');
    for (const path of [file, `${file}-wal`, `${file}-shm`]) {
      if (existsSync(path)) chmodSync(path, FILE_MODE);
    }
  } catch (error) {
    throw new GatewayDatabaseError(
      'cannot_open',
      `Cannot secure ${file} (${error instanceof Error ? error.message : String(error)}): it must be a ` +
        `regular file the user running PulseWatch owns.`,
      { cause: error },
    );
  }
}

/**
 * `PRAGMA quick_check` on a read-only connection. A read-only connection in WAL mode reads the log
 * but never checkpoints it into the file, so a damaged file stays byte for byte as it was.
 */
function checkIntegrity(file: string): void {
  let check: Database.Database | undefined;
  try {
    check = new Database(file, { readonly: true, fileMustExist: true });
    const rows = check.pragma('quick_check') as { quick_check: string }[];
    const problems = rows.map((r) => r.quick_check).filter((text) => text !== 'ok');
    if (problems.length > 0) {
      const shown = problems.slice(0, MAX_REPORTED_PROBLEMS).join('; ');
      const more =
        problems.length > MAX_REPORTED_PROBLEMS ? ` and ${problems.length - MAX_REPORTED_PROBLEMS} more` : '';
      throw new GatewayDatabaseError('database_damaged', damagedAdvice(file, `${shown}${more}`));
    }
  } catch (error) {
    const code = sqliteCode(error);
    if (code === 'SQLITE_NOTADB') {
      throw new GatewayDatabaseError('database_damaged', damagedAdvice(file, 'it is not a SQLite database'), {
        cause: error,
      });
    }
    throw toGatewayDatabaseError(error, file, 'checking');
  } finally {
    check?.close();
  }
}

function configure(db: Database.Database, file: string): void {
  const mode = db.pragma('journal_mode = WAL', { simple: true }) as string;
  if (mode !== 'wal') {
    throw new GatewayDatabaseError(
      'cannot_open',
      `${file} could not be switched to WAL (it is in ${mode} mode).`,
    );
  }
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
}

/**
 * Opens (creating if needed) `<dataDir>/gateway.db`: folder 0700, files 0600, integrity check,
 * WAL + synchronous FULL + foreign keys, then the queue's and each given set's pending migrations.
 * Throws GatewayDatabaseError: `database_damaged` (file left untouched), `schema_too_new`,
 * `disk_full`, `disk_error`, `cannot_open`, `invalid_migrations`.
 */
export function openGatewayDatabase(dataDir: string, sets: readonly MigrationSet[]): GatewayDatabase {
  const file = join(dataDir, GATEWAY_DB_FILE);
  secureFolder(dataDir);
  secureFiles(file);
  checkIntegrity(file);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true });
    configure(db, file);
    applyMigrations(db, file, [QUEUE_MIGRATIONS, ...sets.filter((s) => s !== QUEUE_MIGRATIONS)]);
    secureFiles(file);
    return db;
  } catch (error) {
    db?.close();
    throw toGatewayDatabaseError(error, file, 'opening');
  }
}
