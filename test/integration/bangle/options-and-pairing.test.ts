import { describe, expect, it } from 'vitest';
import { BangleError } from '../../../main/devices/bangle/errors.js';
import { modelPpgRaw } from '../../../main/devices/bangle/sim/watch-model.js';
import { checkAccelAgainstModel, holes } from './expected-data.js';
import { drive, makeHarness } from './harness.js';

describe('Bangle.js stream options, MTU and pairing edges', () => {
  it('writes in MTU − 3 chunks: 128 bytes on a Bangle.js 2, 20 before any MTU exchange', async () => {
    for (const [maxMtu, expected] of [
      [131, 128],
      [23, 20],
    ] as const) {
      const h = await makeHarness();
      const watch = h.addWatch({ seed: 8, maxMtu });
      await drive(h.clock, h.manager.scan(1000));
      await drive(h.clock, h.manager.beginPairing(watch.address));
      expect(watch.stats.largestWriteBytes).toBe(expected);
    }
  });

  it('streams the accelerometer at 25 Hz and raw PPG when configured', async () => {
    const h = await makeHarness({ link: { stream: { hrm: true, accHz: 25, ppg: true } } });
    const watch = h.addWatch({ seed: 13 });
    await drive(h.clock, h.manager.scan(1000));
    await drive(h.clock, h.manager.beginPairing(watch.address));
    await drive(h.clock, h.manager.confirmPairing(watch.address, true));
    await h.clock.advance(10_000);
    expect(h.received.accel.every((b) => b.hz === 25)).toBe(true);
    expect(holes(checkAccelAgainstModel(13, h.received.accel), 40)).toEqual([]);
    expect(h.received.ppg.length).toBeGreaterThan(5);
    for (const batch of h.received.ppg) {
      expect(batch.hz).toBe(25);
      expect(batch.raw).toEqual(batch.raw.map((_, i) => modelPpgRaw(13, batch.ts + i * 40)));
    }
    expect(h.manager.counters(watch.address)?.badLines).toBe(0);
  });

  it('cancels a pairing nobody confirms, clearing the code', async () => {
    const h = await makeHarness({ link: { pairingTimeoutMs: 60_000 } });
    const watch = h.addWatch({ seed: 14 });
    await drive(h.clock, h.manager.scan(1000));
    const { code } = await drive(h.clock, h.manager.beginPairing(watch.address));
    expect(watch.screen.message).toBe(code);
    await h.clock.advance(61_000);
    expect(h.lastStatus()).toMatchObject({
      state: 'disconnected',
      message: `Pairing with ${watch.name} timed out: nobody confirmed the code.`,
    });
    expect(watch.screen.message).toBe('PulseWatch');
    expect(h.bindings.isConnected(watch)).toBe(false);
    const late = await drive(h.clock, h.manager.confirmPairing(watch.address, true)).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(BangleError);
    expect((late as BangleError).code).toBe('NOT_PAIRING');
  });

  it('refuses to pair a watch nobody has scanned for, and one that is already paired', async () => {
    const h = await makeHarness();
    const watch = h.addWatch({ seed: 15 });
    const unseen = await drive(h.clock, h.manager.beginPairing(watch.address)).catch((e: unknown) => e);
    expect((unseen as BangleError).code).toBe('NOT_FOUND');
    await drive(h.clock, h.manager.scan(1000));
    await drive(h.clock, h.manager.beginPairing(watch.address));
    await drive(h.clock, h.manager.confirmPairing(watch.address, true));
    const again = await drive(h.clock, h.manager.beginPairing(watch.address)).catch((e: unknown) => e);
    expect((again as BangleError).code).toBe('NOT_PAIRING');
    expect(h.lastStatus()?.state).toBe('streaming');
    await drive(h.clock, h.manager.close());
  });
});
