import { describe, expect, it } from 'vitest';
import { checkAccelAgainstModel, checkHrAgainstModel, holes } from './expected-data.js';
import { drive, makeHarness } from './harness.js';
import { modelBatteryPct } from '../../../main/devices/bangle/sim/watch-model.js';

const SEED = 42;

describe('Bangle.js over the simulated BLE stack', () => {
  it('scans, pairs with a confirmed code, streams, survives a silent drop and streams the model data again', async () => {
    const h = await makeHarness();
    const watch = h.addWatch({ seed: SEED });

    const adapter: string[] = [];
    h.manager.on('adapter', (a) => adapter.push(a.state));
    const found = await drive(h.clock, h.manager.scan(2000));
    expect(adapter).toEqual(['scanning', 'ready']);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ address: watch.address, name: watch.name, transport: 'uart' });
    expect(found[0]!.rssi).toBeLessThan(-50);
    expect(found[0]!.rssi).toBeGreaterThan(-80);

    const pairing = await drive(h.clock, h.manager.beginPairing(watch.address));
    expect(pairing.code).toMatch(/^\d{4}$/);
    // Staff compare the gateway's code with the watch's screen.
    expect(watch.screen).toEqual({ title: 'Pairing code', message: pairing.code });
    expect(h.lastStatus()?.state).toBe('pairing');

    await drive(h.clock, h.manager.confirmPairing(watch.address, true));
    expect(watch.screen.message).toBe('PulseWatch');
    expect(h.lastStatus()).toMatchObject({ state: 'streaming', bound: true });
    const streamingFromMs = h.clock.now();

    await h.clock.advance(60_000);
    const dropAtMs = h.clock.now();
    watch.dropSilently();
    expect(h.bindings.isConnected(watch)).toBe(true); // noble never hears about it

    await h.until('streaming again after the drop', () => h.received.gaps.length === 1, 120_000);
    const resumedAtMs = h.received.gaps[0]!.endMs;
    await h.clock.advance(60_000);
    const endMs = h.clock.now();

    const states = h.received.statuses.map((s) => s.state);
    expect(states).toContain('reconnecting');
    expect(states.at(-1)).toBe('streaming');

    const gap = h.received.gaps[0]!;
    expect(gap.reason).toBe('silence');
    expect(gap.startMs).toBeLessThanOrEqual(dropAtMs);
    expect(gap.startMs).toBeGreaterThan(dropAtMs - 2000);
    expect(gap.endMs).toBeGreaterThan(dropAtMs);

    // Accelerometer: every sample equals the model; the only hole spans the outage.
    const accelTimes = checkAccelAgainstModel(SEED, h.received.accel);
    expect(accelTimes[0]).toBeLessThan(streamingFromMs + 1000);
    expect(accelTimes.at(-1)).toBeGreaterThan(endMs - 2000);
    const accelHoles = holes(accelTimes, 80);
    expect(accelHoles).toHaveLength(1);
    expect(accelHoles[0]![0]).toBeLessThan(dropAtMs);
    expect(accelHoles[0]![0]).toBeGreaterThan(dropAtMs - 2000);
    expect(accelHoles[0]![1]).toBeGreaterThan(dropAtMs);
    // The first sample after the outage is taken within a second of the first line after it.
    expect(accelHoles[0]![1]).toBeGreaterThanOrEqual(resumedAtMs - 1000);
    expect(accelHoles[0]![1]).toBeLessThanOrEqual(resumedAtMs + 1000);

    // Heart rate: once a second, equal to the model, one hole across the outage.
    const hrTimes = checkHrAgainstModel(SEED, h.received.hr);
    const hrHoles = holes(hrTimes, 1000);
    expect(hrHoles).toHaveLength(1);
    expect(hrHoles[0]![0]).toBeLessThan(dropAtMs);
    expect(hrHoles[0]![1]).toBeGreaterThan(dropAtMs);
    expect(hrTimes.length).toBeGreaterThan(100);

    // Battery at each start (and every 60 s), as the model says.
    expect(h.received.battery.length).toBeGreaterThanOrEqual(2);
    for (const b of h.received.battery) expect(b.pct).toBe(modelBatteryPct(SEED, b.ts));

    expect(h.manager.counters(watch.address)).toMatchObject({
      badLines: 0,
      lostLines: 0,
      gaps: 1,
      reconnects: 1,
    });
    await drive(h.clock, h.manager.close());
  });

  it('reports a watch that walks out of range and resumes when it comes back', async () => {
    const h = await makeHarness();
    const watch = h.addWatch({ seed: 5 });
    await drive(h.clock, h.manager.scan(1000));
    await drive(h.clock, h.manager.beginPairing(watch.address));
    await drive(h.clock, h.manager.confirmPairing(watch.address, true));
    await h.clock.advance(20_000);
    const leftAtMs = h.clock.now();
    watch.goOutOfRange();
    await h.until('out of range reported', () => h.lastStatus()?.state === 'out_of_range', 60_000);
    expect(h.lastStatus()?.message).toBe(
      `${watch.name} is out of range — bring the watch closer to the gateway.`,
    );
    await h.clock.advance(90_000);
    // Reconnect attempts back off: 1, 2, 4, 8… s between the end of one search and the next.
    const searches = h.received.statuses.filter((s) => s.message.startsWith(`Reconnecting to ${watch.name}`));
    expect(searches.map((s) => s.attempt)).toEqual(searches.map((_, i) => i + 1));
    const outOfRange = h.received.statuses.filter((s) => s.state === 'out_of_range');
    const pauses = searches.slice(1).map((s, i) => s.atMs - outOfRange[i]!.atMs);
    expect(pauses.slice(0, 4)).toEqual([2000, 4000, 8000, 16_000]);
    watch.comeBackInRange();
    await h.until('streaming again', () => h.received.gaps.length === 1, 120_000);
    await h.clock.advance(10_000);
    const gap = h.received.gaps[0]!;
    expect(gap.reason).toBe('disconnected');
    expect(gap.startMs).toBeLessThanOrEqual(leftAtMs);
    expect(h.lastStatus()?.state).toBe('streaming');
    const accelTimes = checkAccelAgainstModel(5, h.received.accel);
    const accelHoles = holes(accelTimes, 80);
    expect(accelHoles).toHaveLength(1);
    expect(accelHoles[0]![1] - accelHoles[0]![0]).toBeGreaterThan(90_000);
    checkHrAgainstModel(5, h.received.hr);
    await drive(h.clock, h.manager.close());
  });
});
