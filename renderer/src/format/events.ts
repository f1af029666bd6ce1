/**
 * The alarm history and event log of the Alarms and events panel, and the rhythm the heart rate
 * names while one goes on: the event kinds in words, one row per rhythm episode (the gateway
 * reports an episode when it opens and again, with its duration, when it closes), and an alarm
 * marked cleared when the gateway says it no longer applies. A page hears the gateway's alarms and
 * events of before it opened first, and again after it reconnects (`main/api/recent-events.ts`),
 * so each reducer takes an event it already holds as no change.
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
  ventricular_run: 'Ventricular run',
  supraventricular_run: 'Supraventricular run',
};

/** Arrest rhythms: episodes without beats, during which the heart rate is withheld. */
const ARREST_KINDS: ReadonlySet<EventRecord['kind']> = new Set([
  'ventricular_flutter_fibrillation',
  'asystole',
]);

/** Event kinds reported at their onset and again when they end (rhythm episodes). */
const EPISODE_KINDS: ReadonlySet<EventRecord['kind']> = new Set([
  ...ARREST_KINDS,
  'ventricular_run',
  'supraventricular_run',
  'bradycardia',
  'tachycardia',
]);

/** An alarm in the panel's history; `clearedAtMs` once the gateway cleared it. */
export type AlarmRow = Alarm & { clearedAtMs?: number };

/** Is `e` a rhythm episode still going on (reported at its onset, not yet closed)? */
export function isOngoing(e: EventRecord): boolean {
  return EPISODE_KINDS.has(e.kind) && e.durationMs === undefined;
}

/** Are `a` and `b` one report (the same event heard twice)? */
function sameEvent(a: EventRecord, b: EventRecord): boolean {
  return (
    a.kind === b.kind &&
    a.tMs === b.tMs &&
    a.durationMs === b.durationMs &&
    a.note === b.note &&
    (a.leads ?? []).join() === (b.leads ?? []).join()
  );
}

/**
 * The log with `e` added, newest first: an episode's closing report replaces its opening row; an
 * episode's onset when its row is there already, or a report the log holds, changes nothing.
 */
export function withEvent(list: readonly EventRecord[], e: EventRecord): EventRecord[] {
  if (EPISODE_KINDS.has(e.kind)) {
    const episode = (x: EventRecord) => x.kind === e.kind && x.tMs === e.tMs;
    if (e.durationMs === undefined && list.some(episode)) return [...list];
    const open = list.findIndex((x) => episode(x) && x.durationMs === undefined);
    if (open >= 0) return list.map((x, k) => (k === open ? e : x));
  }
  if (list.some((x) => sameEvent(x, e))) return [...list];
  return [e, ...list].slice(0, MAX_ROWS);
}

/** An alarm's identity: its code and when it was raised (a repeat of an alarm has its own time). */
export const alarmKey = (a: Alarm): string => `${a.atMs}-${a.code}`;

/** The history with `a` raised, newest first (unchanged when it holds that alarm already: same code and time). */
export function withAlarm(list: readonly AlarmRow[], a: Alarm): AlarmRow[] {
  if (list.some((x) => alarmKey(x) === alarmKey(a))) return [...list];
  return [a, ...list].slice(0, MAX_ROWS);
}

/** Alarms the strip at the top of the screen shows at most. */
export const STRIP_ALARMS = 5;

/**
 * The strip with `a` raised, newest first: a critical or warning alarm replaces the older one of
 * its code; an info notice is not shown there.
 */
export function withStripAlarm(list: readonly Alarm[], a: Alarm): Alarm[] {
  if (a.severity === 'info') return [...list];
  return [a, ...list.filter((x) => x.code !== a.code)].slice(0, STRIP_ALARMS);
}

/**
 * The page's title while alarms are on the strip, so that a tab or window in the background
 * shows them: "CRITICAL alarm (2) — PulseWatch" while one is critical, "WARNING alarm — …" for
 * warnings only, `base` when there is none.
 */
export function alarmTitle(strip: readonly Alarm[], base: string): string {
  if (strip.length === 0) return base;
  const severity = strip.some((a) => a.severity === 'critical') ? 'CRITICAL' : 'WARNING';
  const count = strip.length > 1 ? ` (${strip.length})` : '';
  return `${severity} alarm${count} — ${base}`;
}

/** The history with alarm `code` cleared at `atMs`: every raised one of that code not yet cleared. */
export function withAlarmCleared(list: readonly AlarmRow[], code: string, atMs: number): AlarmRow[] {
  return list.map((a) => (a.code === code && a.clearedAtMs === undefined ? { ...a, clearedAtMs: atMs } : a));
}

/**
 * The arrest rhythm going on after event `e` (no beats, no heart rate), given the one going on
 * before (`current`; null: none): an episode's onset starts it, its end (the report with its
 * duration) ends it.
 */
export function ongoingRhythm(
  current: EventRecord['kind'] | null,
  e: EventRecord,
): EventRecord['kind'] | null {
  if (!ARREST_KINDS.has(e.kind)) return current;
  if (e.durationMs === undefined) return e.kind;
  return current === e.kind ? null : current;
}

/** Why the heart rate is withheld during rhythm episode `kind`, naming it. */
export function rhythmReason(kind: EventRecord['kind']): string {
  return `no beats: ${EVENT_KIND_TEXT[kind].toLowerCase()}`;
}
