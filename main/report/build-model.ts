/**
 * Builds what a report prints from a recording's sealed chunks: the strip (staff's segment or the
 * last 10 s of good signal), the gateway's recorded measurement of that strip, HRV over the
 * 5 minutes ending with it, ectopic counts, and facts of the whole recording (arrest rhythms
 * among them: report-arrest.ts). A recording without ECG (watch only) gets no strip and says so.
 */
import {
  PAGE_DURATION_MS,
  PAPER_SPEED_MM_PER_S,
  STANDARD_GAIN_MM_PER_MV,
} from '../../server-contract/formats/ecg-page.js';
import type { EventRecord, MeasurementRecord } from '../../server-contract/api/streams.js';
import type { RecordingSummary } from '../../server-contract/api/recordings.js';
import { computeHrvWindow, SHORT_TERM_WINDOW_MS, type WindowedHrv } from '../dsp/hrv.js';
import {
  chooseStrip,
  PRINT_FILTER,
  readStrip,
  utcClock,
  type EcgStrip,
  type StripChosenBy,
} from './ecg-strip.js';
import {
  degreesText,
  measurementRows,
  QTC_FORMULA,
  spanText,
  type MeasurementRow,
  type Sex,
} from './measurement-rows.js';
import type { RecordingChunks } from './recording-chunks.js';
import {
  arrestAlert,
  arrestEpisodes,
  arrestEpisodesText,
  arrestSpans,
  rhythmEpisodes,
  type ArrestEpisode,
} from './report-arrest.js';
import type { ReportDevice, ReportModel } from './report-model.js';
import type { Paper } from './report-layout.js';

/** The recording and patient as the gateway holds them (given by the API layer). */
export interface ReportSource {
  recordingId: string;
  studyCode: string;
  ageYears?: number;
  sex?: Sex;
  studyGroup?: string;
  operatorName: string;
  devices: ReportDevice[];
  simulated: boolean;
  startedAtMs: number;
  endedAtMs: number;
  mainsHz: 50 | 60 | null;
  summary: RecordingSummary | null;
}

export interface ModelOptions {
  reportId: string;
  paper: Paper;
  segmentStartMs?: number;
  createdAtMs: number;
  softwareVersion: string;
}

const CHOSEN_TEXT: Record<StripChosenBy, string> = {
  staff: 'the segment staff chose',
  good_signal: 'the last 10 s of good-quality signal',
  last_signal: 'the last 10 s of the recording (no 10 s of good-quality signal was found in its last hour)',
};

