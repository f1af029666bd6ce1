/**
 * Writing the expanded stream rows (see series.ts for the descriptors): SQLite statements of a few
 * fixed sizes, one `unnest` insert per table on PostgreSQL, and the trend partials beside them.
 */
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import { trendRowsOf } from './trend-rows.js';
import type { Dialect } from './migrations.js';
import type { Database } from './schema.js';
import { SERIES, type SeriesDescriptor } from './series.js';
import type { ExpandedRows, SeriesName } from './store.js';

const KEY_COLUMNS = ['recording_id', 'chunk_index', 'seq', 't_ms'];

/**
 * Rows per INSERT on SQLite, largest first: a chunk's rows go in statements of these sizes only,
 * so each table has at most seven statement texts, all kept prepared by the driver's cache.
 * (Building a 750-row INSERT through the query builder cost more than SQLite took to write it.)
 */
const SQLITE_BATCHES = [64, 32, 16, 8, 4, 2, 1];
const sqliteInsertText = new Map<string, string>();

function sqliteInsert(d: SeriesDescriptor, rows: number): string {
  const key = `${d.table} ${rows}`;
  let text = sqliteInsertText.get(key);
  if (text === undefined) {
    const columns = [...KEY_COLUMNS, ...d.columns];
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    text = `insert into ${d.table} (${columns.join(', ')}) values ${Array<string>(rows).fill(tuple).join(', ')}`;
    sqliteInsertText.set(key, text);
  }
  return text;
}

/**
 * One INSERT for all rows on PostgreSQL, its parameters from `$first` on: the first row's t_ms,
 * then array parameters (each row's t_ms minus that, then one per series column) expanded by
 * `unnest`; seq is the row's position (`with ordinality`). Small offsets cost far less to write
 * as text than epoch ms (~0.1 ms less for an accelerometer chunk's 750 rows), and seq costs
 * nothing to send. The text is the same for any number of rows, and there is no parameter
 * limit. With `gate`, the rows go in only if that CTE returned a row.
 */
function postgresInsert(
  d: SeriesDescriptor,
  recordingParam: number,
  chunkParam: number,
  first: number,
  gate?: string,
): string {
  const arrays = ['bigint', ...d.pgTypes].map((type, i) => `$${first + 1 + i}::${type}[]`);
  const aliases = d.columns.map((_, i) => `c${i}`);
  const values = aliases.map((alias) => `u.${alias}`);
  const columns = [...KEY_COLUMNS, ...d.columns].join(', ');
  const where = gate === undefined ? '' : ` where exists (select 1 from ${gate})`;
  return (
    `insert into ${d.table} (${columns}) select $${recordingParam}::text, $${chunkParam}::integer, ` +
    `(u.n - 1)::integer, $${first}::bigint + u.t, ${values.join(', ')} ` +
    `from unnest(${arrays.join(', ')}) with ordinality as u(t, ${aliases.join(', ')}, n)${where}`
  );
}

/**
 * A PostgreSQL array literal (`{1,2,NULL}`, `{"a","b \\"c\\""}`), sent as one text parameter and
 * cast by the statement (`$n::integer[]`). `pg` would make the same text from a JS array, but
 * quoting and escaping every element through two regular expressions, numbers included: ~0.3 ms
 * of CPU for an accelerometer chunk's 750 rows. Numbers go bare (an all-number array through
 * `join`, the same text for less CPU); strings are quoted with backslashes and double quotes
 * escaped, as PostgreSQL's array input expects.
 */
export function arrayLiteral(values: readonly (string | number | null | undefined)[]): string {
  let numbers = true;
  for (const v of values) if (typeof v !== 'number') numbers = false;
  if (numbers) return `{${values.join(',')}}`;
  let text = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) text += ',';
    const v = values[i];
    if (v === null || v === undefined) text += 'NULL';
    else if (typeof v === 'number') text += String(v);
    else text += `"${v.replace(/[\\"]/g, '\\$&')}"`;
  }
  return `${text}}`;
}

/** The parameters of a PostgreSQL unnest insert (see postgresInsert): base t_ms, offsets, columns. */
function postgresArrays(d: SeriesDescriptor, list: readonly { tMs: number }[]): string[] {
  const base = list[0]?.tMs ?? 0;
  return [
    String(base),
    arrayLiteral(list.map((r) => r.tMs - base)),
    ...d.values.map((value) => arrayLiteral(list.map((row) => value(row as never)))),
  ];
}

/**
 * PostgreSQL: the rows of one chunk as data-modifying CTEs, to go in one statement with the
 * chunk's own insert: each inserts only if the CTE named `gate` returned a row (the chunk was
 * new). `$recordingParam` and `$chunkParam` are the statement's recording id and chunk index;
 * the arrays become parameters from `$firstParam` on.
 */
