/**
 * Rhythm events from the beats stream: bradycardia, tachycardia, pauses, and each ectopic beat.
 *
 * Thresholds (defaults, all settable):
 * - bradycardia: rate < 50 bpm — the 2018 ACC/AHA/HRS bradycardia guideline's definition of sinus
 *   bradycardia (Kusumoto et al., Circulation 140:e382, 2019), lowered from the traditional 60 bpm;
 * - tachycardia: rate > 100 bpm (the conventional adult limit, same guideline family);
 *   rate = 60 000 / median of the last {@link RATE_WINDOW_BEATS} RR intervals, and a brady/tachy episode
 *   needs that many consecutive beats beyond the limit (a single long or short RR is not an episode);
 * - pause: any RR > 2.0 s (Holter reporting's usual minimum; 3 s is the usual clinical alarm).
 */
import type { BeatClass } from './hrv.js';
import { median } from './stats.js';

/** Kinds of rhythm event. */
export type RhythmEventKind = 'bradycardia' | 'tachycardia' | 'pause' | 'pvc' | 'pac';

/** An event, as sample indexes into the record ([start, end], end = start for single beats). */
export interface RhythmEvent {
  readonly kind: RhythmEventKind;
  readonly startSample: number;
  readonly endSample: number;
  /** For rate events, the extreme rate in the episode (bpm); for pauses, the RR (ms). */
  readonly value?: number;
}

/** Settings of {@link detectRhythmEvents}. */
export interface RhythmEventOptions {
  readonly sampleRateHz: number;
  /** Default 50. */
  readonly bradycardiaBpm?: number;
  /** Default 100. */
  readonly tachycardiaBpm?: number;
  /** Default 2000. */
  readonly pauseMs?: number;
}

/** Beats in the rate window. */
export const RATE_WINDOW_BEATS = 8;

/** Running heart rate (bpm) at each beat from the median of the last RR intervals; NaN before the second beat. */
export function runningRateBpm(beatSamples: readonly number[], sampleRateHz: number): number[] {
  const rr: number[] = [];
  return beatSamples.map((s, k) => {
    if (k > 0) rr.push(((s - beatSamples[k - 1]!) * 1000) / sampleRateHz);
    return rr.length === 0 ? NaN : 60_000 / median(rr.slice(-RATE_WINDOW_BEATS));
  });
}

function rateEpisodes(
  beats: readonly number[],
  rates: readonly number[],
  kind: 'bradycardia' | 'tachycardia',
  beyond: (bpm: number) => boolean,
): RhythmEvent[] {
  const out: RhythmEvent[] = [];
  let start = -1;
  let extreme = NaN;
  const close = (endIndex: number): void => {
    if (start >= 0 && endIndex - start + 1 >= RATE_WINDOW_BEATS) {
      out.push({ kind, startSample: beats[start]!, endSample: beats[endIndex]!, value: extreme });
    }
    start = -1;
  };
  for (let k = 0; k < beats.length; k++) {
    const bpm = rates[k]!;
    if (Number.isFinite(bpm) && beyond(bpm)) {
      if (start < 0) {
        start = k;
        extreme = bpm;
      }
      extreme = kind === 'bradycardia' ? Math.min(extreme, bpm) : Math.max(extreme, bpm);
    } else close(k - 1);
  }
  close(beats.length - 1);
  return out;
}

/** All rhythm events of a beats stream, sorted by start. */
export function detectRhythmEvents(
  beatSamples: readonly number[],
  beatClasses: readonly BeatClass[],
  options: RhythmEventOptions,
): RhythmEvent[] {
  const fs = options.sampleRateHz;
  const rates = runningRateBpm(beatSamples, fs);
  const brady = options.bradycardiaBpm ?? 50;
  const tachy = options.tachycardiaBpm ?? 100;
  const pauseMs = options.pauseMs ?? 2000;
  const events: RhythmEvent[] = [
    ...rateEpisodes(beatSamples, rates, 'bradycardia', (b) => b < brady),
    ...rateEpisodes(beatSamples, rates, 'tachycardia', (b) => b > tachy),
  ];
  for (let k = 1; k < beatSamples.length; k++) {
    const rrMs = ((beatSamples[k]! - beatSamples[k - 1]!) * 1000) / fs;
    if (rrMs > pauseMs)
      events.push({
        kind: 'pause',
        startSample: beatSamples[k - 1]!,
        endSample: beatSamples[k]!,
        value: rrMs,
      });
  }
  beatClasses.forEach((c, k) => {
    const s = beatSamples[k]!;
    if (c === 'V') events.push({ kind: 'pvc', startSample: s, endSample: s });
    if (c === 'S') events.push({ kind: 'pac', startSample: s, endSample: s });
  });
  return events.sort((a, b) => a.startSample - b.startSample);
}
