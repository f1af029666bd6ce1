/**
 * Runs the live pipeline (pipeline.ts, as the gateway runs it) over a whole record for `bench vf`
 * and collects what a user would see: the beats it reports, its closed rhythm episodes, and when
 * each alarm was raised (the sample at which the episode's opening was reported).
 */
import type { StandardLead } from '../main/dsp/leads.js';
import { LivePipeline } from '../main/dsp/pipeline.js';
import type { RhythmEpisodeKind } from '../main/dsp/rhythm-gate.js';
import type { SampleSpan } from './_scoring.js';

/** An alarm: the episode's onset as reported and the sample at which it was raised. */
export interface LiveAlarm {
  readonly kind: RhythmEpisodeKind;
  readonly startSample: number;
  readonly raisedAtSample: number;
}

/** What the live pipeline reported for one record. */
export interface LiveOutcome {
  readonly beats: number[];
  readonly vf: SampleSpan[];
  readonly asystole: SampleSpan[];
  readonly alarms: LiveAlarm[];
}

/**
 * Plays 8 acquired channels (I, II, V1–V6, input units) through a live pipeline; `detectionLeads`
 * as the pipeline's option (default II, V2, V5). `beforeSample(n, pipeline)` runs before sample
 * `n` is pushed (what the device reports beside the samples, e.g. `electrodesOff`).
 */
export function playLive(
  channels: readonly Float64Array[],
  sampleRateHz: number,
  microvoltsPerUnit: number,
  detectionLeads?: readonly StandardLead[],
  beforeSample?: (n: number, pipeline: LivePipeline) => void,
): LiveOutcome {
  if (channels.length !== 8) throw new Error(`playLive takes 8 channels, not ${channels.length}`);
  const outcome: LiveOutcome = { beats: [], vf: [], asystole: [], alarms: [] };
  let n = 0;
  const pipeline = new LivePipeline(
    { sampleRateHz, microvoltsPerUnit, mainsHz: 50, detectionLeads },
    (index) => outcome.beats.push(index),
    (e) => {
      if (e.endSample === null) {
        outcome.alarms.push({ kind: e.kind, startSample: e.startSample, raisedAtSample: n });
        return;
      }
      const span = { startSample: e.startSample, endSample: e.endSample };
      (e.kind === 'asystole' ? outcome.asystole : outcome.vf).push(span);
    },
  );
  const frame = new Float64Array(8);
  const length = channels[0]!.length;
  for (n = 0; n < length; n++) {
    for (let c = 0; c < 8; c++) frame[c] = channels[c]![n]!;
    beforeSample?.(n, pipeline);
    pipeline.push(frame);
  }
  pipeline.flush();
  outcome.beats.sort((a, b) => a - b);
  return outcome;
}

/**
 * A two-channel Holter record as the pipeline's 8 acquired channels: channel 0 (MLII in MIT-BIH)
 * as lead II with lead I at zero, channel 1 (a chest lead) as V1–V6; detect on II and V2.
 */
export function holterAsAcquired(signals: readonly Float64Array[]): {
  channels: Float64Array[];
  detectionLeads: StandardLead[];
} {
  const length = signals[0]!.length;
  const chest = signals[1] ?? signals[0]!;
  return {
    channels: [new Float64Array(length), signals[0]!, chest, chest, chest, chest, chest, chest],
    detectionLeads: signals.length > 1 ? ['II', 'V2'] : ['II'],
  };
}