export function postgresRowCtes(
  rows: ExpandedRows,
  gate: string,
  recordingParam: number,
  chunkParam: number,
  firstParam: number,
): { ctes: string[]; parameters: string[] } {
  const ctes: string[] = [];
  const parameters: string[] = [];
  for (const name of Object.keys(SERIES) as SeriesName[]) {
    const list = rows[name];
    if (!list || list.length === 0) continue;
    const d = SERIES[name];
    const text = postgresInsert(d, recordingParam, chunkParam, firstParam + parameters.length, gate);
    parameters.push(...postgresArrays(d, list));
    ctes.push(`${name}_rows as (${text})`);
  }
  const trend = trendRowsOf(rows);
  if (trend.length > 0) {
    const p = firstParam + parameters.length;
    parameters.push(...trendArrays(trend));
    ctes.push(`trend_rows_insert as (${postgresTrendInsert(recordingParam, chunkParam, p, gate)})`);
  }
  return { ctes, parameters };
}

/** The trend partials of a chunk as three array parameters: source, minute, JSON. */
function trendArrays(trend: ReturnType<typeof trendRowsOf>): string[] {
  return [
    arrayLiteral(trend.map((r) => r.source)),
    arrayLiteral(trend.map((r) => r.bucketMs)),
    arrayLiteral(trend.map((r) => JSON.stringify(r.data))),
  ];
}

function postgresTrendInsert(
  recordingParam: number,
  chunkParam: number,
  first: number,
  gate?: string,
): string {
  const where = gate === undefined ? '' : ` where exists (select 1 from ${gate})`;
  return `insert into trend_rows (recording_id, source, chunk_index, t_ms, data_json) select $${recordingParam}::text, u.s, $${chunkParam}::integer, u.t, u.d from unnest($${first}::text[], $${first + 1}::bigint[], $${first + 2}::text[]) as u(s, t, d)${where}`;
}

/** Inserts the trend partials of one chunk's rows. */
export async function insertTrendRows(
  trx: Kysely<Database>,
  dialect: Dialect,
  recordingId: string,
  chunkIndex: number,
  rows: ExpandedRows,
): Promise<void> {
  const trend = trendRowsOf(rows);
  if (trend.length === 0) return;
  if (dialect === 'postgres') {
    const parameters = [recordingId, chunkIndex, ...trendArrays(trend)];
    await trx.executeQuery(CompiledQuery.raw(postgresTrendInsert(1, 2, 3), parameters));
    return;
  }
  // SQLite: one prepared statement a row (a chunk has a few), no query building on the upload path.
  for (const r of trend)
    await trx.executeQuery(
      CompiledQuery.raw(SQLITE_TREND_INSERT, [
        recordingId,
        r.source,
        chunkIndex,
        r.bucketMs,
        JSON.stringify(r.data),
      ]),
    );
}

const SQLITE_TREND_INSERT =
  'insert into trend_rows (recording_id, source, chunk_index, t_ms, data_json) values (?, ?, ?, ?, ?)';

/** Inserts every expanded row of one chunk. */
export async function insertSeriesRows(
  trx: Transaction<Database>,
  dialect: Dialect,
  recordingId: string,
  chunkIndex: number,
  rows: ExpandedRows,
): Promise<void> {
  if (dialect === 'sqlite') {
    for (const [text, parameters] of sqliteRowStatements(recordingId, chunkIndex, rows))
      await trx.executeQuery(CompiledQuery.raw(text, parameters));
    return;
  }
  for (const name of Object.keys(SERIES) as SeriesName[]) {
    const list = rows[name];
    if (!list || list.length === 0) continue;
    const d = SERIES[name];
    const parameters = [recordingId, chunkIndex, ...postgresArrays(d, list)];
    await trx.executeQuery(CompiledQuery.raw(postgresInsert(d, 1, 2, 3), parameters));
  }
  await insertTrendRows(trx, dialect, recordingId, chunkIndex, rows);
}

/**
 * SQLite: the statements (text, parameters) that insert every expanded row of one chunk and its
 * trend partials; the texts come from a small fixed set, so the driver keeps them all prepared.
 */
export function sqliteRowStatements(
  recordingId: string,
  chunkIndex: number,
  rows: ExpandedRows,
): [string, unknown[]][] {
  const statements: [string, unknown[]][] = [];
  for (const name of Object.keys(SERIES) as SeriesName[]) {
    const list = rows[name];
    if (!list || list.length === 0) continue;
    const d = SERIES[name];
    const width = KEY_COLUMNS.length + d.values.length;
    let seq = 0;
    for (const size of SQLITE_BATCHES) {
      while (list.length - seq >= size) {
        const parameters = new Array<unknown>(size * width);
        let k = 0;
        for (let i = seq; i < seq + size; i++) {
          const row = list[i]!;
          parameters[k++] = recordingId;
          parameters[k++] = chunkIndex;
          parameters[k++] = i;
          parameters[k++] = row.tMs;
          for (const value of d.values) parameters[k++] = value(row as never) ?? null;
        }
        statements.push([sqliteInsert(d, size), parameters]);
        seq += size;
      }
    }
  }
  for (const r of trendRowsOf(rows))
    statements.push([
      SQLITE_TREND_INSERT,
      [recordingId, r.source, chunkIndex, r.bucketMs, JSON.stringify(r.data)],
    ]);
  return statements;
}