/** See the file comment. */
export function buildModel(
  source: ReportSource,
  chunks: RecordingChunks,
  options: ModelOptions,
): ReportModel {
  const hasEcg = chunks.ecg.length > 0;
  const arrests = arrestEpisodes(chunks.records('events'));
  const notch = source.mainsHz;
  const strip = hasEcg
    ? readStrip(chunks, chooseStrip(chunks, options.segmentStartMs, notch ?? 'off'), notch ?? 'off')
    : null;
  const base = {
    reportId: options.reportId,
    paper: options.paper,
    createdAtMs: options.createdAtMs,
    softwareVersion: options.softwareVersion,
    simulated: source.simulated,
    alert: arrestAlert(arrests),
    subject: {
      studyCode: source.studyCode,
      ...(source.ageYears === undefined ? {} : { ageYears: source.ageYears }),
      ...(source.sex === undefined ? {} : { sex: source.sex }),
      ...(source.studyGroup === undefined ? {} : { studyGroup: source.studyGroup }),
      recordingId: source.recordingId,
      startedAtMs: source.startedAtMs,
      endedAtMs: source.endedAtMs,
      operatorName: source.operatorName,
      devices: source.devices,
    },
    settings: {
      speedMmPerS: PAPER_SPEED_MM_PER_S,
      gainMmPerMv: STANDARD_GAIN_MM_PER_MV,
      highpassHz: PRINT_FILTER.highpassHz,
      lowpassHz: PRINT_FILTER.lowpassHz,
      notchHz: notch,
      sampleRateHz: strip?.sampleRateHz ?? null,
    },
  };
  if (strip === null) {
    return {
      ...base,
      title: `Recording report — ${source.studyCode} (watch only)`,
      strip: null,
      noEcgReason:
        'No 12-lead ECG page: this recording has no ECG from the 12-lead unit (watch only). What the watch recorded is summarised below.',
      stripNotes: [],
      headline: '',
      rows: [],
      facts: recordingFacts(source, chunks, arrests),
    };
  }
  const endMs = strip.startMs + PAGE_DURATION_MS;
  const record = measurementOfStrip(chunks.records('measurements'), endMs);
  const beats = chunks.records('beats');
  const hrv = hrvUpTo(beats, endMs, [
    ...chunks.ecgHoles(endMs - SHORT_TERM_WINDOW_MS, endMs),
    ...arrestSpans(arrests),
  ]);
  const inStrip = beats.filter((b) => b.tMs >= strip.startMs && b.tMs < endMs);
  const rows = measurementRows({
    record,
    sex: source.sex,
    hrv,
    ectopics: {
      pvcRecording: source.summary?.pvcCount ?? null,
      pacRecording: source.summary?.pacCount ?? null,
      pvcStrip: inStrip.filter((b) => b.beatClass === 'V').length,
      pacStrip: inStrip.filter((b) => b.beatClass === 'S').length,
      runRecording: source.summary?.ventricularRuns ?? null,
      runStrip: runsIn(chunks.records('events'), 'ventricular_run', strip.startMs, endMs),
      svRunRecording: source.summary?.supraventricularRuns ?? null,
      svRunStrip: runsIn(chunks.records('events'), 'supraventricular_run', strip.startMs, endMs),
    },
  });
  return {
    ...base,
    title: `Resting 12-lead ECG — ${source.studyCode}`,
    strip,
    noEcgReason: null,
    stripNotes: stripNotes(strip, record, chunks),
    headline: headline(record, rows),
    rows,
    facts: recordingFacts(source, chunks, arrests),
  };
}

/** The recorded measurement whose window ends closest to the strip's end (within 3 s), or null. */
export function measurementOfStrip(
  records: MeasurementRecord[],
  stripEndMs: number,
): MeasurementRecord | null {
  let best: MeasurementRecord | null = null;
  for (const r of records) {
    if (Math.abs(r.tMs - stripEndMs) > 3000) continue;
    if (best === null || Math.abs(r.tMs - stripEndMs) < Math.abs(best.tMs - stripEndMs)) best = r;
  }
  return best;
}

/**
 * The runs of `kind` that overlap [startMs, endMs): each counted once, whether the events stream
 * holds its onset, its end or both (one going on when the recording ended has no end: it reaches
 * the strip's end).
 */
export function runsIn(
  events: readonly EventRecord[],
  kind: 'ventricular_run' | 'supraventricular_run',
  startMs: number,
  endMs: number,
): number {
  return rhythmEpisodes(events, (k) => k === kind).filter(
    (e) => e.startMs < endMs && (e.endMs ?? Number.POSITIVE_INFINITY) >= startMs,
  ).length;
}

/** HRV over the 5 minutes ending at `endMs`; no NN interval crosses `noNnSpans` (gaps, arrests). */
function hrvUpTo(
  beats: { tMs: number; beatClass: 'N' | 'S' | 'V' | 'F' | 'Q' }[],
  endMs: number,
  noNnSpans: readonly [number, number][],
): WindowedHrv | null {
  const used = beats.filter((b) => b.tMs <= endMs).map((b) => ({ timeMs: b.tMs, beatClass: b.beatClass }));
  if (used.length < 2) return null;
  return computeHrvWindow(used, SHORT_TERM_WINDOW_MS, noNnSpans);
}

