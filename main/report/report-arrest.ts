/**
 * The arrest rhythms a recording holds, as the report prints them: each ventricular
 * flutter/fibrillation or asystole episode the gateway computed (main/dsp/rhythm-gate.ts), with
 * its onset, end and length. The events stream holds an episode twice, at its onset and with its
 * duration once it ended; an episode that never ended was still going on when the recording did,
 * and one that ended as the electrodes came off is printed as not seen to end.
 */
import { EPISODE_END_UNSEEN_NOTE, type EventRecord } from '../../server-contract/api/streams.js';
import { utcClock } from './ecg-strip.js';

/** Episodes printed by name; more are counted. */
const MAX_LISTED = 6;

const KIND_TEXT: Partial<Record<EventRecord['kind'], string>> = {
  ventricular_flutter_fibrillation: 'Ventricular flutter/fibrillation',
  asystole: 'Asystole',
};

/**
 * An arrest episode: its kind, onset and end (null: still going on when the recording ended), ms;
 * `endUnseen` when it ended only because the electrodes came off (EPISODE_END_UNSEEN_NOTE).
 */
export interface ArrestEpisode {
  readonly kind: EventRecord['kind'];
  readonly startMs: number;
  readonly endMs: number | null;
  readonly endUnseen: boolean;
}

/** The arrest episodes in a recording's `events`, in time order. */
export function arrestEpisodes(events: readonly EventRecord[]): ArrestEpisode[] {
  return rhythmEpisodes(events, (kind) => KIND_TEXT[kind] !== undefined);
}

/**
 * The rhythm episodes of the kinds `keep` takes (arrest rhythms, runs) in a recording's `events`,
 * in time order: the stream holds each at its onset and again, with its duration, when it ended;
 * each is taken once, with its end when one was recorded.
 */
export function rhythmEpisodes(
  events: readonly EventRecord[],
  keep: (kind: EventRecord['kind']) => boolean,
): ArrestEpisode[] {
  const episodes = events.filter((e) => keep(e.kind));
  const ended = episodes.filter((e) => e.durationMs !== undefined);
  const unended = episodes.filter(
    (e) => e.durationMs === undefined && !ended.some((x) => x.kind === e.kind && x.tMs === e.tMs),
  );
  return [...ended, ...unended]
    .map((e) => ({
      kind: e.kind,
      startMs: e.tMs,
      endMs: e.durationMs === undefined ? null : e.tMs + e.durationMs,
      endUnseen: e.note === EPISODE_END_UNSEEN_NOTE,
    }))
    .sort((a, b) => a.startMs - b.startMs);
}

/**
 * The episodes as spans without normal-to-normal intervals, [startMs, endMs): no beat inside, and
 * the interval across one is an arrest, not heart-rate variability.
 */
export function arrestSpans(episodes: readonly ArrestEpisode[]): [number, number][] {
  return episodes.map((e) => [e.startMs, e.endMs ?? Number.POSITIVE_INFINITY]);
}

/** The report's line of arrest episodes, or null when there is none. */
export function arrestEpisodesText(episodes: readonly ArrestEpisode[]): string | null {
  if (episodes.length === 0) return null;
  const listed = episodes.slice(0, MAX_LISTED).map((e) => {
    const name = KIND_TEXT[e.kind]!;
    if (e.endMs === null)
      return `${name} from ${utcClock(e.startMs)} UTC, still going on when the recording ended`;
    const length = ((e.endMs - e.startMs) / 1000).toFixed(1);
    const unseen = e.endUnseen ? '; then the signal was lost: its end was not seen' : '';
    return `${name} ${utcClock(e.startMs)}–${utcClock(e.endMs)} UTC (${length} s${unseen})`;
  });
  const more = episodes.length > MAX_LISTED ? `; ${episodes.length - MAX_LISTED} more` : '';
  return `${listed.join('; ')}${more}`;
}

/** The ECG page's alert naming how many arrest episodes of each kind the recording holds, or null. */
export function arrestAlert(episodes: readonly ArrestEpisode[]): string | null {
  if (episodes.length === 0) return null;
  const counts = new Map<string, number>();
  for (const e of episodes) counts.set(KIND_TEXT[e.kind]!, (counts.get(KIND_TEXT[e.kind]!) ?? 0) + 1);
  const kinds = [...counts].map(([name, n]) => `${name.toLowerCase()} ×${n}`).join(', ');
  return `Arrest rhythm computed in this recording: ${kinds} (times under Recording)`;
}
