/**
 * The expanded stream rows (hr, accel, measurements, beats, events, battery): one descriptor per
 * series maps records to columns, so insert (series-inserts.ts), query and export are written once.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { parseJsonObject } from './mappers.js';
import type { Database } from './schema.js';
import type { ExportRow, SeriesName, SeriesRow, TimeRange } from './store.js';

type RowTable = 'hr_rows' | 'accel_rows' | 'measurement_rows' | 'beat_rows' | 'event_rows' | 'battery_rows';

export interface SeriesDescriptor {
  table: RowTable;
  columns: readonly string[];
  /** PostgreSQL type of each column (for the array parameters of the bulk insert). */
  pgTypes: readonly string[];
  /**
   * Each column's value from a row, in `columns` order: read straight into the statement's
   * parameters, with no object or array made per row (an accelerometer chunk has 750 rows).
   */
  values: readonly ((row: never) => string | number | null | undefined)[];
  fromColumns: (row: Record<string, unknown>) => Record<string, unknown>;
}

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Column mapping of each series. */
export const SERIES: Record<SeriesName, SeriesDescriptor> = {
  hr: {
    table: 'hr_rows',
    columns: ['bpm', 'confidence'],
    pgTypes: ['double precision', 'double precision'],
    values: [(r: SeriesRow<'hr'>) => r.bpm, (r: SeriesRow<'hr'>) => r.confidence],
    fromColumns: (c) => ({ tMs: num(c.t_ms), bpm: num(c.bpm), confidence: numOrNull(c.confidence) }),
  },
  accel: {
    table: 'accel_rows',
    columns: ['x_mg', 'y_mg', 'z_mg'],
    pgTypes: ['integer', 'integer', 'integer'],
    values: [
      (r: SeriesRow<'accel'>) => r.xMg,
      (r: SeriesRow<'accel'>) => r.yMg,
      (r: SeriesRow<'accel'>) => r.zMg,
    ],
    fromColumns: (c) => ({ tMs: num(c.t_ms), xMg: num(c.x_mg), yMg: num(c.y_mg), zMg: num(c.z_mg) }),
  },
  measurements: {
    table: 'measurement_rows',
    columns: ['data_json'],
    pgTypes: ['text'],
    values: [(r: SeriesRow<'measurements'>) => JSON.stringify(r.data)],
    fromColumns: (c) => ({ tMs: num(c.t_ms), data: parseJsonObject(String(c.data_json), 'measurement') }),
  },
  beats: {
    table: 'beat_rows',
    columns: ['beat_class'],
    pgTypes: ['text'],
    values: [(r: SeriesRow<'beats'>) => r.beatClass],
    fromColumns: (c) => ({ tMs: num(c.t_ms), beatClass: String(c.beat_class) }),
  },
  events: {
    table: 'event_rows',
    columns: ['kind', 'end_ms', 'data_json'],
    pgTypes: ['text', 'bigint', 'text'],
    values: [
      (r: SeriesRow<'events'>) => r.kind,
      (r: SeriesRow<'events'>) => r.endMs,
      (r: SeriesRow<'events'>) => JSON.stringify(r.data),
    ],
    fromColumns: (c) => ({
      tMs: num(c.t_ms),
      kind: String(c.kind),
      endMs: numOrNull(c.end_ms),
      data: parseJsonObject(String(c.data_json), 'event'),
    }),
  },
  battery: {
    table: 'battery_rows',
    columns: ['pct', 'charging'],
    pgTypes: ['integer', 'integer'],
    values: [(r: SeriesRow<'battery'>) => r.pct, (r: SeriesRow<'battery'>) => (r.charging ? 1 : 0)],
    fromColumns: (c) => ({ tMs: num(c.t_ms), pct: num(c.pct), charging: num(c.charging) === 1 }),
  },
};

/**
 * The row tables are chosen at run time from the descriptor, which kysely's static table
 * typing cannot follow; this is the one place the query builder is used untyped.
 */
type LooseDb = Kysely<Record<RowTable | 'recordings', Record<string, unknown>>>;
const loose = (db: Kysely<Database> | Transaction<Database>): LooseDb => db as unknown as LooseDb;

/** Rows of one series of one recording in a time range, by time. */
export async function querySeriesRows<S extends SeriesName>(
  db: Kysely<Database>,
  series: S,
  recordingId: string,
  range: TimeRange,
  limit: number,
  filter: { chunkIndex?: number } = {},
): Promise<SeriesRow<S>[]> {
  const d = SERIES[series];
  let query = loose(db).selectFrom(d.table).selectAll().where('recording_id', '=', recordingId);
  if (filter.chunkIndex !== undefined) query = query.where('chunk_index', '=', filter.chunkIndex);
  const rows = await query
    .where('t_ms', '>=', range.fromMs)
    .where('t_ms', '<', range.toMs)
    .orderBy('t_ms')
    .orderBy('chunk_index')
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => d.fromColumns(r) as unknown as SeriesRow<S>);
}

interface ExportKey {
  tMs: number;
  recordingId: string;
  chunkIndex: number;
  seq: number;
}

/** Patient export by keyset pagination on (t_ms, recording_id, chunk_index, seq). */
export async function* exportSeriesRows<S extends SeriesName>(
  db: Kysely<Database>,
  series: S,
  patientId: string,
  range: TimeRange,
  batchSize: number,
): AsyncGenerator<ExportRow<S>[]> {
  const d = SERIES[series];
  let after: ExportKey | undefined;
  const table = sql.table(d.table);
  for (;;) {
    const keyset = after
      ? sql`and (r.t_ms, r.recording_id, r.chunk_index, r.seq) > (${after.tMs}, ${after.recordingId}, ${after.chunkIndex}, ${after.seq})`
      : sql``;
    const result = await sql<Record<string, unknown>>`
      select r.*, rec.simulated as simulated from ${table} as r
      inner join recordings as rec on rec.id = r.recording_id
      where rec.patient_id = ${patientId} and rec.voided_at_ms is null
        and r.t_ms >= ${range.fromMs} and r.t_ms < ${range.toMs} ${keyset}
      order by r.t_ms, r.recording_id, r.chunk_index, r.seq
      limit ${batchSize}`.execute(db);
    const rows = result.rows;
    if (rows.length === 0) return;
    yield rows.map(
      (r) =>
        ({
          ...d.fromColumns(r),
          recordingId: String(r.recording_id),
          simulated: Number(r.simulated) === 1,
        }) as unknown as ExportRow<S>,
    );
    const last = rows[rows.length - 1]!;
    after = {
      tMs: Number(last.t_ms),
      recordingId: String(last.recording_id),
      chunkIndex: Number(last.chunk_index),
      seq: Number(last.seq),
    };
    if (rows.length < batchSize) return;
  }
}

/** Deletes every expanded row of the given recordings. */
export async function deleteSeriesRows(trx: Transaction<Database>, recordingIds: string[]): Promise<void> {
  if (recordingIds.length === 0) return;
  for (const d of Object.values(SERIES)) {
    await loose(trx).deleteFrom(d.table).where('recording_id', 'in', recordingIds).execute();
  }
  await trx.deleteFrom('trend_rows').where('recording_id', 'in', recordingIds).execute();
}