/** The ECG page's one-line summary; a value outside its reference range is marked `*`. */
function headline(r: MeasurementRecord | null, rows: MeasurementRow[]): string {
  if (r === null) return 'No measurement was recorded for this strip.';
  const mark = (prefix: string) => (rows.find((row) => row.name.startsWith(prefix))?.flag ? ' *' : '');
  const v = (x: number | null, unit: string) => (x === null ? '—' : `${Math.round(x)} ${unit}`);
  return [
    `HR ${v(r.heartRateBpm, 'bpm')}${mark('Heart rate')}`,
    `PR ${v(r.prMs, 'ms')}${mark('PR')}`,
    `QRS ${v(r.qrsMs, 'ms')}${mark('QRS duration')}`,
    `QT ${v(r.qtMs, 'ms')}`,
    `QTc ${v(r[QTC_FORMULA.field], 'ms')} (${QTC_FORMULA.name})${mark('QTc')}`,
    `Axis ${r.qrsAxisDeg === null ? '—' : degreesText(r.qrsAxisDeg)}${mark('QRS axis')}`,
  ].join('   ·   ');
}

function stripNotes(strip: EcgStrip, record: MeasurementRecord | null, chunks: RecordingChunks): string[] {
  const endMs = strip.startMs + PAGE_DURATION_MS;
  const notes = [
    `Strip ${utcClock(strip.startMs)}–${utcClock(endMs)} UTC: ${CHOSEN_TEXT[strip.chosenBy]}.` +
      (record === null
        ? ' No measurement of the gateway covers it.'
        : ` Measurements over the ${Math.round(record.windowMs / 1000)} s ending ${utcClock(record.tMs)} UTC.`),
  ];
  const holes = chunks.ecgHoles(strip.startMs, endMs);
  if (holes.length > 0)
    notes.push(
      `The strip has ${holes.length} gap(s) in the recorded signal, left blank (gaps are never filled).`,
    );
  notes.push(
    'Flags (*) mark values outside common adult reference ranges, for review; they are not a diagnosis.',
  );
  return notes;
}

function recordingFacts(
  source: ReportSource,
  chunks: RecordingChunks,
  arrests: readonly ArrestEpisode[],
): { term: string; value: string }[] {
  const s = source.summary;
  const facts = [{ term: 'Duration', value: spanText(source.endedAtMs - source.startedAtMs) }];
  if (s !== null) {
    if (s.beats !== null) facts.push({ term: 'Beats detected', value: String(s.beats) });
    if (s.meanHeartRateBpm !== null) {
      const range =
        s.minHeartRateBpm != null && s.maxHeartRateBpm != null
          ? ` (${Math.round(s.minHeartRateBpm)}–${Math.round(s.maxHeartRateBpm)} bpm)`
          : '';
      facts.push({ term: 'Mean heart rate', value: `${Math.round(s.meanHeartRateBpm)} bpm${range}` });
    }
    if (s.signalQualityPct !== null)
      facts.push({ term: 'Usable ECG', value: `${Math.round(s.signalQualityPct)} % of the recording` });
    facts.push({ term: 'Gaps', value: `${s.gapCount} (${(s.gapMs / 1000).toFixed(1)} s in total)` });
  }
  const hr = chunks.records('hr');
  if (hr.length > 0) {
    const bpm = hr.map((h) => h.bpm);
    const mean = bpm.reduce((a, b) => a + b, 0) / bpm.length;
    facts.push({
      term: 'Watch heart rate',
      value: `${hr.length} readings, mean ${Math.round(mean)} bpm (${bpm.reduce((a, b) => Math.min(a, b))}–${bpm.reduce((a, b) => Math.max(a, b))} bpm)`,
    });
  }
  const markers = chunks.records('events').filter((e) => e.kind === 'marker');
  if (markers.length > 0)
    facts.push({
      term: 'Staff markers',
      value:
        markers
          .slice(0, 4)
          .map((e) => `${utcClock(e.tMs)} ${e.note ?? ''}`)
          .join('; ') + (markers.length > 4 ? ' …' : ''),
    });
  const arrest = arrestEpisodesText(arrests);
  if (arrest !== null) facts.push({ term: 'Arrest rhythms (computed, to review)', value: arrest });
  facts.push({ term: 'Recording id', value: source.recordingId });
  return facts;
}
