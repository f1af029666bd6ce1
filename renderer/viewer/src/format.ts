/** How the viewer writes times, durations and numbers. All times are shown in UTC, as stored. */

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `2025-11-21 04:40:00 UTC` */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

/** `1 h 02 min 05 s`, `4 min 10 s`, `8.5 s` */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h} h ${pad(m)} min ${pad(s % 60)} s`;
  return `${m} min ${pad(s % 60)} s`;
}

/** Elapsed time into a recording, `HH:MM:SS` (hours may exceed 24). */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** Parses elapsed time `H:MM:SS`, `H:MM` or `H` into ms; null when it is not one. */
export function parseElapsed(text: string): number | null {
  const m = /^\s*(\d{1,3})(?::(\d{1,2}))?(?::(\d{1,2}))?\s*$/.exec(text);
  if (m === null) return null;
  const parts = [m[1], m[2], m[3]].filter((p): p is string => p !== undefined).map(Number);
  if (parts.slice(1).some((p) => p >= 60)) return null;
  const [h = 0, min = 0, sec = 0] = parts;
  return ((h * 60 + min) * 60 + sec) * 1000;
}

/**
 * The arrest rhythms a recording's summary counts, `ventricular flutter/fibrillation ×1 (14.2 s),
 * asystole ×1 (8 s)`; `none`; or an em dash when it does not count them (no ECG, or an older
 * summary).
 */
export function formatArrest(summary: {
  vfEpisodes?: number;
  vfMs?: number;
  asystoleEpisodes?: number;
  asystoleMs?: number;
}): string {
  const { vfEpisodes, vfMs = 0, asystoleEpisodes, asystoleMs = 0 } = summary;
  if (vfEpisodes === undefined || asystoleEpisodes === undefined) return '—';
  const parts = [
    ...(vfEpisodes > 0 ? [`ventricular flutter/fibrillation ×${vfEpisodes} (${formatDuration(vfMs)})`] : []),
    ...(asystoleEpisodes > 0 ? [`asystole ×${asystoleEpisodes} (${formatDuration(asystoleMs)})`] : []),
  ];
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/** A number or an em dash for null. */
export function orDash(value: number | null | undefined, unit = '', digits = 0): string {
  if (value === null || value === undefined) return '—';
  return `${value.toFixed(digits)}${unit === '' ? '' : ` ${unit}`}`;
}

/** `1.2 MB` */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
