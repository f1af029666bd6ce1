/**
 * CSV export of one series of one patient over a time range, streamed batch by batch from the
 * store (never the whole export in memory). Times are epoch ms and ISO 8601 UTC; every row says
 * whether its recording was simulated. Identifying columns appear only when the caller asks and
 * is allowed to (admins).
 */
import type { ExportRow, SeriesName, Store, TimeRange } from '../store/store.js';
import { MEASUREMENT_VALUE_FIELDS } from '../../server-contract/api/streams.js';

const BATCH_ROWS = 5_000;

/** RFC 4180 quoting; a text cell starting with = + - @ is prefixed with ' (spreadsheet formula injection). */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

type Cell = string | number | boolean | null | undefined;

const MEASUREMENT_FIELDS = ['windowMs', ...MEASUREMENT_VALUE_FIELDS, 'hrvWindowMs'] as const;

/** Each series' columns after the common ones (the data dictionary describes them). */
export const SERIES_COLUMNS: {
  [S in SeriesName]: { header: string[]; cells: (row: ExportRow<S>) => Cell[] };
} = {
  hr: { header: ['bpm', 'confidence'], cells: (r) => [r.bpm, r.confidence] },
  accel: { header: ['x_mg', 'y_mg', 'z_mg'], cells: (r) => [r.xMg, r.yMg, r.zMg] },
  measurements: {
    header: [
      ...MEASUREMENT_FIELDS.map((f) => f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)),
      'st_uv_json',
      'withheld_json',
    ],
    cells: (r) => [
      ...MEASUREMENT_FIELDS.map((f) => r.data[f] as Cell),
      JSON.stringify(r.data.stUv ?? {}),
      JSON.stringify(r.data.withheld ?? {}),
    ],
  },
  beats: { header: ['beat_class'], cells: (r) => [r.beatClass] },
  events: {
    header: ['kind', 'duration_ms', 'leads', 'note'],
    cells: (r) => [
      r.kind,
      r.data.durationMs as Cell,
      Array.isArray(r.data.leads) ? r.data.leads.join(' ') : '',
      r.data.note as Cell,
    ],
  },
  battery: { header: ['pct', 'charging'], cells: (r) => [r.pct, r.charging] },
};

export interface CsvExportRequest<S extends SeriesName> {
  series: S;
  patientId: string;
  studyCode: string;
  range: TimeRange;
  /** Only this recording's rows (default: every recording of the patient in the range). */
  recordingId?: string | undefined;
  /** Opened identifying details to add as columns, or undefined to leave them out. */
  identity?:
    { name?: string | undefined; phone?: string | undefined; address?: string | undefined } | undefined;
}

/** Yields the CSV text in pieces: a header line, then one piece per store batch. */
export async function* csvExport<S extends SeriesName>(
  store: Store,
  req: CsvExportRequest<S>,
): AsyncGenerator<string> {
  const columns = SERIES_COLUMNS[req.series] as { header: string[]; cells: (row: ExportRow<S>) => Cell[] };
  const idHeader = req.identity ? ['name', 'phone', 'address'] : [];
  const idCells = req.identity ? [req.identity.name, req.identity.phone, req.identity.address] : [];
  yield (
    ['study_code', ...idHeader, 'recording_id', 'simulated', 't_ms', 'time_utc', ...columns.header].join(
      ',',
    ) + '\r\n'
  );
  for await (const batch of store.exportRows(req.series, req.patientId, req.range, BATCH_ROWS)) {
    let text = '';
    for (const row of batch) {
      if (req.recordingId !== undefined && row.recordingId !== req.recordingId) continue;
      const cells: Cell[] = [
        req.studyCode,
        ...idCells,
        row.recordingId,
        row.simulated,
        row.tMs,
        new Date(row.tMs).toISOString(),
        ...columns.cells(row),
      ];
      text += cells.map(csvCell).join(',') + '\r\n';
    }
    yield text;
  }
}
