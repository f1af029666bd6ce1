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
import { partitionParent } from '../store/partitions.js';
import BetterSqlite3 from 'better-sqlite3';
import { spawn } from 'node:child_process';
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
import { createGunzip, createGzip } from 'node:zlib';
import {
  postgresTableRows,
  progressStream,
  sqliteTableRows,
  type BackupSummary,
  type OnBackupProgress,
} from './backup-progress.js';

/** Options of every backup and restore: the clock (for the file name) and a progress listener. */
export interface BackupOptions {
  nowMs?: number;
  onProgress?: OnBackupProgress;
}
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

/** Backs up the SQLite database at `dbPath` into `dir`; reports progress and returns a summary. */
export async function backupSqlite(
  dbPath: string,
  dir: string,
  { nowMs = Date.now(), onProgress }: BackupOptions = {},
): Promise<BackupSummary> {
  const startedMs = Date.now();
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
    const copied = await source.backup(raw, { progress: () => 0x7fffffff });
    onProgress?.({ step: 'copy', done: copied.totalPages, total: copied.totalPages, unit: 'pages' });
  } finally {
    source.close();
  }
  const snapshot = new BetterSqlite3(raw, { readonly: true, fileMustExist: true });
  const tables = sqliteTableRows(snapshot);
  snapshot.close();
  const databaseBytes = statSync(raw).size;
  await pipeline(
    createReadStream(raw),
    progressStream('compress', databaseBytes, onProgress),
    createGzip({ level: 6 }),
    createWriteStream(`${target}.part`, { mode: 0o600 }),
  );
  rmSync(raw, { force: true });
  renameSync(`${target}.part`, target);
  const fileBytes = statSync(target).size;
  return {
    file: target,
    fileBytes,
    databaseBytes,
    tables,
    rowsExact: true,
    durationMs: Date.now() - startedMs,
  };
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
export async function restoreSqlite(
  dirOrFile: string,
  dbPath: string,
  force = false,
  { onProgress }: BackupOptions = {},
): Promise<BackupSummary> {
  const startedMs = Date.now();
  const file = findBackup(dirOrFile, SQLITE_SUFFIX);
  if (existsSync(dbPath) && !force)
    throw new BackupError(`${dbPath} exists; stop the server and pass --force to replace it`);
  mkdirSync(dirname(dbPath), { recursive: true, mode: 0o700 });
  const staging = join(dirname(dbPath), `.${basename(dbPath)}.restore`);
  const fileBytes = statSync(file).size;
  try {
    await pipeline(
      createReadStream(file),
      progressStream('decompress', fileBytes, onProgress),
      createGunzip(),
      createWriteStream(staging, { mode: 0o600 }),
    );
  } catch (err) {
    rmSync(staging, { force: true });
    throw new BackupError(`backup ${file} cannot be read as gzip: ${(err as Error).message}`);
  }
  onProgress?.({ step: 'check', done: 0, total: 1, unit: 'tables' });
  const check = new BetterSqlite3(staging, { readonly: true });
  let tables;
  try {
    const result = check.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new BackupError(`backup ${file} fails integrity_check: ${String(result)}`);
    tables = sqliteTableRows(check);
  } catch (err) {
    check.close();
    rmSync(staging, { force: true });
    throw err instanceof BackupError
      ? err
      : new BackupError(`backup ${file} is not a database: ${String(err)}`);
  }
  check.close();
  const databaseBytes = statSync(staging).size;
  for (const suffix of ['-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
  renameSync(staging, dbPath);
  return { file, fileBytes, databaseBytes, tables, rowsExact: true, durationMs: Date.now() - startedMs };
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

/**
 * Runs pg_dump or pg_restore with `--verbose` and calls `onTable` for each table it starts on
 * (`dumping contents of table "public.x"`, `processing data for table "public.x"`).
 */
async function pgTool(
  tool: 'pg_dump' | 'pg_restore',
  args: string[],
  env: NodeJS.ProcessEnv,
  onTable: (table: string) => void,
): Promise<void> {
  const child = spawn(tool, ['--verbose', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const problems: string[] = [];
  let pending = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    const lines = (pending + text).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const table = /(?:dumping contents of|processing data for) table "(?:[^"]*\.)?([^"]+)"/.exec(line)?.[1];
      if (table !== undefined) onTable(table);
      else if (/error|fatal|warning/i.test(line)) problems.push(line.trim());
    }
  });
  const exit = await new Promise<{ code: number | null; error?: NodeJS.ErrnoException }>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => resolve({ code: null, error }));
    child.once('close', (code) => resolve({ code }));
  });
  if (exit.error?.code === 'ENOENT')
    throw new BackupError(
      `${tool} not found: install the PostgreSQL client (apt-get install postgresql-client)`,
    );
  if (exit.error !== undefined) throw new BackupError(`${tool} failed: ${exit.error.message}`);
  if (exit.code !== 0)
    throw new BackupError(
      `${tool} failed (exit ${String(exit.code)}): ${problems.join('; ') || pending.trim()}`,
    );
}

/** Backs up a PostgreSQL database with pg_dump into `dir`; reports each table and returns a summary. */
export async function backupPostgres(
  databaseUrl: string,
  dir: string,
  { nowMs = Date.now(), onProgress }: BackupOptions = {},
): Promise<BackupSummary> {
  const startedMs = Date.now();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const target = join(dir, `pulsewatch-${stamp(nowMs)}${PG_SUFFIX}`);
  const { dbname, env } = pgConnection(databaseUrl);
  const { tables, databaseBytes, dataTables } = await pgSummary(databaseUrl, false);
  let done = 0;
  await pgTool(
    'pg_dump',
    ['--format=custom', '--no-owner', '--file', `${target}.part`, '--dbname', dbname],
    env,
    // a partition is reported as its table (chunks_p2026_12 → chunks): operators know tables
    (table) =>
      onProgress?.({
        step: 'dump',
        done: ++done,
        total: dataTables,
        unit: 'tables',
        table: partitionParent(table),
      }),
  );
  renameSync(`${target}.part`, target);
  const fileBytes = statSync(target).size;
  return {
    file: target,
    fileBytes,
    databaseBytes,
    tables,
    rowsExact: false,
    durationMs: Date.now() - startedMs,
  };
}

/** Restores the newest dump in `dirOrFile` into the database at `databaseUrl` (replacing our tables). */
export async function restorePostgres(
  dirOrFile: string,
  databaseUrl: string,
  { onProgress }: BackupOptions = {},
): Promise<BackupSummary> {
  const startedMs = Date.now();
  const file = findBackup(dirOrFile, PG_SUFFIX);
  const { dbname, env } = pgConnection(databaseUrl);
  let done = 0;
  await pgTool(
    'pg_restore',
    ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--dbname', dbname, file],
    env,
    (table) =>
      onProgress?.({
        step: 'restore',
        done: ++done,
        total: 0,
        unit: 'tables',
        table: partitionParent(table),
      }),
  );
  onProgress?.({ step: 'count', done: 0, total: 0, unit: 'tables' });
  const { tables, databaseBytes } = await pgSummary(databaseUrl, true);
  const fileBytes = statSync(file).size;
  return { file, fileBytes, databaseBytes, tables, rowsExact: true, durationMs: Date.now() - startedMs };
}

async function pgSummary(databaseUrl: string, exact: boolean) {
  try {
    return await postgresTableRows(databaseUrl, exact);
  } catch (err) {
    throw new BackupError(`cannot reach the database to count its rows: ${(err as Error).message}`);
  }
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
