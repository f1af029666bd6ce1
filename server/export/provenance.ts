/**
 * What every export says about where its data came from: this server's version, the gateway's
 * software, detector and measurement versions and filters (as the gateway declared them when the
 * recording started), each device's model and firmware, and whether anything was simulated.
 * Never patient details, and no device serial numbers.
 */
import { RecordingProcessingSchema, type RecordingProcessing } from '../../server-contract/api/index.js';
import type { RecordingRecord } from '../store/store.js';

/** Provenance of one exported recording. */
export interface ExportProvenance {
  recordingId: string;
  studyCode: string;
  simulated: boolean;
  serverVersion: string;
  /** The gateway's declared processing, or null when it sent none (older gateways). */
  processing: RecordingProcessing | null;
  devices: { kind: string; model: string; firmware: string | null; simulated: boolean }[];
  mainsHz: number | null;
  startedAtMs: number;
  exportedAtMs: number;
}

export function provenanceOf(
  recording: RecordingRecord,
  studyCode: string,
  serverVersion: string,
  exportedAtMs: number,
): ExportProvenance {
  const parsed = RecordingProcessingSchema.safeParse(recording.processing);
  return {
    recordingId: recording.id,
    studyCode,
    simulated: recording.simulated,
    serverVersion,
    processing: parsed.success ? parsed.data : null,
    devices: recording.devices.map((d) => ({
      kind: d.kind,
      model: d.name ?? (d.kind === 'ecg12' ? 'ECG-12' : d.kind),
      firmware: d.firmware ?? null,
      simulated: d.simulated,
    })),
    mainsHz: recording.mainsHz,
    startedAtMs: recording.startedAtMs,
    exportedAtMs,
  };
}

/** The filter band as text, e.g. `HP:0.5Hz LP:40Hz N:50Hz`; `none declared` when unknown. */
export function filterText(p: ExportProvenance): string {
  const f = p.processing?.filters;
  const parts = [
    f?.highPassHz === undefined ? undefined : `HP:${f.highPassHz}Hz`,
    f?.lowPassHz === undefined ? undefined : `LP:${f.lowPassHz}Hz`,
    f?.notchHz === undefined ? undefined : `N:${f.notchHz}Hz`,
  ].filter((x) => x !== undefined);
  return parts.length === 0 ? 'none declared' : parts.join(' ');
}

function algorithm(a: { name: string; version: string } | undefined): string {
  return a === undefined ? 'not declared' : `${a.name} ${a.version}`;
}

/** `key: value` lines (ASCII-safe) for WFDB header comments, CSV dictionaries and README files. */
export function provenanceLines(p: ExportProvenance): string[] {
  return [
    `study_code: ${p.studyCode}`,
    `recording_id: ${p.recordingId}`,
    `simulated: ${p.simulated}`,
    `exported_by: PulseWatch server ${p.serverVersion}`,
    `exported_at_utc: ${new Date(p.exportedAtMs).toISOString()}`,
    `recording_started_utc: ${new Date(p.startedAtMs).toISOString()}`,
    `gateway_software: ${p.processing?.softwareVersion ?? 'not declared'}`,
    `beat_detector: ${algorithm(p.processing?.detector)}`,
    `measurements: ${algorithm(p.processing?.measurements)}`,
    `display_filters: ${filterText(p)} (stored samples are the device's, unfiltered)`,
    `mains_hz: ${p.mainsHz ?? 'unknown'}`,
    ...p.devices.map(
      (d) =>
        `device: ${d.kind} model ${d.model} firmware ${d.firmware ?? 'unknown'}${d.simulated ? ' SIMULATED' : ''}`,
    ),
  ].map((line) => line.replace(/[^\x20-\x7e]/g, '?'));
}
