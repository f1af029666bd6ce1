/**
 * What IT sees while a backup or restore runs: progress events (bytes of a file streamed, tables
 * dumped or restored) and a final summary (file, bytes, tables and their rows, duration), with
 * the lines the CLI prints for them.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { Transform } from 'node:stream';
import pg from 'pg';

/** One step of a backup or restore. `done`/`total` count `unit`s; `table` names the table at hand. */
export interface BackupProgress {
  step: 'copy' | 'compress' | 'decompress' | 'check' | 'count' | 'dump' | 'restore';
  done: number;
  total: number;
  unit: 'bytes' | 'tables' | 'pages';
  table?: string;
}

/** Receives progress events; the CLI prints them, tests record them. */
export type OnBackupProgress = (progress: BackupProgress) => void;

/** A table and its row count. */
export interface TableRows {
  table: string;
  rows: number;
}

/** What a finished backup or restore reports. */
export interface BackupSummary {
  /** The backup file written or read. */
  file: string;
  /** Size of that file. */
  fileBytes: number;
  /** Size of the database itself (uncompressed). */
  databaseBytes: number;
  tables: TableRows[];
  /** False when row counts are PostgreSQL's statistics (estimates), not counted. */
  rowsExact: boolean;
  durationMs: number;
}

/** Reports progress at most every `stepFraction` of `totalBytes` (and at the end). */
export function progressStream(
  step: BackupProgress['step'],
  totalBytes: number,
  onProgress: OnBackupProgress | undefined,
  stepFraction = 0.1,
): Transform {
  let done = 0;
  let reported = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      done += chunk.length;
      if (onProgress && (done - reported >= totalBytes * stepFraction || done === totalBytes)) {
        reported = done;
        onProgress({ step, done, total: totalBytes, unit: 'bytes' });
      }
      callback(null, chunk);
    },
  });
}

/** Every table of a SQLite database with its exact row count (internal sqlite_ tables left out). */
export function sqliteTableRows(db: BetterSqlite3.Database): TableRows[] {
  const names = db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all();
  return names.map(({ name }) => ({
    table: name,
    rows: db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM "${name.replace(/"/g, '""')}"`).get()!.n,
  }));
}

/**
 * The tables of a PostgreSQL database with rows: exact (`count(*)`, for a restore, where the
 * restored copy is what matters) or the statistics' live-row estimates (for a backup of a busy
 * database, where counting every row would read it all a second time). Partitions are counted in
 * their parent. Also returns the database's size and how many tables hold data (partitions each
 * count: pg_dump dumps them one by one).
 */
export async function postgresTableRows(
  databaseUrl: string,
  exact: boolean,
): Promise<{ tables: TableRows[]; databaseBytes: number; dataTables: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  // a connection lost during a query rejects that query; one lost between them is emitted here,
  // and without a listener it would end the process (the server's pool listens the same way)
  client.on('error', () => {});
  await client.connect();
  try {
    const listed = await client.query<{ name: string; estimate: string }>(
      // a partitioned table's estimate is the sum of its partitions' (it has no statistics of its own)
      `SELECT c.relname AS name,
              (COALESCE(s.n_live_tup, 0) + COALESCE((
                 SELECT sum(ps.n_live_tup) FROM pg_inherits i
                   JOIN pg_stat_user_tables ps ON ps.relid = i.inhrelid
                  WHERE i.inhparent = c.oid), 0))::text AS estimate
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        ORDER BY c.relname`,
    );
    const tables: TableRows[] = [];
    for (const { name, estimate } of listed.rows) {
      if (!exact) {
        tables.push({ table: name, rows: Number(estimate) });
        continue;
      }
      const counted = await client.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM "${name.replace(/"/g, '""')}"`,
      );
      tables.push({ table: name, rows: Number(counted.rows[0]?.n ?? 0) });
    }
    const size = await client.query<{ bytes: string; data_tables: string }>(
      `SELECT pg_database_size(current_database())::text AS bytes,
              (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relkind = 'r')::text AS data_tables`,
    );
    const row = size.rows[0];
    return { tables, databaseBytes: Number(row?.bytes ?? 0), dataTables: Number(row?.data_tables ?? 0) };
  } finally {
    await client.end();
  }
}

/** Bytes as the operator reads them: `1.4 GB`, `512 kB`, `80 B` (powers of 1000). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

const STEP_LABELS: Record<BackupProgress['step'], string> = {
  copy: 'copied',
  compress: 'compressing',
  decompress: 'decompressing',
  check: 'checking integrity',
  count: 'counting rows',
  dump: 'dumping',
  restore: 'restoring',
};

/** One progress line, e.g. `compressing: 40% (1.2 GB of 3.0 GB)` or `dumping: table 3 of 12 (chunks)`. */
export function formatProgress(p: BackupProgress): string {
  const label = STEP_LABELS[p.step];
  if (p.unit === 'bytes') {
    const pct = p.total > 0 ? Math.floor((100 * p.done) / p.total) : 100;
    return `${label}: ${pct}% (${formatBytes(p.done)} of ${formatBytes(p.total)})`;
  }
  if (p.unit === 'pages') return `${label}: ${p.done} pages`;
  if (p.done === 0) return `${label}…`;
  const of = p.total > 0 ? ` of ${p.total}` : '';
  return `${label}: table ${p.done}${of}${p.table !== undefined ? ` (${p.table})` : ''}`;
}

/** The summary lines printed when a backup or restore finishes. */
export function formatSummary(what: 'backup' | 'restore', s: BackupSummary): string[] {
  const rows = s.tables.reduce((sum, t) => sum + t.rows, 0);
  const approx = s.rowsExact ? '' : ' (estimated from database statistics)';
  const widest = Math.max(0, ...s.tables.map((t) => t.table.length));
  return [
    `${what} done in ${(s.durationMs / 1000).toFixed(1)} s: ${s.file}`,
    `  file ${formatBytes(s.fileBytes)}, database ${formatBytes(s.databaseBytes)}, ` +
      `${s.tables.length} tables, ${rows} rows${approx}`,
    ...s.tables.map((t) => `  ${t.table.padEnd(widest)}  ${t.rows}`),
  ];
}
