/**
 * A recorded ECG's beats and classes as the live pipeline would give them at a device's rate:
 * the record resampled to that rate, beats from the QRS detector on its first channel, classes
 * from the causal beat classifier on every channel, the beats' times mapped back to the record's
 * own samples for scoring. Shared by `npm run bench -- beats` and the rate tests.
 */
import { classifyRecordBeats } from '../main/dsp/beat-record.js';
import type { BeatClass } from '../main/dsp/hrv.js';
import { measureRecording } from '../main/dsp/measure.js';
import { detectQrs } from '../main/dsp/qrs.js';
import { convertSampleIndex, resample } from '../main/dsp/resample.js';
import { classifyBeats } from '../main/dsp/rhythm.js';
import type { ClassedBeat } from './_beats-match.js';

/**
 * Which classifier: the live one; `previous` (rhythm.ts `classifyBeats` over the whole record, for
 * comparison); or `window`, what made the live PVC and PAC events until this one did (before
 * 246b95c): rhythm.ts again, through `measureRecording`, over the 10-s measurement window every
 * 2 s, each beat classed by the window in whose last 2 s it falls.
 */
export type ClassifierChoice = 'live' | 'previous' | 'window';

/** Measurement window and period of the `window` classifier, seconds (live-measurements.ts). */
const WINDOW_S = 10;
const EVERY_S = 2;

/** Each beat's class as the 2-s measurements of a 10-s window gave it (see {@link ClassifierChoice}). */
function windowClasses(
  signals: readonly Float64Array[],
  beats: ArrayLike<number>,
  fs: number,
  microvoltsPerUnit: number,
): BeatClass[] {
  const uv = signals.map((s) => s.map((x) => x * microvoltsPerUnit));
  const all = Array.from(beats);
  const out: BeatClass[] = all.map(() => 'N');
  const window = WINDOW_S * fs;
  const every = EVERY_S * fs;
  for (let end = window; end <= uv[0]!.length; end += every) {
    const from = end - window;
    const inWindow = all.map((b, k) => [b, k] as const).filter(([b]) => b >= from && b < end);
    if (inWindow.length < 2) continue;
    const m = measureRecording({
      leadsMicrovolts: uv.map((lead) => lead.subarray(from, end)),
      leadNames: ['II', 'V1', 'V2', 'V5'].slice(0, uv.length),
      beatSamples: inWindow.map(([b]) => b - from),
      sampleRateHz: fs,
    });
    inWindow.forEach(([b, k], i) => {
      if (b > end - 1 - every) out[k] = m.beats[i]!.beatClass;
    });
  }
  return out;
}

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
    classifier === 'window'
      ? windowClasses(played, beats, rate, microvoltsPerUnit)
      : (classifier === 'previous'
          ? classifyBeats(played, Array.from(beats), { sampleRateHz: rate })
          : classifyRecordBeats(played, beats, rate)
        ).map((c) => c.beatClass);
  return Array.from(beats, (sample, k) => ({
    sample: rate === fs ? sample : Math.round(convertSampleIndex(sample, rate, fs)),
    cls: classes[k]!,
  }));
}
