/**
 * The alarm history and event log of the Alarms and events panel, and the rhythm the heart rate
 * names while one goes on: the event kinds in words, one row per rhythm episode (the gateway
 * reports an episode when it opens and again, with its duration, when it closes), and an alarm
 * marked cleared when the gateway says it no longer applies.
 */
import type { Alarm, EventRecord } from '../api-types.js';

/** Entries kept on screen (newest first). */
export const MAX_ROWS = 200;

/** Each event kind as the log names it. */
export const EVENT_KIND_TEXT: Record<EventRecord['kind'], string> = {
  pvc: 'PVC',
  pac: 'PAC',
  bradycardia: 'Bradycardia',
  tachycardia: 'Tachycardia',
  pause: 'Pause',
  lead_off: 'Lead off',
  signal_quality: 'Signal quality',
  gap: 'Gap',
  marker: 'Marker',
  device: 'Device',
  ventricular_flutter_fibrillation: 'Ventricular flutter/fibrillation',
  asystole: 'Asystole',
};

/** Event kinds reported at their onset and again when they end (rhythm episodes). */
const EPISODE_KINDS: ReadonlySet<EventRecord['kind']> = new Set([
  'ventricular_flutter_fibrillation',
  'asystole',
]);

/** An alarm in the panel's history; `clearedAtMs` once the gateway cleared it. */
export type AlarmRow = Alarm & { clearedAtMs?: number };

/** Is `e` a rhythm episode still going on (reported at its onset, not yet closed)? */
export function isOngoing(e: EventRecord): boolean {
  return EPISODE_KINDS.has(e.kind) && e.durationMs === undefined;
}

/** The log with `e` added, newest first: an episode's closing report replaces its opening row. */
export function withEvent(list: readonly EventRecord[], e: EventRecord): EventRecord[] {
  if (e.durationMs !== undefined && EPISODE_KINDS.has(e.kind)) {
    const open = list.findIndex((x) => x.kind === e.kind && x.tMs === e.tMs && x.durationMs === undefined);
    if (open >= 0) return list.map((x, k) => (k === open ? e : x));
  }
  return [e, ...list].slice(0, MAX_ROWS);
}

/** The history with `a` raised, newest first. */
export function withAlarm(list: readonly AlarmRow[], a: Alarm): AlarmRow[] {
  return [a, ...list].slice(0, MAX_ROWS);
}

/** The history with alarm `code` cleared at `atMs`: every raised one of that code not yet cleared. */
export function withAlarmCleared(list: readonly AlarmRow[], code: string, atMs: number): AlarmRow[] {
  return list.map((a) => (a.code === code && a.clearedAtMs === undefined ? { ...a, clearedAtMs: atMs } : a));
}

/**
 * The rhythm episode going on after event `e`, given the one going on before (`current`; null:
 * none): an episode's onset starts it, its end (the report with its duration) ends it.
 */
export function ongoingRhythm(
  current: EventRecord['kind'] | null,
  e: EventRecord,
): EventRecord['kind'] | null {
  if (!EPISODE_KINDS.has(e.kind)) return current;
  if (e.durationMs === undefined) return e.kind;
  return current === e.kind ? null : current;
}

/** Why the heart rate is withheld during rhythm episode `kind`, naming it. */
export function rhythmReason(kind: EventRecord['kind']): string {
  return `no beats: ${EVENT_KIND_TEXT[kind].toLowerCase()}`;
}
