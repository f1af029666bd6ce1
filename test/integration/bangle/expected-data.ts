/**
 * Checks received watch data against the wearer model, computed independently from the
 * seed and the sample times (the simulator is not asked what it sent).
 */
import { expect } from 'vitest';
import type { AccelBatch, HrRecord } from '../../../main/devices/bangle/events.js';
import { accelMilliG, modelHeartRate } from '../../../main/devices/bangle/sim/watch-model.js';

/** Sample times of all accel batches, each sample checked against the model. Returns sorted times. */
export function checkAccelAgainstModel(seed: number, batches: AccelBatch[]): number[] {
  const times: number[] = [];
  let mismatches = 0;
  for (const batch of batches) {
    const count = batch.xyzMilliG.length / 3;
    for (let i = 0; i < count; i += 1) {
      const t = batch.ts + (i * 1000) / batch.hz;
      const expected = accelMilliG(seed, t);
      const got = batch.xyzMilliG.slice(3 * i, 3 * i + 3);
      if (got.join() !== expected.join()) mismatches += 1;
      times.push(t);
    }
  }
  expect(mismatches).toBe(0);
  times.sort((a, b) => a - b);
  expect(new Set(times).size).toBe(times.length);
  return times;
}

/** HR records checked against the model at their times. Returns sorted times. */
export function checkHrAgainstModel(seed: number, records: HrRecord[]): number[] {
  for (const record of records) {
    const model = modelHeartRate(seed, record.ts);
    expect({ ts: record.ts, bpm: record.bpm }).toEqual({ ts: record.ts, bpm: model.bpm });
    if (record.conf !== null) expect(record.conf).toBe(model.confidence);
  }
  const times = records.map((r) => r.ts).sort((a, b) => a - b);
  expect(new Set(times).size).toBe(times.length);
  return times;
}

/** The holes in a sorted series of times sampled every `periodMs`: [last before, first after]. */
export function holes(times: number[], periodMs: number): [number, number][] {
  const found: [number, number][] = [];
  for (let i = 1; i < times.length; i += 1) {
    const previous = times[i - 1]!;
    const current = times[i]!;
    if (Math.abs(current - previous - periodMs) > 1e-6) found.push([previous, current]);
  }
  return found;
}
