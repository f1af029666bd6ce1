/**
 * Everything a report prints, gathered before drawing: who and what was recorded, the strip,
 * the measurement rows and the acquisition settings. `build-model.ts` makes it from a recording's
 * chunks; `render-report.ts` draws it. Keeping the two apart lets the tests check the content
 * without a PDF and the drawing without a recording.
 */
import type { EcgStrip } from './ecg-strip.js';
import type { MeasurementRow, Sex } from './measurement-rows.js';
import type { Paper } from './report-layout.js';

/** A device as the report names it. */
export interface ReportDevice {
  kind: 'ecg12' | 'bangle' | 'hrs';
  serial: string;
  name?: string;
  firmware?: string;
  simulated: boolean;
}

/** The recording, patient and operator as printed (no identifying details: the study code only). */
export interface ReportSubjectText {
  studyCode: string;
  ageYears?: number;
  sex?: Sex;
  studyGroup?: string;
  recordingId: string;
  startedAtMs: number;
  endedAtMs: number;
  operatorName: string;
  devices: ReportDevice[];
}

/** Acquisition and print settings (printed on every ECG page). */
export interface PrintSettings {
  speedMmPerS: number;
  gainMmPerMv: number;
  highpassHz: number;
  lowpassHz: number;
  /** Null: no notch. */
  notchHz: 50 | 60 | null;
  sampleRateHz: number | null;
}

/** What a report prints. */
export interface ReportModel {
  reportId: string;
  paper: Paper;
  title: string;
  createdAtMs: number;
  softwareVersion: string;
  simulated: boolean;
  subject: ReportSubjectText;
  /** The 10-s strip; null when the recording has no ECG (no 12-lead page). */
  strip: EcgStrip | null;
  /** Why there is no ECG page, when there is none. */
  noEcgReason: string | null;
  /** Plain words on how the strip was chosen and what the measurements cover. */
  stripNotes: string[];
  /** Short measurement line for the ECG page's header. */
  headline: string;
  /** Printed in red beside the headline: the recording holds arrest rhythms (report-arrest.ts); null: none. */
  alert: string | null;
  rows: MeasurementRow[];
  settings: PrintSettings;
  /** Facts about the whole recording (duration, beats, gaps, quality, watch heart rate …). */
  facts: { term: string; value: string }[];
}
