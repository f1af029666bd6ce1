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
import { pasteStandstill, type StandstillSpan } from '../main/dsp/synthetic-standstill.js';
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

/** Standstills pasted into a copy of `record`'s signals: the copy and the spans, P waves on the even ones. */
export function withStandstills(record: ScoredRecord): { signals: Float64Array[]; spans: StandstillSpan[] } {
  const fs = record.sampleRateHz;
  const signals = record.signals.map((s) => Float64Array.from(s));
  const normal = new Set(
    record.annotations.filter((a) => referenceClass(a.symbol) === 'N').map((a) => a.sample),
  );
  const beats = record.reference;
  const spans: StandstillSpan[] = [];
  let next = FIRST_S * fs;
  for (let k = 1; k + 1 < beats.length; k++) {
    if (beats[k]! < next || ![k - 1, k, k + 1].every((j) => normal.has(beats[j]!))) continue;
    const span = pasteStandstill(signals, beats, fs, k, {
      seconds: LENGTHS_S[spans.length % LENGTHS_S.length]!,
      pWaves: spans.length % 2 === 0,
    });
    if (span === undefined) continue;
    spans.push(span);
    next = span.endSample + EVERY_S * fs;
    k = span.afterBeat;
  }
  return { signals, spans };
}

/** Scores the live outcome on a record with `spans` pasted (P waves on the even ones). */
export function scoreStandstills(
  spans: readonly StandstillSpan[],
  live: LiveOutcome,
  fs: number,
): StandstillFigures {
  const figures = emptyStandstillFigures();
  spans.forEach((span, i) => {
    const withP = i % 2 === 0;
    const alarmed = live.asystole.some((a) => overlap(a, span) > 0);
    if (withP) {
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
  });
  return figures;
}
