/**
 * PostgreSQL's hot write path: a chunk and its rows in one statement, prepared once per pooled
 * connection (see KyselyStore.putChunk; SQLite's counterpart is sqlite-chunk-writes.ts).
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { WireValue } from './postgres-wire.js';
import { postgresRowCtes } from './series-inserts.js';
import { chunkRowValues } from './sqlite-chunk-writes.js';
import type { ChunkInput, PutChunkOutcome } from './store.js';

/**
 * Runs a statement prepared under `name` on a pooled connection, answering each row as its
 * columns' text (see postgres-wire.ts; set by openPostgresStore).
 */
export type PostgresWire = (
  name: string,
  text: string,
  parameters: readonly WireValue[],
) => Promise<(string | null)[][]>;

/**
 * The chunk and its rows in one statement (data-modifying CTEs; a statement is its own
 * transaction), one round trip instead of begin, two inserts and commit. The rows go in only if
 * the chunk's insert did; the statement also reads the hash already stored under the key, as of
 * its start. Its text depends only on which row tables it fills, so with `prepared` it is a named
 * statement per such set: PostgreSQL parses and plans it once per connection, not per chunk.
 */
export async function writeChunkPostgres(
  db: Kysely<Database>,
  wire: PostgresWire | undefined,
  c: ChunkInput,
): Promise<PutChunkOutcome> {
  const parameters: WireValue[] = chunkRowValues(c);
  const rows = postgresRowCtes(c.rows, 'stored', 1, 3, parameters.length + 1);
  parameters.push(...rows.parameters);
  const text = [
    'with stored as (insert into chunks (recording_id, stream, chunk_index, sha256, size_bytes, start_ms, end_ms, sample_count, blob, received_at_ms)',
    'values ($1::text, $2::text, $3::integer, $4, $5, $6, $7, $8, $9, $10)',
    'on conflict (recording_id, stream, chunk_index) do nothing returning 1)',
    ...rows.ctes.map((cte) => `, ${cte}`),
    'select (select count(*) from stored) as stored,',
    '(select sha256 from chunks where recording_id = $1 and stream = $2 and chunk_index = $3) as existing',
  ].join(' ');
  type Row = { stored: string | number | null; existing: string | null };
  // The CTEs' first words (hr, accel, ..., trend): all seven fit PostgreSQL's 63-byte names, which
  // it would otherwise cut, so that two sets with a long common start would share one name.
  const name = `put-chunk:${rows.ctes.map((cte) => cte.slice(0, cte.indexOf('_'))).join(',')}`;
  let row: Row | undefined;
  if (wire) {
    const columns = (await wire(name, text, parameters))[0];
    row = columns && { stored: columns[0] ?? null, existing: columns[1] ?? null };
  } else row = (await db.executeQuery<Row>(CompiledQuery.raw(text, parameters))).rows[0];
  if (row !== undefined && Number(row.stored) === 1) return 'stored';
  // Not stored and nothing seen: a concurrent first upload committed after this statement began.
  const existing =
    row?.existing ??
    (
      await db
        .selectFrom('chunks')
        .select('sha256')
        .where('recording_id', '=', c.recordingId)
        .where('stream', '=', c.stream)
        .where('chunk_index', '=', c.index)
        .executeTakeFirstOrThrow()
    ).sha256;
  return existing === c.sha256 ? 'duplicate' : 'conflict';
}
