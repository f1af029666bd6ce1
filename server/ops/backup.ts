/**
 * Online backup and restore.
 *
 * SQLite: SQLite's online backup API (through better-sqlite3) copies every page in one step, so
 * the copy is one consistent snapshot taken under a read transaction while the server keeps
 * writing (WAL mode lets writers go on); the copy is then gzip-compressed.
 * PostgreSQL: `pg_dump --format=custom` (a consistent snapshot by MVCC, compressed), restored
 * with `pg_restore --clean --if-exists`. The client must be the same major version as the server
 * (Debian bookworm's `postgresql-client` is 15, so the embedded server is pinned to 15.x).
 *
 * Secrets (signing secret, patient-details key) are not in the backup: keep them separately,
 * or identifying details cannot be read after a restore.
 */
import BetterSqlite3 from 'better-sqlite3';
import { execFile } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGunzip, createGzip } from 'node:zlib';

const run = promisify(execFile);
const SQLITE_SUFFIX = '.sqlite.gz';
const PG_SUFFIX = '.pgdump';

/** Raised when a backup or restore cannot be done; says what to do. */
export class BackupError extends Error {
  readonly code = 'backup_failed';
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

function stamp(nowMs: number): string {
  return new Date(nowMs).toISOString().replace(/[:.]/g, '-');
}

/** Backs up the SQLite database at `dbPath` into `dir`; returns the backup file. */
export async function backupSqlite(dbPath: string, dir: string, nowMs = Date.now()): Promise<string> {
  if (!existsSync(dbPath)) throw new BackupError(`no database at ${dbPath}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const target = join(dir, `pulsewatch-${stamp(nowMs)}${SQLITE_SUFFIX}`);
  const raw = `${target}.tmp`;
  // Created owner-only before SQLite writes the copy into it (SQLite would create it with the umask's mode).
  writeFileSync(raw, '', { mode: 0o600 });
  const source = new BetterSqlite3(dbPath, { readonly: true, fileMustExist: true });
  try {
    source.pragma('busy_timeout = 10000');
    // After the first (sizing) step, copy every remaining page in one step: one consistent snapshot.
    await source.backup(raw, { progress: () => 0x7fffffff });
  } finally {
    source.close();
  }
  await pipeline(
    createReadStream(raw),
    createGzip({ level: 6 }),
    createWriteStream(`${target}.part`, { mode: 0o600 }),
  );
  rmSync(raw, { force: true });
  renameSync(`${target}.part`, target);
  return target;
}

/** The newest backup with `suffix` in `dirOrFile` (or the file itself). */
export function findBackup(dirOrFile: string, suffix: string): string {
  if (!existsSync(dirOrFile)) throw new BackupError(`${dirOrFile} does not exist`);
  if (statSync(dirOrFile).isFile()) return dirOrFile;
  const files = readdirSync(dirOrFile)
    .filter((f) => f.startsWith('pulsewatch-') && f.endsWith(suffix))
    .sort();
  const newest = files[files.length - 1];
  if (newest === undefined) throw new BackupError(`no pulsewatch-*${suffix} backup in ${dirOrFile}`);
  return join(dirOrFile, newest);
}

/**
 * Restores a SQLite backup into `dbPath`. Refuses to overwrite an existing database unless
 * `force` (stop the server first). The restored file is checked with `integrity_check`.
 */
export async function restoreSqlite(dirOrFile: string, dbPath: string, force = false): Promise<string> {
  const file = findBackup(dirOrFile, SQLITE_SUFFIX);
  if (existsSync(dbPath) && !force)
    throw new BackupError(`${dbPath} exists; stop the server and pass --force to replace it`);
  mkdirSync(dirname(dbPath), { recursive: true, mode: 0o700 });
  const staging = join(dirname(dbPath), `.${basename(dbPath)}.restore`);
  await pipeline(createReadStream(file), createGunzip(), createWriteStream(staging, { mode: 0o600 }));
  const check = new BetterSqlite3(staging, { readonly: true });
  const result = check.pragma('integrity_check', { simple: true });
  check.close();
  if (result !== 'ok') {
    rmSync(staging, { force: true });
    throw new BackupError(`backup ${file} fails integrity_check: ${String(result)}`);
  }
  for (const suffix of ['-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
  renameSync(staging, dbPath);
  return file;
}

/**
 * The database URL without its password, and the password in `PGPASSWORD`: a password on the
 * command line is visible to every user of the machine (`ps`), the environment is not.
 */
export function pgConnection(databaseUrl: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = url.password !== '' ? decodeURIComponent(url.password) : url.searchParams.get('password');
  url.password = '';
  url.searchParams.delete('password');
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (password !== null) env.PGPASSWORD = password;
  return { dbname: url.toString(), env };
}

async function pgTool(tool: 'pg_dump' | 'pg_restore', args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  try {
    await run(tool, args, { maxBuffer: 16 * 1024 * 1024, env });
  } catch (err) {
    const e = err as { code?: string; stderr?: string };
    if (e.code === 'ENOENT')
      throw new BackupError(
        `${tool} not found: install the PostgreSQL client (apt-get install postgresql-client)`,
      );
    throw new BackupError(`${tool} failed: ${(e.stderr ?? String(err)).trim()}`);
  }
}

/** Backs up a PostgreSQL database with pg_dump into `dir`; returns the dump file. */
export async function backupPostgres(databaseUrl: string, dir: string, nowMs = Date.now()): Promise<string> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const target = join(dir, `pulsewatch-${stamp(nowMs)}${PG_SUFFIX}`);
  const { dbname, env } = pgConnection(databaseUrl);
  await pgTool(
    'pg_dump',
    ['--format=custom', '--no-owner', '--file', `${target}.part`, '--dbname', dbname],
    env,
  );
  renameSync(`${target}.part`, target);
  return target;
}

/** Restores the newest dump in `dirOrFile` into the database at `databaseUrl` (replacing our tables). */
export async function restorePostgres(dirOrFile: string, databaseUrl: string): Promise<string> {
  const file = findBackup(dirOrFile, PG_SUFFIX);
  const { dbname, env } = pgConnection(databaseUrl);
  await pgTool(
    'pg_restore',
    ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--dbname', dbname, file],
    env,
  );
  return file;
}

/** Deletes backups in `dir` older than `keepDays` (the research server kept 30 days). Returns what it removed. */
export function pruneBackups(dir: string, keepDays: number, nowMs = Date.now()): string[] {
  const removed: string[] = [];
  for (const f of readdirSync(dir)) {
    if (!f.startsWith('pulsewatch-') || !(f.endsWith(SQLITE_SUFFIX) || f.endsWith(PG_SUFFIX))) continue;
    const path = join(dir, f);
    if (nowMs - statSync(path).mtimeMs > keepDays * 86_400_000) {
      rmSync(path);
      removed.push(path);
    }
  }
  return removed;
}
