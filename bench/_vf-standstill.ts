/**
 * Part 5 of `bench vf`: ventricular standstill pasted into the real records
 * (main/dsp/synthetic-standstill.ts), each lead's own P waves going on at the sinus cycle in every
 * other standstill and a sinus arrest (the diastole alone) in the rest. Every lead of the record is
 * pasted at the same times; the live pipeline then runs over the record as in part 2.
 *
 * Scored: standstills during which the asystole alarm was on (an asystole episode overlapping the
 * standstill), the alarm delay (from the end of the last T wave to the alarm), and the beats the
 * pipeline reported inside standstills (P waves or noise counted as beats: each one also silences
 * or delays the alarm).
 */
import {
  pasteStandstill,
  type StandstillOptions,
  type StandstillSpan,
} from '../main/dsp/synthetic-standstill.js';
import { referenceClass } from './_beats-match.js';
import type { ScoredRecord } from './_records.js';
import { overlap } from './_scoring.js';
import type { LiveOutcome } from './_vf-live.js';

/** First standstill this far into a record, and the next ones this long after the last, seconds. */
const FIRST_S = 30;
const EVERY_S = 120;
/** Standstill lengths, seconds, in turn. */
const LENGTHS_S = [6, 8, 10, 12] as const;

/** What one record's standstills gave. */
export interface StandstillFigures {
  /** Standstills, with P waves going on and without. */
  withP: number;
  withoutP: number;
  /** Of them, those during which the asystole alarm was on. */
  alarmedWithP: number;
  alarmedWithoutP: number;
  /** Beats reported inside standstills. */
  beatsInside: number;
  /** Seconds from the standstill's start (the end of the last T wave) to the alarm. */
  delaysS: number[];
}

/** Figures of no standstill, to add to. */
export function emptyStandstillFigures(): StandstillFigures {
  return { withP: 0, withoutP: 0, alarmedWithP: 0, alarmedWithoutP: 0, beatsInside: 0, delaysS: [] };
}

/** Adds `more` to `sum`. */
export function addStandstillFigures(sum: StandstillFigures, more: StandstillFigures): void {
  sum.withP += more.withP;
  sum.withoutP += more.withoutP;
  sum.alarmedWithP += more.alarmedWithP;
  sum.alarmedWithoutP += more.alarmedWithoutP;
  sum.beatsInside += more.beatsInside;
  sum.delaysS.push(...more.delaysS);
}

/** A standstill pasted into a record, and whether its P waves go on. */
export interface PastedStandstill extends StandstillSpan {
  readonly pWaves: boolean;
}

/**
 * Pastes a standstill into `signals` (in place; `record`'s channels or a cut of them from the start)
 * after the first beat at or after `fromSample` that is normal between two normal beats and that
 * pasteStandstill accepts; undefined when no beat is.
 */
export function pasteStandstillFrom(
  signals: readonly Float64Array[],
  record: ScoredRecord,
  fromSample: number,
  options: StandstillOptions,
): PastedStandstill | undefined {
  const normal = new Set(
    record.annotations.filter((a) => referenceClass(a.symbol) === 'N').map((a) => a.sample),
  );
  const beats = record.reference;
  const first = beats.findIndex((b) => b >= fromSample);
  if (first < 0) return undefined;
  for (let k = Math.max(1, first); k + 1 < beats.length; k++) {
    if (![k - 1, k, k + 1].every((j) => normal.has(beats[j]!))) continue;
    const span = pasteStandstill(signals, beats, record.sampleRateHz, k, options);
    if (span !== undefined) return { ...span, pWaves: options.pWaves };
  }
  return undefined;
}

/** Standstills pasted into a copy of `record`'s signals: the copy and the spans, P waves in every other one. */
export function withStandstills(record: ScoredRecord): {
  signals: Float64Array[];
  spans: PastedStandstill[];
} {
  const fs = record.sampleRateHz;
  const signals = record.signals.map((s) => Float64Array.from(s));
  const spans: PastedStandstill[] = [];
  for (let from = FIRST_S * fs; ;) {
    const span = pasteStandstillFrom(signals, record, from, {
      seconds: LENGTHS_S[spans.length % LENGTHS_S.length]!,
      pWaves: spans.length % 2 === 0,
    });
    if (span === undefined) break;
    spans.push(span);
    from = span.endSample + EVERY_S * fs;
  }
  return { signals, spans };
}

/** Scores the live outcome on a record with `spans` pasted. */
export function scoreStandstills(
  spans: readonly PastedStandstill[],
  live: LiveOutcome,
  fs: number,
): StandstillFigures {
  const figures = emptyStandstillFigures();
  for (const span of spans) {
    const alarmed = live.asystole.some((a) => overlap(a, span) > 0);
    if (span.pWaves) {
      figures.withP++;
      if (alarmed) figures.alarmedWithP++;
    } else {
      figures.withoutP++;
      if (alarmed) figures.alarmedWithoutP++;
    }
    figures.beatsInside += live.beats.filter((b) => b >= span.startSample && b <= span.endSample).length;
    const alarm = live.alarms.find(
      (a) =>
        a.kind === 'asystole' && a.raisedAtSample >= span.startSample && a.raisedAtSample <= span.endSample,
    );
    if (alarm) figures.delaysS.push((alarm.raisedAtSample - span.startSample) / fs);
  }
  return figures;
}
