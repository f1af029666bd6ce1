/**
 * How the upload queue and the uploader read on screen: sizes, ages, the uploader's state in
 * plain words, and the checks on the enrollment form (server address and one-time code) made
 * before anything is sent, so a typo gets a sentence, not a schema error.
 */
import type { CallOutput, GatewayApi } from '../../../preload/index-types.js';

export type SyncStatus = CallOutput<GatewayApi, 'sync.status'>;

/** The uploader's state as staff read it. */
export const SYNC_STATE_TEXT: Record<SyncStatus['state'], string> = {
  idle: 'Up to date',
  uploading: 'Uploading',
  offline: 'Server unreachable — data is kept here and sent later',
  backing_off: 'Waiting before the next try',
  unauthorized: 'Server refused this gateway — ask IT to enrol it again',
  not_enrolled: 'Not enrolled with a server',
};

/** The one-time code's shape, as the server issues it (server-contract EnrollRequestSchema). */
export const ENROLLMENT_CODE_PATTERN = /^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/;

/** A byte count in decimal units: "0 B", "950 B", "12.3 kB", "4.5 MB", "1.20 GB". */
export function bytesText(bytes: number): string {
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toFixed(2)} GB`;
}

/** How long ago `thenMs` was, coarsely: "just now", "45 s ago", "12 min ago", "3 h ago", "2 days ago". */
export function agoText(thenMs: number, nowMs: number): string {
  const s = Math.max(0, Math.round((nowMs - thenMs) / 1000));
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  const days = Math.floor(s / 86_400);
  return `${days} ${days === 1 ? 'day' : 'days'} ago`;
}

/** A date and time with how long ago it was, or `none` when absent. */
export function whenText(epochMs: number | null, nowMs: number, none: string): string {
  if (epochMs === null) return none;
  return `${new Date(epochMs).toLocaleString('en-GB')} (${agoText(epochMs, nowMs)})`;
}

/** Whether the server answered its last contact, in words. */
export function reachableText(reachable: boolean | null): string {
  if (reachable === null) return 'Not contacted yet';
  return reachable ? 'Yes' : 'No — data is kept here and sent when it answers';
}

/**
 * The code as typed, tidied: upper case, spaces removed, and dashes put in when 16 letters and
 * digits were typed without them ("abcd efgh…" → "ABCD-EFGH-…").
 */
export function normaliseEnrollmentCode(typed: string): string {
  const compact = typed.toUpperCase().replace(/\s+/g, '');
  const bare = compact.replace(/-/g, '');
  return /^[A-Z0-9]{16}$/.test(bare) ? (bare.match(/.{4}/g) ?? []).join('-') : compact;
}

/** What is wrong with the form, in plain words, or null when it may be sent. */
export function enrollmentProblem(serverUrl: string, code: string): string | null {
  const url = serverUrl.trim();
  if (url === '') return 'Enter the server address IT gave you, e.g. https://pulsewatch.clinic.example.';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `“${url}” is not a web address: it should start with https:// (or http://).`;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return `The server address must start with https:// (or http://), not ${parsed.protocol}//.`;
  if (code.trim() === '') return 'Enter the one-time enrollment code IT gave you.';
  if (!ENROLLMENT_CODE_PATTERN.test(normaliseEnrollmentCode(code)))
    return 'The enrollment code is four groups of four letters or digits, e.g. AB12-CD34-EF56-GH78.';
  return null;
}
