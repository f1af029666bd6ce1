/**
 * Fills `trend_rows` from rows stored before it existed (migration 9): chunk by chunk, so an
 * existing database's recordings get their trends without holding a recording in memory.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from './migrations.js';
import type { Database } from './schema.js';
import { querySeriesRows } from './series.js';
import { insertTrendRows } from './series-inserts.js';
import type { ExpandedRows } from './store.js';

const SOURCES = [
  ['measurements', 'measurement_rows'],
  ['hr', 'hr_rows'],
  ['accel', 'accel_rows'],
  ['battery', 'battery_rows'],
] as const;

const ALL_TIME = { fromMs: 0, toMs: Number.MAX_SAFE_INTEGER };

/** Computes and inserts the trend partials of every stored chunk of the trend sources. */
export async function backfillTrendRows(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  for (const [series, table] of SOURCES) {
    const chunks = await db
      .selectFrom(table)
      .select(['recording_id', 'chunk_index'])
      .distinct()
      .orderBy('recording_id')
      .orderBy('chunk_index')
      .execute();
    for (const c of chunks) {
      const rows = (await querySeriesRows(db, series, c.recording_id, ALL_TIME, Number.MAX_SAFE_INTEGER, {
        chunkIndex: c.chunk_index,
      })) as ExpandedRows[typeof series];
      await insertTrendRows(db, dialect, c.recording_id, c.chunk_index, {
        [series]: rows,
      });
    }
  }
}
