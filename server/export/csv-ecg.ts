/**
 * The 12 leads of one recording as CSV (one row per sample frame that has samples; gaps are rows
 * that are not there), and the data dictionary describing every column of every CSV we write.
 */
import { EXPORT_LEADS, EXPORT_LEAD_DIVISORS } from '../../server-contract/formats/ecg-leads.js';
import { csvCell, SERIES_COLUMNS } from './csv.js';
import { ecgBlocks, type EcgLayout } from './ecg-source.js';
import type { RecordingExport } from './entries.js';
import { provenanceLines } from './provenance.js';

/** Header of the ECG CSV. */
export function ecgCsvHeader(withIdentity: boolean): string[] {
  return [
    'study_code',
    ...(withIdentity ? ['name', 'phone', 'address'] : []),
    'recording_id',
    'simulated',
    't_ms',
    'time_utc',
    ...EXPORT_LEADS.map((l) => `${l}_uv`),
  ];
}

const ROWS_PER_PIECE = 500;

/** Yields the ECG CSV text in pieces of at most {@link ROWS_PER_PIECE} rows. */
export async function* ecgCsv(ex: RecordingExport, layout: EcgLayout): AsyncGenerator<string> {
  const id = ex.identity;
  const fixed = [
    ex.provenance.studyCode,
    ...(id === undefined ? [] : [id.name, id.phone, id.address]),
    ex.recording.id,
    ex.provenance.simulated,
  ]
    .map(csvCell)
    .join(',');
  yield `${ecgCsvHeader(id !== undefined).join(',')}\r\n`;
  const scale = EXPORT_LEAD_DIVISORS.map((d) => layout.lsbNanovolts / 1000 / d);
  const msPerFrame = 1000 / layout.sampleRateHz;
  for await (const block of ecgBlocks(ex.store, ex.recording.id, ex.range)) {
    // Rows are joined a few hundred at a time: one string per minute of rows would be a rope of
    // hundreds of thousands of pieces before it is flattened.
    for (let from = 0; from < block.length; from += ROWS_PER_PIECE) {
      const to = Math.min(block.length, from + ROWS_PER_PIECE);
      const rows: string[] = [];
      for (let k = from; k < to; k++) {
        const tMs = layout.t0Ms + (block.startFrame + k) * msPerFrame;
        const cells = [fixed, String(Math.round(tMs * 1000) / 1000), new Date(tMs).toISOString()];
        for (let l = 0; l < 12; l++) cells.push((block.leads[l]![k]! * scale[l]!).toFixed(3));
        rows.push(cells.join(','));
      }
      yield `${rows.join('\r\n')}\r\n`;
      ex.onFrames(to - from);
    }
  }
}

const COMMON: [string, string, string][] = [
  ['study_code', '', "the patient's study code"],
  ['name, phone, address', '', 'identifying details; present only when an admin asked for them'],
  ['recording_id', '', 'the recording (UUID v7)'],
  ['simulated', 'true/false', 'true when any device of the recording was a simulator'],
  ['t_ms', 'ms', 'UTC time, milliseconds since 1970-01-01 (fractional for samples)'],
  ['time_utc', 'ISO 8601', 'the same time as text, UTC'],
];

const SERIES_UNITS: Record<string, [string, string]> = {
  bpm: ['1/min', 'watch heart rate'],
  confidence: ['%', "the watch's confidence in the heart rate, 0-100"],
  x_mg: ['mg', 'accelerometer x, milli-g'],
  y_mg: ['mg', 'accelerometer y, milli-g'],
  z_mg: ['mg', 'accelerometer z, milli-g'],
  window_ms: ['ms', 'length of the window the snapshot was measured over, ending at t_ms'],
  heart_rate_bpm: ['1/min', 'heart rate from the ECG'],
  rr_ms: ['ms', 'mean R-R interval'],
  pr_ms: ['ms', 'PR interval'],
  qrs_ms: ['ms', 'QRS duration'],
  qt_ms: ['ms', 'QT interval'],
  qtc_bazett_ms: ['ms', 'QTc, Bazett: QT / sqrt(RR in s)'],
  qtc_fridericia_ms: ['ms', 'QTc, Fridericia: QT / cbrt(RR in s)'],
  qtc_framingham_ms: ['ms', 'QTc, Framingham: QT + 154 x (1 - RR in s)'],
  qtc_hodges_ms: ['ms', 'QTc, Hodges: QT + 1.75 x (HR - 60)'],
  qrs_axis_deg: ['degrees', 'frontal-plane QRS axis, (-180, 180]'],
  sdnn_ms: ['ms', 'SDNN: standard deviation of NN intervals over hrv_window_ms'],
  rmssd_ms: ['ms', 'RMSSD: root mean square of successive NN differences over hrv_window_ms'],
  pnn50_pct: ['%', 'share of successive NN differences over 50 ms, over hrv_window_ms'],
  hrv_window_ms: [
    'ms',
    'span of beats the HRV values cover, ending at t_ms: 300000 (5 min, short-term HRV) once available; empty in older records',
  ],
  st_uv_json: ['uV', 'ST level at J+60 ms per lead, JSON object {lead: uV}'],
  withheld_json: ['', 'why values are empty, JSON object {field: reason}'],
  beat_class: ['', 'AAMI class: N normal, S supraventricular, V ventricular, F fusion, Q unclassifiable'],
  kind: [
    '',
    'event kind: pvc, pac, bradycardia, tachycardia, pause, lead_off, signal_quality, gap, marker, device',
  ],
  duration_ms: ['ms', 'event duration'],
  leads: ['', 'leads or electrodes concerned, space-separated'],
  note: ['', 'staff note or device message'],
  pct: ['%', 'watch battery charge'],
  charging: ['true/false', 'watch charging'],
};

/** `data-dictionary.csv`: file, column, unit, description for every CSV of the export. */
export function dataDictionary(ex: RecordingExport | undefined): string {
  const rows: string[][] = [['file', 'column', 'unit', 'description']];
  for (const [file, columns] of [
    ['ecg.csv', ecgCsvHeader(false).slice(5)],
    ...Object.entries(SERIES_COLUMNS).map(([s, c]) => [`${s}.csv`, c.header] as const),
  ] as const) {
    for (const [column, unit, description] of COMMON) rows.push([file, column, unit, description]);
    for (const column of columns) {
      const lead = /^(.*)_uv$/.exec(column)?.[1];
      const [unit, description] =
        lead !== undefined
          ? ['uV', `ECG lead ${lead}, microvolts (device counts x scale)`]
          : (SERIES_UNITS[column] ?? ['', column]);
      rows.push([file, column, unit, description]);
    }
  }
  const provenance =
    ex === undefined ? [] : provenanceLines(ex.provenance).map((l) => ['provenance', '', '', l]);
  return [...rows, ...provenance].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
