import { describe, expect, it } from 'vitest';
import type { EcgBatch, LeadName } from '../../../renderer/src/api-types.js';
import { LEADS } from '../../../renderer/src/api-types.js';
import { EcgStream } from '../../../renderer/src/ecg/ecg-stream.js';
import { SweepClock } from '../../../renderer/src/ecg/sweep-clock.js';

function batch(over: Partial<EcgBatch> & { n: number; value?: (i: number) => number }): EcgBatch {
  const first = over.firstSampleIndex ?? 0;
  const value = over.value ?? ((i: number) => i);
  return {
    deviceSerial: over.deviceSerial ?? 'ECG-1',
    simulated: true,
    sampleRateHz: over.sampleRateHz ?? 1000,
    runStartMs: over.runStartMs ?? 1_700_000_000_000,
    firstSampleIndex: first,
    leads: over.leads ?? [...LEADS],
    samplesUv: (over.leads ?? LEADS).map((_, k) =>
      Array.from({ length: over.n }, (_, j) => value(first + j) + k),
    ),
    beats: over.beats ?? [],
  };
}

const ch = (lead: LeadName) => EcgStream.channelOf(lead);

describe('EcgStream', () => {
  it('puts each lead in its channel whatever order the batch lists them in', () => {
    const stream = new EcgStream();
    stream.ingest(batch({ n: 3, leads: ['V6', 'I'], value: () => 100 }));
    expect(stream.ring?.get(ch('V6'), 0)).toBe(100);
    expect(stream.ring?.get(ch('I'), 0)).toBe(101);
    expect(stream.ring?.get(ch('II'), 0)).toBeNaN();
  });

  it('shows samples lost between batches of a run as a gap', () => {
    const stream = new EcgStream();
    stream.ingest(batch({ n: 10 }));
    const latest = stream.ingest(batch({ n: 10, firstSampleIndex: 15 }));
    expect(latest).toBe(24);
    expect(stream.ring?.get(0, 9)).toBe(9);
    for (let i = 10; i < 15; i++) expect(stream.ring?.get(0, i)).toBeNaN();
    expect(stream.ring?.get(0, 15)).toBe(15);
  });

  it('places a new run (reconnect) by its start time, leaving the outage as a gap', () => {
    const stream = new EcgStream();
    const t0 = 1_700_000_000_000;
    stream.ingest(batch({ n: 500, runStartMs: t0 }));
    const latest = stream.ingest(batch({ n: 100, runStartMs: t0 + 2000, value: () => 7 }));
    expect(latest).toBe(2099);
    expect(stream.ring?.get(0, 499)).toBe(499);
    expect(stream.ring?.get(0, 1000)).toBeNaN();
    expect(stream.ring?.get(0, 2000)).toBe(7);
    expect(stream.generation).toBe(1);
  });

  it('starts a new timeline when the sample rate or the device changes', () => {
    const stream = new EcgStream();
    stream.ingest(batch({ n: 10 }));
    stream.ingest(batch({ n: 10, sampleRateHz: 500 }));
    expect(stream.generation).toBe(2);
    expect(stream.sampleRateHz).toBe(500);
    stream.ingest(batch({ n: 10, sampleRateHz: 500, deviceSerial: 'ECG-2' }));
    expect(stream.generation).toBe(3);
  });

  it('maps beats to display indices for the markers', () => {
    const stream = new EcgStream();
    const t0 = 1_700_000_000_000;
    stream.ingest(
      batch({
        n: 1000,
        runStartMs: t0,
        beats: [
          { tMs: t0 + 250, beatClass: 'N' },
          { tMs: t0 + 900, beatClass: 'V' },
        ],
      }),
    );
    const seen: [number, string][] = [];
    stream.forEachBeat(0, 999, (i, c) => seen.push([i, c]));
    expect(seen).toEqual([
      [250, 'N'],
      [900, 'V'],
    ]);
    const late: number[] = [];
    stream.forEachBeat(500, 999, (i) => late.push(i));
    expect(late).toEqual([900]);
  });
});

describe('SweepClock', () => {
  it('advances with the clock a fixed delay behind the newest sample, never past it', () => {
    const clock = new SweepClock(1000, 250);
    expect(clock.head(0)).toBe(-1);
    clock.observe(999, 1000);
    expect(clock.head(1000)).toBe(749);
    expect(clock.head(1100)).toBe(849);
    expect(clock.head(1400)).toBe(999);
    expect(clock.head(5000)).toBe(999);
    expect(clock.silenceMs(5000)).toBe(4000);
  });

  it('jumps ahead when a batch arrives early and follows late ones slowly', () => {
    const clock = new SweepClock(1000, 0);
    clock.observe(999, 1000);
    clock.observe(1999, 1900);
    expect(clock.head(1900)).toBe(1999);
    clock.observe(2999, 3000);
    expect(clock.head(3000)).toBeGreaterThan(2900);
    expect(clock.head(3000)).toBeLessThanOrEqual(2999);
  });

  it('forgets the old run on reset', () => {
    const clock = new SweepClock(1000, 0);
    clock.observe(500, 100);
    clock.reset(250);
    expect(clock.head(200)).toBe(-1);
  });
});
