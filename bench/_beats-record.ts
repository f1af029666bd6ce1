/**
 * A recorded ECG's beats and classes as the live pipeline would give them at a device's rate:
 * the record resampled to that rate, beats from the QRS detector on its first channel, classes
 * from the causal beat classifier on every channel, the beats' times mapped back to the record's
 * own samples for scoring. Shared by `npm run bench -- beats` and the rate tests.
 */
import { classifyRecordBeats } from '../main/dsp/beat-record.js';
import { detectQrs } from '../main/dsp/qrs.js';
import { convertSampleIndex, resample } from '../main/dsp/resample.js';
import { classifyBeats } from '../main/dsp/rhythm.js';
import type { ClassedBeat } from './_beats-match.js';

/** Which classifier: the live one, or `previous` (rhythm.ts `classifyBeats`, for comparison). */
export type ClassifierChoice = 'live' | 'previous';

/**
 * The beats of `signals` (recorded at `fs`, first channel `microvoltsPerUnit`), detected and
 * classified at `rateHz` (undefined: `fs`), at the record's sample times.
 */
export function classifiedBeats(
  signals: readonly Float64Array[],
  fs: number,
  microvoltsPerUnit: number,
  rateHz?: number,
  classifier: ClassifierChoice = 'live',
): ClassedBeat[] {
  const rate = rateHz ?? fs;
  const played = rate === fs ? signals : signals.map((s) => resample(s, fs, rate));
  const beats = detectQrs([played[0]!], rate, { microvoltsPerUnit });
  const classes =
    classifier === 'previous'
      ? classifyBeats(played, Array.from(beats), { sampleRateHz: rate })
      : classifyRecordBeats(played, beats, rate);
  return Array.from(beats, (sample, k) => ({
    sample: rate === fs ? sample : Math.round(convertSampleIndex(sample, rate, fs)),
    cls: classes[k]!.beatClass,
  }));
}
