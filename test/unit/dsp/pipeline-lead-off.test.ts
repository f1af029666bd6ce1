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
import { loadScoredRecord } from '../../../bench/_records.js';
import { scoreBeats } from '../../../bench/_scoring.js';
import { playWithLeadOffs, withLeadOffs, type OffSignal } from '../../../bench/_lead-off.js';
import type { LiveOutcome } from '../../../bench/_vf-live.js';

const mitdb = join(process.env.PULSEWATCH_DATA ?? '../shared/data', 'mitdb');
const OFF_S = 60;
const ON_S = 70;

interface Run {
  live: LiveOutcome;
  reference: number[];
  fs: number;
}

/**
 * The first 3 minutes of 100 (MLII, or MLII and V5) with every electrode off from 60 to 70 s
 * (bench/_lead-off.ts: the inputs `off`), back at 15 % of the amplitude (about 2 % of the QRS's
 * 5–15 Hz energy); with `reported`, the device reports the electrodes off meanwhile.
 */
function play(channels: number[], off: OffSignal, reported: boolean): Run {
  const record = loadScoredRecord(mitdb, '100', channels);
  const fs = record.sampleRateHz;
  const length = 180 * fs;
  const signals = record.signals.map((s) => s.subarray(0, length));
  const leadOffs = [{ startSample: OFF_S * fs, endSample: ON_S * fs - 1, scaleAfter: 0.15 }];
  const pasted = withLeadOffs(signals, record.gains, fs, leadOffs, off);
  const live = playWithLeadOffs(record, pasted, leadOffs, reported);
  const reference = record.reference.filter((r) => r < length && (r < OFF_S * fs || r >= ON_S * fs));
  return { live, reference, fs };
}

/** Beats from 2 s after the electrodes are back: every one found, none false. */
function expectFollowedAfterReturn({ live, reference, fs }: Run): void {
  const from = (ON_S + 2) * fs;
  const score = scoreBeats(
    reference.filter((r) => r >= from),
    live.beats.filter((b) => b >= from),
    fs,
  );
  expect(score.tp).toBeGreaterThan(120); // 108 s at about 75/min
  expect(score.fn).toBe(0);
  expect(score.fp).toBe(0);
}

describe.skipIf(!existsSync(join(mitdb, '100.hea')))('electrodes off, back on a low-voltage site', () => {
  it.each([
    ['MLII alone', [0]],
    ['MLII and V5', [0, 1]],
  ])('%s, flat while off: the detector relearns and follows the smaller QRS', (_, channels) => {
    const run = play(channels, 'flat', false);
    expectFollowedAfterReturn(run);
    // the edge where the signal leaves the rail may pass for one beat, no more
    const fs = run.fs;
    const near = run.live.beats.filter((b) => b >= ON_S * fs && b < (ON_S + 2) * fs);
    expect(near.length).toBeLessThanOrEqual(3);
    // a flat line may be asystole (the device did not say the electrodes were off): the silence
    // can be one, but none after the beats are back
    for (const a of run.live.asystole) expect(a.endSample).toBeLessThan((ON_S + 2) * fs);
  });

  it('reported off by the device, floating inputs with mains hum and noise: no beat, no asystole, then relearned', () => {
    const run = play([0, 1], 'floating', true);
    const fs = run.fs;
    expect(run.live.beats.filter((b) => b >= OFF_S * fs && b < ON_S * fs)).toEqual([]);
    expect(run.live.alarms).toEqual([]);
    expectFollowedAfterReturn(run);
  });

  it('reported off by the device, flat inputs: no asystole during the lead-off nor as the leads come back', () => {
    const run = play([0], 'flat', true);
    expect(run.live.alarms).toEqual([]);
    expectFollowedAfterReturn(run);
  });
});
