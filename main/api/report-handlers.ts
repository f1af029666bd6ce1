/**
 * `reports.create` and `reports.list`: the recording and its patient found here (recorder,
 * patients store), the report made and queued by `main/report/`. Errors keep their stable codes
 * (`recording_not_found`, `recording_open`, `recording_voided`, `segment_out_of_range`,
 * `signal_unavailable`, `signal_invalid`).
 */
import type { GatewayApi } from '../../preload/api.js';
import { GatewayApiError, type GatewayHandlers } from '../../preload/define.js';
import type { PatientsStore } from '../recorder/patients-store.js';
import type { Recorder } from '../recorder/recorder.js';
import { ReportError } from '../report/report-errors.js';
import type { ReportRecording, ReportService } from '../report/report-service.js';

export interface ReportHandlerDeps {
  recorder: Recorder;
  patients: PatientsStore;
  reports: ReportService;
}

/** The recording as a report needs it, or `recording_not_found`. */
export function reportRecording(d: ReportHandlerDeps, recordingId: string): ReportRecording {
  const stored = d.recorder.stored(recordingId);
  if (stored === undefined)
    throw new GatewayApiError('recording_not_found', `No recording ${recordingId} on this gateway.`);
  const { row, sealedChunks } = stored;
  let patient: ReturnType<PatientsStore['get']> | undefined;
  try {
    patient = d.patients.get(row.patientId);
  } catch {
    patient = undefined; // the report still names the study code the recording carries
  }
  return {
    recordingId: row.id,
    studyCode: row.studyCode,
    ...(patient?.ageYears === undefined ? {} : { ageYears: patient.ageYears }),
    ...(patient?.sex === undefined ? {} : { sex: patient.sex }),
    ...(patient?.studyGroup === undefined ? {} : { studyGroup: patient.studyGroup }),
    operatorName: row.operator.name,
    devices: row.devices,
    simulated: row.simulated,
    startedAtMs: row.startedAtMs,
    endedAtMs: row.endedAtMs,
    mainsHz: row.mainsHz,
    summary: row.summary,
    state: row.state,
    voidReason: row.voidReason,
    sealedChunks,
    createItemId: row.createItemId,
  };
}

function asApiError(error: unknown): Error {
  if (error instanceof ReportError) return new GatewayApiError(error.code, error.message);
  return error instanceof Error ? error : new Error(String(error));
}

export function reportHandlers(
  d: ReportHandlerDeps,
): Pick<GatewayHandlers<GatewayApi>, 'reports.create' | 'reports.list'> {
  return {
    'reports.create': async (input) => {
      try {
        const recording = reportRecording(d, input.recordingId);
        return await d.reports.create(recording, {
          paper: input.paper,
          ...(input.segmentStartMs === undefined ? {} : { segmentStartMs: input.segmentStartMs }),
        });
      } catch (error) {
        throw asApiError(error);
      }
    },
    'reports.list': (input) => {
      try {
        return Promise.resolve(d.reports.list(input.recordingId));
      } catch (error) {
        return Promise.reject(asApiError(error));
      }
    },
  };
}
