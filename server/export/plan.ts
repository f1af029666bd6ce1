/**
 * Turns an export request into what the route streams: which recordings, which files, the
 * content type and file name, and how many units (ECG frames) the progress counts. Everything
 * that can refuse the export (unknown or voided recording, no ECG, too big for a zip) happens
 * here, before the first byte is sent.
 */
import type { ExportQuery } from '../../server-contract/api/index.js';
import { HttpError, notFound } from '../errors.js';
import type { PatientRecord, RecordingRecord, SeriesName, Store, TimeRange } from '../store/store.js';
import { csvExport, SERIES_COLUMNS } from './csv.js';
import { dataDictionary, ecgCsv } from './csv-ecg.js';
import { ecgLayout } from './ecg-source.js';
import { edfEntry } from './edf-export.js';
import { textBytes, type ExportEntry, type Identity, type RecordingExport } from './entries.js';
import { fhirEntry } from './fhir-export.js';
import { provenanceLines, provenanceOf } from './provenance.js';
import { wfdbEntries } from './wfdb-export.js';
import { ZIP_MAX_BYTES, zipEntries } from './zip.js';

const MAX_TIME_MS = 7_258_118_400_000;
const EDF_ANNOTATION_BYTES = 512;

/** What the route needs to answer. */
export interface ExportPlan {
  fileName: string;
  contentType: string;
  unitsTotal: number;
  recordingIds: string[];
  body: AsyncIterable<Uint8Array>;
}

export interface PlanInput {
  store: Store;
  query: ExportQuery;
  patient: PatientRecord;
  /** Set when the request named one recording. */
  recording: RecordingRecord | undefined;
  identity: Identity | undefined;
  serverVersion: string;
  nowMs: number;
  onUnits: (units: number) => void;
}

function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** The patient's recordings that overlap `range` and are not voided, oldest first. */
async function patientRecordings(
  store: Store,
  patientId: string,
  range: TimeRange,
): Promise<RecordingRecord[]> {
  const out: RecordingRecord[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await store.listRecordings({ limit: 200, after }, { patientId });
    for (const r of page.items) {
      const endMs = r.endedAtMs ?? MAX_TIME_MS;
      if (r.voidedAtMs === null && r.startedAtMs < range.toMs && endMs > range.fromMs) out.push(r);
    }
    if (page.nextAfter === null) break;
    after = page.nextAfter;
  }
  return out.sort((a, b) => a.startedAtMs - b.startedAtMs);
}

async function recordingExports(input: PlanInput, range: TimeRange): Promise<RecordingExport[]> {
  const recordings = input.recording
    ? [input.recording]
    : await patientRecordings(input.store, input.patient.id, range);
  const out: RecordingExport[] = [];
  for (const recording of recordings) {
    out.push({
      store: input.store,
      recording,
      patientId: input.patient.id,
      range,
      layout: await ecgLayout(input.store, recording.id, range),
      provenance: provenanceOf(recording, input.patient.studyCode, input.serverVersion, input.nowMs),
      identity: input.identity,
      onFrames: input.onUnits,
    });
  }
  return out;
}

function seriesCsvEntries(
  input: PlanInput,
  range: TimeRange,
  prefix: string,
  ex: RecordingExport | undefined,
): ExportEntry[] {
  const series = Object.keys(SERIES_COLUMNS) as SeriesName[];
  return [
    { name: `${prefix}data-dictionary.csv`, compress: true, data: () => textBytes([dataDictionary(ex)]) },
    ...series.map((s) => ({
      name: `${prefix}${s}.csv`,
      compress: true,
      data: () =>
        textBytes(
          csvExport(input.store, {
            series: s,
            patientId: input.patient.id,
            studyCode: input.patient.studyCode,
            range,
            recordingId: input.recording?.id,
            identity: input.identity,
          }),
        ),
    })),
  ];
}

