/**
 * Retention: removes the recordings that started more than N days ago, with their chunks, rows
 * and reports. PostgreSQL drops whole month partitions (no row deletes, no vacuum debt), so a
 * recording is kept until its month has wholly passed the cutoff (up to a month longer than N
 * days); recordings of such months left in the default partition are deleted row by row. SQLite
 * deletes the same recordings' rows (free pages are reused; `VACUUM` returns them to the disk).
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from './migrations.js';
import { monthStart, partitionMonth, partitionsOf, PARTITIONED, uuidV7Bound } from './partitions.js';
import type { Database } from './schema.js';
import type { RetentionResult } from './store.js';

const ROW_TABLES = PARTITIONED.map((p) => p.table);

/** Ids of recordings minted before `boundMs`. */
async function oldRecordings(db: Kysely<Database>, boundMs: number): Promise<string[]> {
  const rows = await db
    .selectFrom('recordings')
    .select('id')
    .where('id', '<', uuidV7Bound(boundMs))
    .execute();
  return rows.map((r) => r.id);
}

async function deleteRecordings(db: Kysely<Database>, ids: string[], dropped: Record<string, number>) {
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    for (const table of [...ROW_TABLES, 'reports'] as const) {
      const r = await sql`delete from ${sql.table(table)} where recording_id in (${sql.join(part)})`.execute(
        db,
      );
      dropped[table] = (dropped[table] ?? 0) + Number(r.numAffectedRows ?? 0);
    }
    await db.deleteFrom('recordings').where('id', 'in', part).execute();
  }
}

/** Applies retention with `cutoffMs`; with `dryRun`, only says what it would remove. */
export async function applyRetention(
  db: Kysely<Database>,
  dialect: Dialect,
  cutoffMs: number,
  dryRun: boolean,
): Promise<RetentionResult> {
  // PostgreSQL keeps whole months: the bound is the start of the cutoff's month.
  const boundMs = dialect === 'postgres' ? monthStart(cutoffMs) : cutoffMs;
  const dropped: Record<string, number> = {};
  const ids = await oldRecordings(db, boundMs);
  if (dialect === 'postgres') {
    for (const table of ROW_TABLES) {
      for (const name of await partitionsOf(db, table)) {
        const month = partitionMonth(name);
        if (month === undefined || monthStart(month, 1) > boundMs) continue;
        dropped[table] = (dropped[table] ?? 0) + 1;
        if (!dryRun) await sql`drop table ${sql.table(name)}`.execute(db);
      }
    }
  }
  if (!dryRun) {
    const byRows: Record<string, number> = {};
    await deleteRecordings(db, ids, byRows);
    // On PostgreSQL the dropped partitions are counted as partitions; rows deleted besides them
    // (recordings in the default partition) are reported under their own key.
    for (const [table, n] of Object.entries(byRows)) {
      if (n === 0) continue;
      const key = dialect === 'postgres' ? `${table} rows` : table;
      dropped[key] = (dropped[key] ?? 0) + n;
    }
  }
  return { cutoffMs: boundMs, recordings: ids.length, dropped };
}
