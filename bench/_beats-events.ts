/**
 * The gateway's rhythm events (main/dsp/rhythm-events.ts: pauses, ventricular and supraventricular
 * runs, bradycardia and tachycardia episodes), made from our beats and classes and from the reference beats and
 * their AAMI classes by the same rules, and compared: an event is found when one of the other
 * side overlaps it (±150 ms). This checks that the beats and classes carry the events through,
 * not the rules themselves (a clinician's definition would be scored on their own annotations).
 * Whole record; the beats inside ventricular flutter/fibrillation are left out on both sides,
 * and the events stop at each such episode as the gateway's do (an interruption).
 */
import type { BeatClass } from '../main/dsp/hrv.js';
import { RhythmEvents, type RhythmEvent } from '../main/dsp/rhythm-events.js';
import { MATCH_WINDOW_S, type SampleSpan } from './_scoring.js';
import { round1 } from './_common.js';
import { sePpvText } from './_beats-runs.js';

/** The event kinds compared (single ectopic beats are the beat-by-beat matrix's). */
export const EVENT_KINDS = [
  'pause',
  'ventricular_run',
  'supraventricular_run',
  'bradycardia',
  'tachycardia',
] as const;
export type ComparedKind = (typeof EVENT_KINDS)[number];

/** Reference events and how many of ours overlap them; our events and how many overlap a reference one. */
export interface EventTally {
  ref: number;
  found: number;
  ours: number;
  true: number;
}

export type EventComparison = Record<ComparedKind, EventTally>;

export function emptyEvents(): EventComparison {
  return Object.fromEntries(
    EVENT_KINDS.map((k) => [k, { ref: 0, found: 0, ours: 0, true: 0 }]),
  ) as EventComparison;
}

/** The closed events of classed beats at `fs`, interrupted at each episode of `flutter`. */
export function rhythmEventsOf(
  beats: readonly { readonly sample: number; readonly cls: BeatClass }[],
  fs: number,
  flutter: readonly SampleSpan[],
): RhythmEvent[] {
  const tracker = new RhythmEvents();
  const out: RhythmEvent[] = [];
  let span = 0;
  for (const b of beats) {
    let crossed = false;
    while (span < flutter.length && flutter[span]!.startSample <= b.sample) {
      span++;
      crossed = true;
    }
    if (crossed) out.push(...tracker.interrupt());
    out.push(...tracker.beat((b.sample * 1000) / fs, b.cls));
  }
  out.push(...tracker.interrupt());
  return out.filter((e) => e.endMs !== null);
}

/** Compares `ours` against `reference` per kind; adds into `into` and returns this record's tally. */
export function compareEvents(
  reference: readonly RhythmEvent[],
  ours: readonly RhythmEvent[],
  into: EventComparison,
): EventComparison {
  const tol = MATCH_WINDOW_S * 1000;
  const overlap = (a: RhythmEvent, b: RhythmEvent): boolean =>
    a.startMs <= b.endMs! + tol && b.startMs <= a.endMs! + tol;
  const record = emptyEvents();
  for (const kind of EVENT_KINDS) {
    const r = reference.filter((e) => e.kind === kind);
    const o = ours.filter((e) => e.kind === kind);
    const t: EventTally = {
      ref: r.length,
      found: r.filter((x) => o.some((y) => overlap(x, y))).length,
      ours: o.length,
      true: o.filter((y) => r.some((x) => overlap(x, y))).length,
    };
    record[kind] = t;
    const sum = into[kind];
    sum.ref += t.ref;
    sum.found += t.found;
    sum.ours += t.ours;
    sum.true += t.true;
  }
  return record;
}

/** The kinds that occur on either side, as `pause Se 0/0 (-) +P 0/2 (0.0) | …`; empty when none. */
export function eventsText(c: EventComparison): string {
  return EVENT_KINDS.filter((k) => c[k].ref + c[k].ours > 0)
    .map((k) => {
      const t = c[k];
      return `${k} ${sePpvText(t.found, t.ref, t.true, t.ours)}`;
    })
    .join(' | ');
}

/** Headline keys: Se and +P per kind (−1 where there is nothing to score). */
export function eventKeys(c: EventComparison): Record<string, number> {
  const name: Record<ComparedKind, string> = {
    pause: 'pause',
    ventricular_run: 'vRun',
    supraventricular_run: 'svRun',
    bradycardia: 'brady',
    tachycardia: 'tachy',
  };
  return Object.fromEntries(
    EVENT_KINDS.flatMap((k) => [
      [`${name[k]}EventSePct`, round1((100 * c[k].found) / c[k].ref)],
      [`${name[k]}EventPpvPct`, round1((100 * c[k].true) / c[k].ours)],
    ]),
  );
}
