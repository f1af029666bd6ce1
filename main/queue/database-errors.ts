/**
 * Errors of the gateway database and the mapping of SQLite's result codes to them, so that a full
 * disk, a failing disk or a damaged file reach staff and IT in plain words instead of as
 * `SqliteError: database or disk is full`.
 */
import Database from 'better-sqlite3';

export type GatewayDatabaseErrorCode =
  /** The file is not a SQLite database or failed the integrity check; it was left untouched. */
  | 'database_damaged'
  /** A newer build of PulseWatch wrote the file; this build refuses to write to it. */
  | 'schema_too_new'
  /** SQLite reported SQLITE_FULL: the disk (or the database's page limit) is full. */
  | 'disk_full'
  /** SQLite reported an I/O error reading or writing the file. */
  | 'disk_error'
  /** The data folder or the file could not be opened (permissions, a folder in its place, locked). */
  | 'cannot_open'
  /** The migration sets passed by the wiring code are invalid (a programming error). */
  | 'invalid_migrations';

/** An error opening or migrating the gateway database; `code` is stable, the message is for people. */
export class GatewayDatabaseError extends Error {
  override readonly name = 'GatewayDatabaseError';

  constructor(
    readonly code: GatewayDatabaseErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** SQLite's extended result code (`SQLITE_FULL`, `SQLITE_IOERR_WRITE`, …) of an error, if it is one. */
export function sqliteCode(error: unknown): string | undefined {
  return error instanceof Database.SqliteError ? error.code : undefined;
}

/** The kind of storage failure behind a SQLite error, or undefined for any other error. */
export function storageFailure(error: unknown): 'disk_full' | 'disk_error' | 'database_damaged' | undefined {
  const code = sqliteCode(error);
  if (code === undefined) return undefined;
  if (code === 'SQLITE_FULL') return 'disk_full';
  if (code.startsWith('SQLITE_IOERR')) return 'disk_error';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'database_damaged';
  return undefined;
}

/** What IT should do about a damaged file: keep it, since it may hold data not yet uploaded. */
export function damagedAdvice(file: string, detail: string): string {
  return (
    `The gateway database ${file} is damaged (${detail}). PulseWatch has not changed or deleted it. ` +
    `IT: stop the gateway, copy the whole data folder somewhere safe (the file may hold recordings ` +
    `not yet uploaded), then restore ${file} from a backup, or move it aside so the gateway starts ` +
    `with an empty one, and send the copy to support for recovery.`
  );
}

/** Maps a SQLite error met while `doing` something with `file` to a GatewayDatabaseError. */
export function toGatewayDatabaseError(error: unknown, file: string, doing: string): Error {
  if (error instanceof GatewayDatabaseError) return error;
  const message = error instanceof Error ? error.message : String(error);
  switch (storageFailure(error)) {
    case 'disk_full':
      return new GatewayDatabaseError(
        'disk_full',
        `The disk holding ${file} is full while ${doing}: free disk space, then restart the gateway. ` +
          `Nothing was half-written.`,
        { cause: error },
      );
    case 'disk_error':
      return new GatewayDatabaseError(
        'disk_error',
        `The disk failed while ${doing} ${file} (${message}): check the disk and its free space; ` +
          `the last complete transaction is kept.`,
        { cause: error },
      );
    case 'database_damaged':
      return new GatewayDatabaseError('database_damaged', damagedAdvice(file, message), { cause: error });
    default:
      break;
  }
  const code = sqliteCode(error);
  if (code !== undefined && /^SQLITE_(CANTOPEN|READONLY|PERM|AUTH|BUSY|LOCKED)/.test(code)) {
    return new GatewayDatabaseError(
      'cannot_open',
      `Cannot open ${file} while ${doing} (${message}): check that the data folder belongs to the ` +
        `user running PulseWatch and that no other copy of the gateway is using it.`,
      { cause: error },
    );
  }
  return error instanceof Error ? error : new Error(message);
}
