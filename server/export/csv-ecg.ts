/**
 * The 12 leads of one recording as CSV (one row per sample frame that has samples; gaps are rows
 * that are not there), and the data dictionary describing every column of every CSV we write.
 */
import { EXPORT_LEADS, EXPORT_LEAD_DIVISORS } from '../../server-contract/formats/ecg-leads.js';
import { csvCell, SERIES_COLUMNS } from './csv.js';
import { ecgBlocks, type EcgLayout } from './ecg-source.js';
import { ByteBuilder } from './byte-builder.js';
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

const CR_LF = [0x0d, 0x0a] as const;
const COMMA = 0x2c;
const LETTER_Z = 0x5a;

/** `new Date(ms).toISOString()` without its last 4 characters (`mmmZ`), one second at a time. */
class IsoSeconds {
  private second = NaN;
  private prefix = new Uint8Array(0);

  /** The prefix for time `ms` (an integer), e.g. `2026-01-05T08:00:00.`. */
  of(ms: number): Uint8Array {
    const second = Math.floor(ms / 1000);
    if (second !== this.second) {
      this.second = second;
      this.prefix = new TextEncoder().encode(new Date(second * 1000).toISOString().slice(0, -4));
    }
    return this.prefix;
  }
}

/**
 * Yields the ECG CSV as UTF-8 pieces written into one reused buffer (each valid until the next is
 * asked for). The cells are exactly those of `String(t_ms)`, `Date#toISOString()` and
 * `(count × µV per count).toFixed(3)`, written as bytes without a string per cell.
 */
export async function* ecgCsv(ex: RecordingExport, layout: EcgLayout): AsyncGenerator<Uint8Array> {
  const id = ex.identity;
  const fixed = new TextEncoder().encode(
    [
      ex.provenance.studyCode,
      ...(id === undefined ? [] : [id.name, id.phone, id.address]),
      ex.recording.id,
      ex.provenance.simulated,
    ]
      .map(csvCell)
      .join(',') + ',',
  );
  const out = new ByteBuilder();
  out.text(`${ecgCsvHeader(id !== undefined).join(',')}\r\n`);
  const scale = EXPORT_LEAD_DIVISORS.map((d) => layout.lsbNanovolts / 1000 / d);
  const leadCount = scale.length;
  const msPerFrame = 1000 / layout.sampleRateHz;
  const iso = new IsoSeconds();
  const rowBytes = fixed.length + 64 + leadCount * 24;
  for await (const block of ecgBlocks(ex.store, ex.recording.id, ex.range)) {
    const leads = block.leads;
    let written = 0;
    for (let k = 0; k < block.length; k++) {
      out.reserve(rowBytes);
      out.bytes(fixed);
      const tMs = layout.t0Ms + (block.startFrame + k) * msPerFrame;
      const rounded = Math.round(tMs * 1000) / 1000;
      if (Number.isSafeInteger(rounded) && rounded >= 0) out.digits(rounded);
      else out.text(String(rounded));
      out.byte(COMMA);
      // The Date of a fractional time is its whole milliseconds (toward zero).
      const ms = Math.trunc(tMs);
      if (ms >= 0 && ms < 253_402_300_800_000) {
        out.bytes(iso.of(ms));
        const thousandths = ms % 1000;
        out.byte(0x30 + Math.floor(thousandths / 100));
        out.byte(0x30 + (Math.floor(thousandths / 10) % 10));
        out.byte(0x30 + (thousandths % 10));
        out.byte(LETTER_Z);
      } else out.text(new Date(tMs).toISOString());
      for (let l = 0; l < leadCount; l++) {
        out.byte(COMMA);
        out.fixed3(leads[l]![k]! * scale[l]!);
      }
      out.byte(CR_LF[0]);
      out.byte(CR_LF[1]);
      if (out.full) {
        ex.onFrames(k + 1 - written);
        written = k + 1;
        yield out.view();
        out.reset();
      }
    }
    ex.onFrames(block.length - written);
  }
  if (out.length > 0) yield out.view();
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
