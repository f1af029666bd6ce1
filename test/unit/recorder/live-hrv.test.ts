/**
 * Live HRV is short-term HRV as the Task Force defines it: SDNN and RMSSD over the NN intervals of
 * the last 5 minutes (not the 10-s measurement window), labelled with the span they cover,
 * started again after a gap, and without the interval across a rhythm episode (an arrest).
 */
import { describe, expect, it } from 'vitest';
import { computeHrv, type TimedBeat } from '../../../main/dsp/hrv.js';
import { LiveMeasurements } from '../../../main/recorder/live-measurements.js';

const RATE_HZ = 100;
const zeros = new Float64Array(12);

/** Feeds `seconds` of flat signal with beats alternating 760/840 ms (every 10th a V); returns them. */
function feed(live: LiveMeasurements, startIndex: number, seconds: number): TimedBeat[] {
  const beats: TimedBeat[] = [];
  let next = startIndex + 50;
  let n = 0;
  for (let i = startIndex; i < startIndex + seconds * RATE_HZ; i += 1) {
    live.push(i, zeros);
    if (i === next) {
      const beatClass = n % 10 === 9 ? 'V' : 'N';
      live.addBeat(i, beatClass);
      beats.push({ timeMs: (i * 1000) / RATE_HZ, beatClass });
      next += n % 2 === 0 ? 76 : 84;
      n += 1;
    }
  }
  return beats;
}

describe('live HRV', () => {
  it('covers the last 5 minutes once that much is in, and says how much it covers before', () => {
    const live = new LiveMeasurements({ sampleRateHz: RATE_HZ });
    const early = feed(live, 0, 60);
    const first = live.measure(60_000);
    expect(first.hrvWindowMs).toBeGreaterThan(55_000);
    expect(first.hrvWindowMs).toBeLessThan(60_000);
    const expectedEarly = computeHrv(early);
    if ('withheld' in expectedEarly) throw new Error('expected HRV');
    expect(first.sdnnMs).toBeCloseTo(expectedEarly.sdnnMs, 6);

    const later = [...early, ...feed(live, 60 * RATE_HZ, 360)];
    const record = live.measure(420_000);
    expect(record.hrvWindowMs).toBeGreaterThanOrEqual(299_000);
    expect(record.hrvWindowMs).toBeLessThanOrEqual(300_000);
    const lastMs = later.at(-1)!.timeMs;
    // the beats of the last 5 minutes (from the first beat at or after last − 5 min)
    const expected = computeHrv(later.filter((b) => b.timeMs >= lastMs - 300_000));
    if ('withheld' in expected) throw new Error('expected HRV');
    // ectopic beats break NN runs: RMSSD of alternating 760/840 NN intervals is 80 ms
    expect(record.rmssdMs).toBeCloseTo(80, 0);
    expect(record.sdnnMs).toBeCloseTo(expected.sdnnMs, 0);
    expect(record.withheld.sdnnMs).toBeUndefined();
  });

  it('starts again after a gap and withholds HRV until enough beats are in', () => {
    const live = new LiveMeasurements({ sampleRateHz: RATE_HZ });
    feed(live, 0, 120);
    feed(live, 200 * RATE_HZ, 5); // 80 s missing: a new window
    const record = live.measure(205_000);
    expect(record.hrvWindowMs).toBeLessThan(5_000);
    expect(record.sdnnMs).toBeNull();
    expect(record.withheld.sdnnMs).toBe('insufficient_beats');
  });

  it('leaves out the interval across a rhythm episode, while it lasts and after it ends', () => {
    const live = new LiveMeasurements({ sampleRateHz: RATE_HZ });
    const before = feed(live, 0, 60);
    // 12 s of ventricular fibrillation: no beats, then the rhythm returns
    const start = 60 * RATE_HZ;
    const end = 72 * RATE_HZ;
    live.episode(start, null);
    for (let i = start; i < end; i++) live.push(i, zeros);
    live.episode(start, end);
    const after = feed(live, end, 30);
    const record = live.measure(102_000);
    const expected = computeHrv([...before, ...after], [[start * 10, end * 10]]);
    if ('withheld' in expected) throw new Error('expected HRV');
    expect(record.sdnnMs).toBeCloseTo(expected.sdnnMs, 6);
    expect(record.sdnnMs).toBeLessThan(60);
    expect(record.rmssdMs).toBeCloseTo(80, 0);
  });
});
