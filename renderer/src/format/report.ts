/**
 * Words and numbers for the Reports section of a recording: the optional strip start staff type
 * (UTC time of day, on the recording's date), the upload state and the size of a report.
 */
import type { CallOutput, GatewayApi } from '../../../preload/index-types.js';

export type ReportInfo = CallOutput<GatewayApi, 'reports.list'>[number];

const DAY_MS = 86_400_000;

/**
 * The epoch ms of a UTC time of day ("hh:mm" or "hh:mm:ss") within the recording: on the day it
 * started, or the next day when that time comes before the start (a recording over midnight).
 * Empty text is `undefined` (the report picks the last 10 s of good signal); anything else that
 * is not a time is `null`.
 */
export function segmentStartFromText(text: string, recordingStartedAtMs: number): number | undefined | null {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(trimmed);
  if (m === null) return null;
  const [h, min, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? '0')];
  if (h > 23 || min > 59 || s > 59) return null;
  const day = Math.floor(recordingStartedAtMs / DAY_MS) * DAY_MS;
  const at = day + ((h * 60 + min) * 60 + s) * 1000;
  return at < recordingStartedAtMs - 1000 ? at + DAY_MS : at;
}

/** UTC time of day, hh:mm:ss. */
export function utcTimeText(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** The upload state in plain words. */
export function uploadText(r: ReportInfo): string {
  switch (r.upload) {
    case 'queued':
      return r.uploadError === null ? 'Waiting to upload' : `Waiting to retry (${r.uploadError})`;
    case 'sending':
      return 'Uploading…';
    case 'uploaded':
      return 'Uploaded';
    case 'failed':
      return `Upload failed: ${r.uploadError ?? 'the server refused it'} (kept; retry from the sync panel)`;
  }
}

/** What the strip shows and who chose it. */
export function stripText(r: ReportInfo): string {
  if (r.segmentStartMs === null) return 'No ECG page (watch only)';
  const from = `${utcTimeText(r.segmentStartMs)}–${utcTimeText(r.segmentStartMs + 10_000)} UTC`;
  switch (r.segmentChosenBy) {
    case 'staff':
      return `${from}, chosen by staff`;
    case 'last_signal':
      return `${from}, last 10 s (no good-quality 10 s found)`;
    default:
      return `${from}, last 10 s of good signal`;
  }
}

/** Size in kB (one decimal below 10 kB). */
export function sizeText(bytes: number): string {
  const kb = bytes / 1024;
  return `${kb < 10 ? kb.toFixed(1) : Math.round(kb)} kB`;
}
