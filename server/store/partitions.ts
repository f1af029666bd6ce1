/**
 * PostgreSQL: the chunk blobs and the row tables partitioned by time (declarative range
 * partitioning, one partition per calendar month). The key is `recording_id`: a UUID v7 starts
 * with its creation time in ms (48 bits, hex), so its text orders by time, a recording's chunks
 * and rows live in the month it started, every primary key already holds the key (idempotent
 * chunk upload stays `ON CONFLICT` on the same columns), and retention drops whole recordings.
 * The key column uses the "C" collation so that text order is byte order whatever the database's
 * locale. Rows of a recording whose month has no partition go to the `_default` partition and
 * are moved out when the month's partition is made.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Tables partitioned by recording month, with their key and time index columns. */
export const PARTITIONED: readonly { table: string; key: string; time: string }[] = [
  {
    table: 'chunks',
    key: 'recording_id, stream, chunk_index',
    time: 'recording_id, stream, start_ms, end_ms',
  },
  { table: 'hr_rows', key: 'recording_id, chunk_index, seq', time: 'recording_id, t_ms' },
  { table: 'accel_rows', key: 'recording_id, chunk_index, seq', time: 'recording_id, t_ms' },
  { table: 'measurement_rows', key: 'recording_id, chunk_index, seq', time: 'recording_id, t_ms' },
  { table: 'beat_rows', key: 'recording_id, chunk_index, seq', time: 'recording_id, t_ms' },
  { table: 'event_rows', key: 'recording_id, chunk_index, seq', time: 'recording_id, t_ms' },
  { table: 'battery_rows', key: 'recording_id, chunk_index, seq', time: 'recording_id, t_ms' },
  { table: 'trend_rows', key: 'recording_id, source, chunk_index, t_ms', time: 'recording_id, t_ms' },
];

/** Months of partitions made ahead of the current one. */
export const MONTHS_AHEAD = 3;

/** The lowest UUID v7 text of ids minted at `ms`: `xxxxxxxx-xxxx` (a prefix sorts before any id). */
export function uuidV7Bound(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}`;
}

/** Creation time (ms) of a UUID v7. */
export function uuidV7Ms(id: string): number {
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

/** Start of the UTC month holding `ms`, and of the `offset`-th month after it. */
export function monthStart(ms: number, offset = 0): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1);
}

export function partitionName(table: string, monthMs: number): string {
  const d = new Date(monthMs);
  return `${table}_p${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** A partition's month (its lower bound) from its name, or undefined for `_default`. */
export function partitionMonth(name: string): number | undefined {
  const m = /_p(\d{4})_(\d{2})$/.exec(name);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, 1) : undefined;
}

/** The partitioned table a partition belongs to (`chunks_p2026_12` → `chunks`), else the name itself. */
export function partitionParent(name: string): string {
  const m = /^(.+)_(?:default|p\d{4}_\d{2})$/.exec(name);
  return m !== null && PARTITIONED.some((p) => p.table === m[1]) ? m[1]! : name;
}

/** Partitions of `table`, by name. */
export async function partitionsOf(db: Kysely<Database>, table: string): Promise<string[]> {
  const r = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = ${table}::regclass order by 1`.execute(db);
  return r.rows.map((row) => row.name);
}

/** Makes `table`'s partition for the month at `monthMs`, moving its rows out of the default. */
async function createMonth(db: Kysely<Database>, table: string, monthMs: number): Promise<void> {
  const name = sql.table(partitionName(table, monthMs));
  const from = uuidV7Bound(monthMs);
  const to = uuidV7Bound(monthStart(monthMs, 1));
  const parent = sql.table(table);
  const fallback = sql.table(`${table}_default`);
  const inRange = sql`recording_id >= ${sql.lit(from)} and recording_id < ${sql.lit(to)}`;
  const moved = sql.table(`${table}_moving`);
  await sql`create temp table ${moved} on commit drop as select * from ${fallback} where ${inRange}`.execute(
    db,
  );
  await sql`delete from ${fallback} where ${inRange}`.execute(db);
  await sql`create table ${name} partition of ${parent} for values from (${sql.lit(from)}) to (${sql.lit(to)})`.execute(
    db,
  );
  await sql`insert into ${parent} select * from ${moved}`.execute(db);
  await sql`drop table ${moved}`.execute(db);
}

/**
 * Makes every missing month partition from `fromMs`'s month to `MONTHS_AHEAD` months after
 * `nowMs`'s, for every partitioned table. Call inside a transaction (the moves are atomic).
 */
export async function ensurePartitions(db: Kysely<Database>, fromMs: number, nowMs: number): Promise<number> {
  let made = 0;
  const last = monthStart(nowMs, MONTHS_AHEAD);
  for (const { table } of PARTITIONED) {
    const existing = new Set(await partitionsOf(db, table));
    for (let month = monthStart(Math.min(fromMs, nowMs)); month <= last; month = monthStart(month, 1)) {
      if (existing.has(partitionName(table, month))) continue;
      await createMonth(db, table, month);
      made++;
    }
  }
  return made;
}

/** Whether `table` is already a partitioned table. */
export async function isPartitioned(db: Kysely<Database>, table: string): Promise<boolean> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from pg_partitioned_table where partrelid = ${table}::regclass`.execute(db);
  return (r.rows[0]?.n ?? 0) > 0;
}
