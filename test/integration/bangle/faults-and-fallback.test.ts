import { describe, expect, it } from 'vitest';
import { BleError } from '../../../main/devices/bangle/ble-central.js';
import { ManualClock } from '../../../main/base/clock.js';
import { BangleError } from '../../../main/devices/bangle/errors.js';
import { BangleManager } from '../../../main/devices/bangle/bangle-manager.js';
import { loadNobleCentral } from '../../../main/devices/bangle/noble-central.js';
import { SimulatedBleBindings } from '../../../main/devices/bangle/sim/sim-bindings.js';
import { modelHeartRate } from '../../../main/devices/bangle/sim/watch-model.js';
import { checkAccelAgainstModel, checkHrAgainstModel, holes } from './expected-data.js';
import { START_MS, drive, makeHarness } from './harness.js';

async function pairAndStream(h: Awaited<ReturnType<typeof makeHarness>>, address: string): Promise<void> {
  await drive(h.clock, h.manager.scan(1000));
  await drive(h.clock, h.manager.beginPairing(address));
  await drive(h.clock, h.manager.confirmPairing(address, true));
}

describe('Bangle.js faults and the Heart Rate Service fallback', () => {
  it('falls back to the standard Heart Rate Service, confirmed by name and address', async () => {
    const h = await makeHarness();
    const watch = h.addWatch({ seed: 9, kind: 'hrs' });
    const found = await drive(h.clock, h.manager.scan(1000));
    expect(found[0]).toMatchObject({ address: watch.address, transport: 'hrs' });
    const pairing = await drive(h.clock, h.manager.beginPairing(watch.address));
    expect(pairing).toEqual({ code: null, name: watch.name, transport: 'hrs' });
    expect(h.lastStatus()?.message).toBe(
      `Confirm that the watch is ${watch.name} (address ${watch.address}).`,
    );
    await drive(h.clock, h.manager.confirmPairing(watch.address, true));
    const fromMs = h.clock.now();
    await h.clock.advance(30_000);
    const toMs = h.clock.now();
    // bootgatthrm notifies each HRM reading with confidence >= 50, on whole seconds here.
    const expectedTimes: number[] = [];
    for (let t = Math.ceil(fromMs / 1000) * 1000; t <= toMs; t += 1000) {
      if (modelHeartRate(9, t).confidence >= 50) expectedTimes.push(t);
    }
    expect(h.received.hr.map((r) => r.ts)).toEqual(expectedTimes);
    expect(
      h.received.hr.every((r) => r.source === 'hrs' && r.sensorContact === true && r.conf === null),
    ).toBe(true);
    checkHrAgainstModel(9, h.received.hr);
    await drive(h.clock, h.manager.close());
  });

  it('tells staff to switch "Programmable" on when the watch ignores the program', async () => {
    const h = await makeHarness();
    const watch = h.addWatch({ seed: 1, programmable: false });
    await drive(h.clock, h.manager.scan(1000));
    const failure = await drive(h.clock, h.manager.beginPairing(watch.address)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BangleError);
    expect((failure as BangleError).code).toBe('PROGRAMMABLE_OFF');
    expect(h.lastStatus()).toMatchObject({ state: 'error', errorCode: 'PROGRAMMABLE_OFF' });
    expect(h.lastStatus()?.message).toBe(
      `${watch.name} does not answer. On the watch, open Settings → Bluetooth and set "Programmable" to On, then pair again.`,
    );
    expect(h.bindings.isConnected(watch)).toBe(false);
  });

  it('stops writing on XOFF and resumes on XON without losing a byte of the upload', async () => {
    const h = await makeHarness();
    const watch = h.addWatch({ seed: 3, xoff: { afterInputBytes: 400, holdMs: 3000, headroomBytes: 0 } });
    await drive(h.clock, h.manager.scan(1000));
    const startedMs = h.clock.now();
    const pairing = await drive(h.clock, h.manager.beginPairing(watch.address));
    expect(pairing.code).toMatch(/^\d{4}$/);
    expect(watch.stats.xoffSent).toBe(1);
    expect(watch.stats.bytesDroppedWhilePaused).toBe(0);
    // The upload waited out the XOFF (simulated time, not machine speed).
    expect(h.clock.now() - startedMs).toBeGreaterThanOrEqual(3000);
    expect(h.manager.counters(watch.address)?.xoff).toBe(1);
  });

  it('counts and skips garbage lines while the data stays exact', async () => {
    const h = await makeHarness();
    const watch = h.addWatch({ seed: 11, garbage: { everyMs: 2500 } });
    await pairAndStream(h, watch.address);
    await h.clock.advance(30_000);
    const counters = h.manager.counters(watch.address)!;
    expect(watch.stats.garbageLines).toBeGreaterThan(10);
    expect(counters.badLines).toBe(watch.stats.garbageLines);
    expect(counters.lostLines).toBe(0);
    expect(holes(checkAccelAgainstModel(11, h.received.accel), 80)).toEqual([]);
    expect(holes(checkHrAgainstModel(11, h.received.hr), 1000)).toEqual([]);
  });

  it('records lost lines as a gap when the counter jumps, without inventing samples', async () => {
    const h = await makeHarness();
    const watch = h.addWatch({ seed: 12 });
    await pairAndStream(h, watch.address);
    await h.clock.advance(10_000);
    watch.loseLines(3);
    await h.clock.advance(10_000);
    const counters = h.manager.counters(watch.address)!;
    expect(counters.lostLines).toBe(3);
    expect(h.received.gaps).toHaveLength(1);
    expect(h.received.gaps[0]).toMatchObject({ reason: 'lost-lines', lostLines: 3 });
    // Three lines ≈ 1.5 s of data: the survivors still match the model exactly.
    const accelHoles = holes(checkAccelAgainstModel(12, h.received.accel), 80);
    const hrHoles = holes(checkHrAgainstModel(12, h.received.hr), 1000);
    expect(accelHoles.length + hrHoles.length).toBeGreaterThan(0);
    expect(counters.badLines).toBe(0);
  });

  it('reports a watch clock that is off by more than 1 s and re-bases its times', async () => {
    const h = await makeHarness();
    const watch = h.addWatch({ seed: 4, setTimeErrorMs: 5000 });
    await pairAndStream(h, watch.address);
    await h.clock.advance(10_000);
    const check = h.received.clock[0]!;
    expect(check.rebased).toBe(true);
    expect(Math.abs(check.offsetMs - 5000)).toBeLessThan(100);
    expect(h.received.hr.length).toBeGreaterThan(5);
    for (const record of h.received.hr) {
      expect(record.watchTs! - record.ts).toBe(Math.round(check.offsetMs));
      // The model ran on true time; the re-based time is within the round-trip error of it.
      expect(Math.abs(record.ts - (record.watchTs! - 5000))).toBeLessThan(100);
      expect(record.bpm).toBe(modelHeartRate(4, record.watchTs! - 5000).bpm);
    }
  });

  it('clears the code and disconnects when staff say the codes differ', async () => {
    const h = await makeHarness();
    const watch = h.addWatch({ seed: 2 });
    await drive(h.clock, h.manager.scan(1000));
    await drive(h.clock, h.manager.beginPairing(watch.address));
    await drive(h.clock, h.manager.confirmPairing(watch.address, false));
    await h.clock.advance(1000);
    expect(watch.screen.message).toBe('PulseWatch');
    expect(h.bindings.isConnected(watch)).toBe(false);
    expect(h.lastStatus()).toMatchObject({ state: 'disconnected', bound: false });
    expect(h.received.hr).toEqual([]);
  });

  it('unpairs: sensors off, program forgotten, no more data', async () => {
    const h = await makeHarness();
    const watch = h.addWatch({ seed: 6 });
    await pairAndStream(h, watch.address);
    await h.clock.advance(5000);
    expect(watch.sandbox.hrmPowered).toBe(true);
    await drive(h.clock, h.manager.unpair(watch.address));
    const hrCount = h.received.hr.length;
    await h.clock.advance(5000);
    expect(watch.sandbox.resets).toBe(1);
    expect(watch.sandbox.hrmPowered).toBe(false);
    expect(watch.sandbox.listenerCount('accel')).toBe(0);
    expect(watch.sandbox.execute('typeof pw')).toBe('undefined');
    expect(h.bindings.isConnected(watch)).toBe(false);
    expect(h.lastStatus()).toMatchObject({ state: 'disconnected', bound: false });
    expect(h.received.hr.length).toBe(hrCount);
  });

  it('reports "no Bluetooth adapter" when the adapter is not powered on', async () => {
    const clock = new ManualClock(START_MS);
    const bindings = new SimulatedBleBindings(clock, { adapterState: 'poweredOff' });
    const central = await loadNobleCentral({ clock, bindings });
    const failure = await drive(clock, BangleManager.create({ clock, central })).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BleError);
    expect((failure as BleError).code).toBe('NO_ADAPTER');
    expect((failure as BleError).message).toMatch(/^No Bluetooth adapter \(adapter state: poweredOff\)/);
  });

  it('loads the platform noble lazily and reports a missing adapter instead of crashing', async (context) => {
    const outcome = await loadNobleCentral({ clock: new ManualClock(START_MS) }).then(
      () => 'loaded' as const,
      (error: unknown) => error,
    );
    if (outcome === 'loaded') {
      context.skip(
        'this machine has a Bluetooth stack noble can open; the no-adapter path is not reachable here',
      );
      return;
    }
    expect(outcome).toBeInstanceOf(BleError);
    expect((outcome as BleError).code).toBe('NO_ADAPTER');
    expect((outcome as BleError).message).toMatch(/^No Bluetooth adapter/);
  });
});