/** ECG-bearing entries of one recording for the zip parts asked for. */
function recordingEntries(ex: RecordingExport, parts: readonly string[], prefix: string): ExportEntry[] {
  const entries: ExportEntry[] = [
    {
      name: `${prefix}provenance.txt`,
      compress: true,
      data: () => textBytes([provenanceLines(ex.provenance).join('\n') + '\n']),
    },
  ];
  const layout = ex.layout;
  if (parts.includes('wfdb') && layout)
    entries.push(...wfdbEntries(ex, layout).map((e) => ({ ...e, name: prefix + e.name })));
  if (parts.includes('edf') && layout) entries.push(edfEntry(ex, layout, `${prefix}recording.edf`));
  if (parts.includes('fhir')) entries.push(fhirEntry(ex, `${prefix}recording.fhir.json`));
  return entries;
}

function storedBytes(exports: RecordingExport[], parts: readonly string[]): number {
  let total = 0;
  for (const ex of exports) {
    const l = ex.layout;
    if (!l) continue;
    if (parts.includes('wfdb')) total += l.frameCount * 24;
    if (parts.includes('edf'))
      total += Math.ceil(l.frameCount / l.sampleRateHz) * (24 * l.sampleRateHz + EDF_ANNOTATION_BYTES);
  }
  return total;
}

/** Plans the export; throws the 4xx that refuses it. */
export async function planExport(input: PlanInput): Promise<ExportPlan> {
  const q = input.query;
  const range = { fromMs: q.fromMs ?? 0, toMs: q.toMs ?? MAX_TIME_MS };
  const base = safeName(
    input.recording ? `${input.patient.studyCode}-${input.recording.id}` : input.patient.studyCode,
  );
  if (q.format === 'csv' && q.series !== 'ecg') {
    const series = q.series ?? 'hr';
    const [entry] = seriesCsvEntries(input, range, '', undefined).filter((e) => e.name === `${series}.csv`);
    return {
      fileName: `${base}-${series}.csv`,
      contentType: 'text/csv; charset=utf-8',
      unitsTotal: 0,
      recordingIds: input.recording ? [input.recording.id] : [],
      body: entry!.data(),
    };
  }
  const exports = await recordingExports(input, range);
  if (exports.length === 0) throw notFound('recording in this time range');
  const ids = exports.map((e) => e.recording.id);
  const parts = q.format === 'zip' ? q.formats : [q.format];
  const ecgParts = parts.filter((p) => p !== 'csv').length + (q.format === 'csv' ? 1 : 0);
  const unitsTotal = exports.reduce((n, e) => n + (e.layout?.presentFrames ?? 0), 0) * ecgParts;
  const single = exports.length === 1 && input.recording !== undefined ? exports[0]! : undefined;
  if (
    q.format === 'csv' ||
    ((q.format === 'edf' || q.format === 'wfdb') && exports.every((e) => !e.layout))
  ) {
    if (!single?.layout) throw notFound('ECG in this recording and time range');
  }
  if (q.format === 'csv') {
    return {
      fileName: `${base}-ecg.csv`,
      contentType: 'text/csv; charset=utf-8',
      unitsTotal,
      recordingIds: ids,
      body: ecgCsv(single!, single!.layout!),
    };
  }
  if (q.format === 'edf' && single?.layout) {
    return {
      fileName: `${base}.edf`,
      contentType: 'application/octet-stream',
      unitsTotal,
      recordingIds: ids,
      body: edfEntry(single, single.layout).data(),
    };
  }
  if (q.format === 'fhir' && single) {
    return {
      fileName: `${base}.fhir.json`,
      contentType: 'application/fhir+json',
      unitsTotal,
      recordingIds: ids,
      body: fhirEntry(single).data(),
    };
  }
  if (storedBytes(exports, parts) > ZIP_MAX_BYTES) {
    throw new HttpError(
      409,
      'conflict',
      'this export would pass the 4 GiB a zip can hold; export a shorter range or fewer formats',
    );
  }
  const entries: ExportEntry[] = [];
  if (parts.includes('csv'))
    entries.push(...seriesCsvEntries(input, range, single ? 'csv/' : `${base}-csv/`, single));
  for (const ex of exports) entries.push(...recordingEntries(ex, parts, single ? '' : `${ex.recording.id}/`));
  return {
    fileName: `${base}-${parts.join('-')}.zip`,
    contentType: 'application/zip',
    unitsTotal,
    recordingIds: ids,
    body: zipEntries(entries, input.nowMs),
  };
}
