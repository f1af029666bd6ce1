/**
 * PostgreSQL: the upload's context read (the gateway, and the recording if any) through our own
 * wire path (postgres-wire.ts), once per chunk: its columns are named here in a fixed order and
 * come back as text, so `pg` need not describe and parse the 19-column result every time.
 */
import type { Selectable } from 'kysely';
import type { PostgresWire } from './postgres-chunk-writes.js';
import type { RecordingsTable } from './schema.js';

/** The context row as the SQLite path also reads it (`r.*` beside the gateway's two columns). */
export type UploadContextRow = Selectable<RecordingsTable> & {
  gw_revoked_at_ms: number | null;
  gw_last_seen_at_ms: number | null;
};

type Kind = 'text' | 'number';

/** Every column of the row, in the statement's order, with how its text is read. */
const COLUMNS = [
  ['gw_revoked_at_ms', 'number'],
  ['gw_last_seen_at_ms', 'number'],
  ['id', 'text'],
  ['patient_id', 'text'],
  ['gateway_id', 'text'],
  ['operator_id', 'text'],
  ['operator_name', 'text'],
  ['devices_json', 'text'],
  ['simulated', 'number'],
  ['started_at_ms', 'number'],
  ['ended_at_ms', 'number'],
  ['ecg_sample_rate_hz', 'number'],
  ['mains_hz', 'number'],
  ['summary_json', 'text'],
  ['final_counts_json', 'text'],
  ['voided_at_ms', 'number'],
  ['void_reason', 'text'],
  ['created_at_ms', 'number'],
  ['processing_json', 'text'],
] as const satisfies readonly (readonly [keyof UploadContextRow, Kind])[];

/** A compile-time check that COLUMNS names every column of the row (a new one must be added). */
type Unlisted = Exclude<keyof UploadContextRow, (typeof COLUMNS)[number][0]>;
const _everyColumnListed: [Unlisted] extends [never] ? true : never = true;

/** The gateway row drives the left join: an unknown gateway yields no row, an unknown recording nulls. */
const UPLOAD_CONTEXT_SQL =
  `select g.revoked_at_ms, g.last_seen_at_ms, ${COLUMNS.slice(2)
    .map(([column]) => `r.${column}`)
    .join(', ')} ` + 'from gateways g left join recordings r on r.id = $1 where g.id = $2';

/** Reads the context of an upload by `gatewayId` to `recordingId` (no row: unknown gateway). */
export async function readUploadContextPostgres(
  wire: PostgresWire,
  gatewayId: string,
  recordingId: string,
): Promise<UploadContextRow[]> {
  const rows = await wire('upload-context-wire', UPLOAD_CONTEXT_SQL, [recordingId, gatewayId]);
  return rows.map((values) => {
    if (values.length !== COLUMNS.length)
      throw new Error(`upload context: ${values.length} columns, expected ${COLUMNS.length}`);
    const row: Record<string, string | number | null> = {};
    COLUMNS.forEach(([column, kind], i) => {
      const text = values[i] ?? null;
      row[column] = text === null || kind === 'text' ? text : Number(text);
    });
    return row as unknown as UploadContextRow;
  });
}
