/**
 * The ECG-12 host link against the simulator over a real pseudo-terminal (Python's pty.openpty()),
 * opened with serialport's native bindings exactly as a USB unit would be.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Ecg12PtySimulator } from '../../../main/devices/ecg12/sim/pty-simulator.js';
import type { Ecg12DamageOptions, SimulatedFrame } from '../../../main/devices/ecg12/sim/simulator.js';
import type { Ecg12Gap, Ecg12Status } from '../../../main/devices/ecg12/schemas.js';
import { Ecg12Unit } from '../../../main/devices/ecg12/unit.js';
import { countAt } from '../../unit/ecg12/frame-helpers.js';
import { testSourceOptions } from '../../unit/ecg12/mock-unit.js';
import { collectSamples, framesByFate, tempLinkPath, waitFor } from './pty-helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const damageCases: [string, Ecg12DamageOptions][] = [
  ['no damage', {}],
  ['bad CRC', { badCrcRate: 0.2 }],
  ['dropped frames', { dropRate: 0.2 }],
  ['garbage bytes', { garbageRate: 0.3 }],
  ['unknown frame types', { unknownTypeRate: 0.3 }],
  ['length over 1024', { badLengthRate: 0.2 }],
  ['split writes', { splitWrites: true }],
  [
    'everything at once',
    {
      badCrcRate: 0.1,
      dropRate: 0.1,
      garbageRate: 0.2,
      unknownTypeRate: 0.2,
      badLengthRate: 0.1,
      splitWrites: true,
    },
  ],
];

function expectedCounts(firstIndex: number, setCount: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < setCount; i++)
    for (let ch = 0; ch < 8; ch++) out.push(countAt((firstIndex + i) % 1000, ch));
  return out;
}

describe.each([80, 1000] as const)('ECG-12 over a real pty at %i Hz', (rateHz) => {
  it.each(damageCases)('decodes exactly the samples sent intact with %s', async (_name, damage) => {
    const frames: SimulatedFrame[] = [];
    const sim = await Ecg12PtySimulator.start({
      ...testSourceOptions('ECG-12345', { damage: { seed: 7, ...damage }, onFrame: (f) => frames.push(f) }),
      linkPath: tempLinkPath(),
      timeScale: 4,
    });
    cleanups.push(() => sim.stop());
    const unit = new Ecg12Unit({ path: sim.path, rateHz });
    cleanups.push(() => unit.stop());
    const decoded = collectSamples(unit);
    await unit.start();
    await waitFor('60 SAMPLES frames', () => frames.length >= 60);
    await unit.stop(); // STOP's ACK comes after every frame sent before it

    const sent = framesByFate(frames, 'sent');
    expect(decoded.map((b) => b.firstIndex)).toEqual(sent.map((f) => f.firstIndex));
    for (const [i, batch] of decoded.entries())
      expect(batch.counts).toEqual(expectedCounts(batch.firstIndex, sent[i]!.setCount));
    const lastSent = sent.at(-1)!;
    const lostBeforeLast = frames
      .filter((f) => f.fate !== 'sent' && f.seq < lastSent.seq)
      .reduce((n, f) => n + f.setCount, 0);
    const c = unit.counters();
    expect(c.sampleSetsLost).toBe(lostBeforeLast);
    expect(c.crcRejects).toBeGreaterThanOrEqual(
      framesByFate(frames, 'corrupted').filter((f) => f.seq < lastSent.seq).length,
    );
    if (damage.unknownTypeRate !== undefined) expect(c.unknownTypeFrames).toBeGreaterThan(0);
    if (damage.badLengthRate !== undefined) expect(c.lengthRejects).toBeGreaterThan(0);
    if (damage.garbageRate !== undefined) expect(c.bytesDiscarded).toBeGreaterThan(0);
  });
});

describe('ECG-12 unplug and replug over a real pty', () => {
  it('keeps what was received, reconnects on the same path and records the gap between runs', async () => {
    const frames: SimulatedFrame[] = [];
    const sim = await Ecg12PtySimulator.start({
      ...testSourceOptions('ECG-12345', { onFrame: (f) => frames.push(f) }),
      linkPath: tempLinkPath(),
    });
    cleanups.push(() => sim.stop());
    const unit = new Ecg12Unit({
      path: sim.path,
      rateHz: 250,
      reconnect: { initialMs: 100, maxMs: 400 },
    });
    cleanups.push(() => unit.stop());
    const decoded = collectSamples(unit);
    const statuses: Ecg12Status[] = [];
    const gaps: Ecg12Gap[] = [];
    unit.on('status', (s) => statuses.push(s));
    unit.on('gap', (g) => gaps.push(g));
    await unit.start();
    await waitFor('run 0 samples', () => decoded.length >= 20);

    const unpluggedAt = Date.now();
    await sim.unplug();
    await waitFor('the unplug to be noticed', () => unit.status.state === 'reconnecting');
    expect(
      statuses.some(
        (s) => s.state === 'unplugged' && s.message === 'unit ECG-12345 unplugged — reconnect the USB cable',
      ),
    ).toBe(true);
    const run0 = decoded.filter((b) => b.run === 0);
    await new Promise((resolve) => setTimeout(resolve, 600));
    const replugAt = Date.now();
    await sim.replug();
    await waitFor('run 1 samples', () => decoded.some((b) => b.run === 1 && b.firstIndex >= 50));

    expect(decoded.filter((b) => b.run === 0)).toEqual(run0); // kept, nothing added or replaced
    expect(run0.map((b) => b.firstIndex)).toEqual(run0.map((_, i) => i * 5));
    const run1 = decoded.filter((b) => b.run === 1);
    expect(run1[0]!.firstIndex).toBe(0);
    expect(run1[0]!.counts).toEqual(expectedCounts(0, 5));
    expect(gaps).toHaveLength(1);
    const gap = gaps[0]!;
    expect(gap.kind).toBe('between-runs');
    expect(gap.estimated).toBe(true);
    expect(gap.sessionFirstIndex).toBeGreaterThanOrEqual(run0.length * 5);
    // The unit was away at least from the unplug to the replug (host clock), give or take one frame.
    expect(gap.sampleSets).toBeGreaterThanOrEqual(Math.floor(((replugAt - unpluggedAt) * 250) / 1000) - 5);
    expect(unit.counters().reconnects).toBe(1);
    expect(unit.status.state).toBe('streaming');
  });
});
