/**
 * Electrodes off and back on, in a real record (MIT-BIH 100, first 3 minutes): when every detection
 * lead has been off the live pipeline learns the patient afresh (pipeline.ts, QrsDetector
 * `relearn`), so a QRS that comes back smaller (electrodes put back on a low-voltage site) is
 * followed; while the device reports the electrodes off, nothing on the floating inputs is a beat
 * and no asystole is raised, and after it asystole needs a silence of its own.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LivePipeline } from '../../../main/dsp/pipeline.js';
import type { Electrode } from '../../../main/dsp/quality-electrodes.js';
import type { RhythmEpisode } from '../../../main/dsp/rhythm-gate.js';
import { loadScoredRecord } from '../../../bench/_records.js';
import { scoreBeats } from '../../../bench/_scoring.js';
import { holterAsAcquired } from '../../../bench/_vf-live.js';

const mitdb = join(process.env.PULSEWATCH_DATA ?? '../shared/data', 'mitdb');
const OFF_S = 60;
const ON_S = 70;
/** The QRS after the electrodes are back: 15 % of its amplitude before (about 2 % of its 5–15 Hz energy). */
const BACK_SCALE = 0.15;
const ALL: Electrode[] = ['RA', 'LA', 'LL', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];

interface Run {
  beats: number[];
  episodes: RhythmEpisode[];
  reference: number[];
  fs: number;
}

/**
 * The first 3 minutes of 100 (MLII, or MLII and V5) with the electrodes off from 60 to 70 s: the
 * inputs then read `offSample(n)` (in the record's units); back on at 15 % of the amplitude. With
 * `reported`, the device reports the electrodes off meanwhile (LivePipeline `electrodesOff`).
 */
function play(channels: number[], offSample: (n: number) => number, reported: boolean): Run {
  const record = loadScoredRecord(mitdb, '100', channels);
  const fs = record.sampleRateHz;
  const length = 180 * fs;
  const [off, on] = [OFF_S * fs, ON_S * fs];
  const signals = record.signals.map((s) => {
    const out = s.slice(0, length);
    for (let n = off; n < length; n++) out[n] = n < on ? offSample(n) : BACK_SCALE * out[n]!;
    return out;
  });
  const { channels: acquired, detectionLeads } = holterAsAcquired(signals);
  const beats: number[] = [];
  const episodes: RhythmEpisode[] = [];
  const pipeline = new LivePipeline(
    { sampleRateHz: fs, microvoltsPerUnit: 1000 / record.gains[0]!, mainsHz: 50, detectionLeads },
    (r) => beats.push(r),
    (e) => episodes.push(e),
  );
  const frame = new Float64Array(8);
  for (let n = 0; n < length; n++) {
    if (reported && n === off) pipeline.electrodesOff(ALL);
    if (reported && n === on) pipeline.electrodesOff([]);
    for (let c = 0; c < 8; c++) frame[c] = acquired[c]![n]!;
    pipeline.push(frame);
  }
  pipeline.flush();
  const reference = record.reference.filter((r) => r < length && (r < off || r >= on));
  return { beats, episodes, reference, fs };
}

/** Beats from 2 s after the electrodes are back: every one found, none false. */
function expectFollowedAfterReturn({ beats, reference, fs }: Run): void {
  const from = (ON_S + 2) * fs;
  const score = scoreBeats(
    reference.filter((r) => r >= from),
    beats.filter((b) => b >= from),
    fs,
  );
  expect(score.tp).toBeGreaterThan(120); // 108 s at about 75/min
  expect(score.fn).toBe(0);
  expect(score.fp).toBe(0);
}

describe.skipIf(!existsSync(join(mitdb, '100.hea')))('electrodes off, back on a low-voltage site', () => {
  // a detached input pinned at the converter's rail: a flat line to the quality monitor
  const rail = (): number => 4000;

  it.each([
    ['MLII alone', [0]],
    ['MLII and V5', [0, 1]],
  ])('%s, flat while off: the detector relearns and follows the smaller QRS', (_, channels) => {
    const run = play(channels, rail, false);
    expectFollowedAfterReturn(run);
    // the edge where the signal leaves the rail may pass for one beat, no more
    const fs = run.fs;
    const near = run.beats.filter((b) => b >= ON_S * fs && b < (ON_S + 2) * fs);
    expect(near.length).toBeLessThanOrEqual(3);
    // a flat line may be asystole (the device did not say the electrodes were off): the silence
    // can be one, but none after the beats are back
    const asystole = run.episodes.filter((e) => e.kind === 'asystole' && e.endSample !== null);
    for (const e of asystole) expect(e.endSample!).toBeLessThan((ON_S + 2) * fs);
  });

  it('reported off by the device, floating inputs with mains hum and noise: no beat, no asystole, then relearned', () => {
    // an unconnected input picks up mains (50 Hz, 0.5 mV) and noise: not flat to the quality monitor
    let seed = 1;
    const noise = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 40;
    const floating = (n: number): number => 100 * Math.sin((2 * Math.PI * 50 * n) / 360) + noise();
    const run = play([0, 1], floating, true);
    const fs = run.fs;
    expect(run.beats.filter((b) => b >= OFF_S * fs && b < ON_S * fs)).toEqual([]);
    expect(run.episodes.filter((e) => e.kind === 'asystole')).toEqual([]);
    expectFollowedAfterReturn(run);
  });

  it('reported off by the device, flat inputs: no asystole during the lead-off nor as the leads come back', () => {
    const run = play([0], rail, true);
    expect(run.episodes.filter((e) => e.kind === 'asystole')).toEqual([]);
    expectFollowedAfterReturn(run);
  });
});
