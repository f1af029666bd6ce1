/**
 * `reports.create`, `reports.list` and `reports.pdf`: the recording and its patient found here (recorder,
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

/**
 * `P042-ecg-report-2026-12-04T2051Z.pdf` (UTC, letters, digits, dot and dash only; `-SIMULATED`
 * for a simulated recording, so a saved file says so too).
 */
export function reportFileName(studyCode: string, createdAtMs: number, simulated: boolean): string {
  const code = studyCode.replace(/[^\w-]+/g, '_').slice(0, 40) || 'recording';
  const at = new Date(createdAtMs).toISOString().slice(0, 16).replace(/:/g, '') + 'Z';
  return `${code}-ecg-report-${at}${simulated ? '-SIMULATED' : ''}.pdf`;
}

function asApiError(error: unknown): Error {
  if (error instanceof ReportError) return new GatewayApiError(error.code, error.message);
  return error instanceof Error ? error : new Error(String(error));
}

export function reportHandlers(
  d: ReportHandlerDeps,
): Pick<GatewayHandlers<GatewayApi>, 'reports.create' | 'reports.list' | 'reports.pdf'> {
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
    'reports.pdf': (input) => {
      const info = d.reports.find(input.reportId);
      if (info === undefined)
        return Promise.reject(
          new GatewayApiError('report_not_found', `No report ${input.reportId} on this gateway.`),
        );
      const bytes = d.reports.pdf(input.reportId);
      if (bytes === null)
        return Promise.reject(
          new GatewayApiError(
            'report_gone',
            'This report was uploaded and is no longer kept on the gateway: open it in the web viewer on the server.',
          ),
        );
      const studyCode = d.recorder.stored(info.recordingId)?.row.studyCode ?? 'recording';
      return Promise.resolve({
        fileName: reportFileName(studyCode, info.createdAtMs, info.simulated),
        pdfBase64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
      });
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
