/**
 * What the format writers produce: named files whose bytes are produced on demand, in order, so
 * a zip (or a single-file response) pulls them one at a time and nothing is held whole.
 */
import type { RecordingRecord, SeriesName, Store, TimeRange } from '../store/store.js';
import type { ExportProvenance } from './provenance.js';
import type { EcgLayout } from './ecg-source.js';

/**
 * One file of an export. `data` is consumed once, in order; a piece it yields may be reused by the
 * writer once the next piece is asked for, so a consumer writes or copies each piece first.
 */
export interface ExportEntry {
  name: string;
  /** Worth deflating in a zip (text); binary sample files are stored as they are. */
  compress: boolean;
  data: () => AsyncIterable<Uint8Array>;
}

/** Everything a writer needs about one recording. */
export interface RecordingExport {
  store: Store;
  recording: RecordingRecord;
  patientId: string;
  range: TimeRange;
  /** The ECG grid, or undefined when the recording has no ECG in the range. */
  layout: EcgLayout | undefined;
  provenance: ExportProvenance;
  /** Opened identifying details when an admin asked for them; undefined = de-identified. */
  identity: Identity | undefined;
  /** Called with the number of ECG frames just written (progress). */
  onFrames: (frames: number) => void;
}

export interface Identity {
  name?: string | undefined;
  phone?: string | undefined;
  address?: string | undefined;
}

export { textBytes } from './byte-builder.js';

const encoder = new TextEncoder();

/** UTF-8 bytes of text. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Rows of one series of one recording in `range`, in time order, batch by batch. */
export async function* recordingRows<S extends SeriesName>(
  ex: Pick<RecordingExport, 'store' | 'patientId' | 'recording' | 'range'>,
  series: S,
  batchRows = 250,
) {
  const from = Math.max(ex.range.fromMs, ex.recording.startedAtMs - 3_600_000);
  const to =
    ex.recording.endedAtMs === null
      ? ex.range.toMs
      : Math.min(ex.range.toMs, ex.recording.endedAtMs + 3_600_000);
  if (from >= to) return;
  for await (const batch of ex.store.exportRows(
    series,
    ex.patientId,
    { fromMs: from, toMs: to },
    batchRows,
  )) {
    const mine = batch.filter((r) => r.recordingId === ex.recording.id);
    if (mine.length > 0) yield mine;
  }
}
