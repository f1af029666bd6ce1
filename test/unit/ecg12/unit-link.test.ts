import { SerialPortMock } from 'serialport';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Ecg12Error } from '../../../main/devices/ecg12/errors.js';
import { encodeAckFrame, encodeInfoFrame } from '../../../main/devices/ecg12/sim/frame-encoder.js';
import type { Ecg12DeviceStatus, Ecg12Gap, Ecg12Status } from '../../../main/devices/ecg12/schemas.js';
import { Ecg12Unit, type Ecg12RunStartedEvent } from '../../../main/devices/ecg12/unit.js';
import { countAt } from './frame-helpers.js';
import { addMockPort, MockBench, simulatedDevice, testSourceOptions, type MockDevice } from './mock-unit.js';

const ECG = { vendorId: '1209', productId: 'EC12' };

/** Lets the mock binding's nextTick/promise chains run (setImmediate stays real). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A device answering each command line with the frames `respond` returns. */
function scriptedDevice(respond: (line: string) => Uint8Array[]): MockDevice {
  let send: (bytes: Uint8Array) => void = () => undefined;
  let text = '';
  return {
    onOpen: (s) => (send = s),
    onWrite(bytes) {
      text += Buffer.from(bytes).toString('latin1');
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n')) {
        const line = text.slice(0, end);
        text = text.slice(end + 1);
        for (const frame of respond(line)) send(frame);
      }
    },
  };
}

const info = {
  model: 'ECG-12',
  serial: 'ECG-7',
  fw: '1.2.0',
  rate: 500,
  lsb_nV: 476.84,
  futureKey: { x: 1 },
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(1_800_000_000_000);
});
afterEach(() => {
  vi.useRealTimers();
  SerialPortMock.binding.reset();
});

describe('ECG-12 unit link (mock binding, fake timers)', () => {
  it('handshakes ID?, STOP, RATE, START and ignores unknown INFO keys', async () => {
    const lines: string[] = [];
    const bench = new MockBench();
    await addMockPort({ path: '/dev/ttyACM0', ...ECG, serialNumber: 'ECG-7' });
    bench.devices.set(
      '/dev/ttyACM0',
      scriptedDevice((line) => {
        lines.push(line);
        return line === 'ID?' ? [encodeInfoFrame(info), encodeAckFrame(0, line)] : [encodeAckFrame(0, line)];
      }),
    );
    const unit = new Ecg12Unit({
      listPorts: () => SerialPortMock.list(),
      openPort: bench.openPort,
      rateHz: 1000,
    });
    await unit.start();
    expect(lines).toEqual(['ID?', 'STOP', 'RATE 1000', 'START']);
    expect(unit.info).toEqual({ model: 'ECG-12', serial: 'ECG-7', fw: '1.2.0', rate: 500, lsb_nV: 476.84 });
    await unit.ping();
    expect(lines.at(-1)).toBe('PING');
    await unit.stop();
    expect(lines.at(-1)).toBe('STOP');
  });

  it('times out a command the unit does not answer, naming the unit and what to do', async () => {
    const bench = new MockBench();
    await addMockPort({ path: '/dev/ttyACM0', ...ECG, serialNumber: 'ECG-7' });
    bench.devices.set(
      '/dev/ttyACM0',
      scriptedDevice(() => []),
    );
    const unit = new Ecg12Unit({ path: '/dev/ttyACM0', openPort: bench.openPort, commandTimeoutMs: 800 });
    const failure = unit.start().catch((e: unknown) => e);
    await settle();
    await vi.advanceTimersByTimeAsync(799);
    expect(unit.status.state).toBe('connecting');
    await vi.advanceTimersByTimeAsync(1);
    const error = (await failure) as Ecg12Error;
    expect(error.code).toBe('command_timeout');
    expect(error.message).toBe(
      'unit /dev/ttyACM0 did not answer "ID?" within 800 ms — check the USB cable, or unplug the unit and plug it back in',
    );
    expect(unit.counters().commandTimeouts).toBe(1);
  });

  it.each([
    [2, 'bad argument'],
    [3, 'busy (streaming) — it is streaming; stop it first'],
    [1, 'unknown command'],
  ])('rejects START when the ACK status is %i', async (status, text) => {
    const bench = new MockBench();
    await addMockPort({ path: '/dev/ttyACM0', ...ECG, serialNumber: 'ECG-7' });
    bench.devices.set(
      '/dev/ttyACM0',
      scriptedDevice((line) =>
        line === 'ID?'
          ? [encodeInfoFrame(info), encodeAckFrame(0, line)]
          : [encodeAckFrame(line === 'START' ? status : 0, line)],
      ),
    );
    const unit = new Ecg12Unit({ path: '/dev/ttyACM0', openPort: bench.openPort });
    const error = (await unit.start().catch((e: unknown) => e)) as Ecg12Error;
    expect(error.code).toBe('command_rejected');
    expect(error.message).toBe(`unit ECG-7 refused "START": ${text}`);
  });

  it.each([
    ['not JSON', new TextEncoder().encode('{serial')],
    ['no serial', null],
    ['unsupported rate', { ...info, rate: 333 }],
  ])('rejects INFO with %s', async (_name, bad) => {
    const bench = new MockBench();
    await addMockPort({ path: '/dev/ttyACM0', ...ECG, serialNumber: 'ECG-7' });
    const infoFrame =
      bad instanceof Uint8Array
        ? encodeInfoFrame({}).fill(0)
        : encodeInfoFrame(bad === null ? { rate: 500, lsb_nV: 1 } : bad);
    bench.devices.set(
      '/dev/ttyACM0',
      scriptedDevice((line) => [infoFrame, encodeAckFrame(0, line)]),
    );
    const unit = new Ecg12Unit({ path: '/dev/ttyACM0', openPort: bench.openPort, commandTimeoutMs: 100 });
    const failure = unit.start().catch((e: unknown) => e);
    await settle();
    const error = (await failure) as Ecg12Error;
    expect(error.code).toBe('bad_info');
  });

  it('streams samples with run indexes and anchors the run clock to the first frame (§5)', async () => {
    const bench = new MockBench();
    await addMockPort({ path: '/dev/ttyACM0', ...ECG, serialNumber: 'ECG-12345' });
    const device = simulatedDevice(testSourceOptions('ECG-12345'));
    bench.devices.set('/dev/ttyACM0', device);
    const unit = new Ecg12Unit({
      listPorts: () => SerialPortMock.list(),
      openPort: bench.openPort,
      rateHz: 250,
    });
    const rates: number[] = [];
    unit.on('info', (info) => rates.push(info.rate));
    const batches: { firstIndex: number; anchorMs: number; hostReceiveMs: number; first: number }[] = [];
    unit.on('samples', (e) =>
      batches.push({
        firstIndex: e.firstIndex,
        anchorMs: e.anchorMs,
        hostReceiveMs: e.hostReceiveMs,
        first: e.counts[0]!,
      }),
    );
    await unit.start();
    // the unit said 500 Hz before RATE 250; what it runs at is told last
    expect(rates).toEqual([500, 250]);
    const t0 = Date.now();
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(20);
      device.sim!.tick(Date.now());
      await settle();
    }
    expect(batches.map((b) => b.firstIndex)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45]);
    expect(batches.map((b) => b.first)).toEqual(batches.map((b) => countAt(b.firstIndex, 0)));
    expect(batches[0]!.anchorMs).toBe(t0); // received at t0 + 20 ms, minus K / rate = 5 / 250 s
    expect(batches[9]!.hostReceiveMs).toBe(t0 + 200);
    await unit.stop();
  });

  it('notices an unplug, polls for the same serial number with backoff, reconnects and records the gap', async () => {
    const bench = new MockBench();
    const pollTimes: number[] = [];
    const listPorts = () => {
      pollTimes.push(Date.now());
      return SerialPortMock.list();
    };
    await addMockPort({ path: '/dev/ttyACM0', ...ECG, serialNumber: 'ECG-12345' });
    await addMockPort({ path: '/dev/ttyUSB0', vendorId: '0403', productId: '6001', serialNumber: 'FTDI1' });
    bench.devices.set('/dev/ttyACM0', simulatedDevice(testSourceOptions('ECG-12345')));
    // random 0.5: no jitter, so the polls fall on the backoff's nominal delays
    const unit = new Ecg12Unit({
      listPorts,
      openPort: bench.openPort,
      rateHz: 500,
      reconnect: { random: () => 0.5 },
    });
    const statuses: Ecg12Status[] = [];
    const gaps: Ecg12Gap[] = [];
    let received = 0;
    unit.on('status', (s) => statuses.push(s));
    unit.on('gap', (g) => gaps.push(g));
    unit.on('samples', (e) => (received += e.setCount));
    await unit.start();
    const t0 = Date.now();
    const runFor = async (ms: number): Promise<void> => {
      for (let t = 0; t < ms; t += 10) {
        vi.advanceTimersByTime(10);
        for (const d of bench.devices.values())
          (d as ReturnType<typeof simulatedDevice>).sim?.tick(Date.now());
        await settle();
      }
    };
    await runFor(200);
    expect(received).toBe(100);

    bench.unplugAll('/dev/ttyACM0');
    await settle();
    expect(statuses.map((s) => s.state).slice(-2)).toEqual(['unplugged', 'reconnecting']);
    expect(statuses.at(-2)!.message).toBe('unit ECG-12345 unplugged — reconnect the USB cable');
    expect(unit.status.message).toContain('reconnect the USB cable');

    await runFor(800);
    // Another ECG-12 unit appears on the old path; ours comes back on a new one.
    await addMockPort({ path: '/dev/ttyACM0', ...ECG, serialNumber: 'ECG-99999' });
    await addMockPort({ path: '/dev/ttyACM1', ...ECG, serialNumber: 'ECG-12345' });
    bench.devices.set('/dev/ttyACM0', simulatedDevice(testSourceOptions('ECG-99999')));
    bench.devices.set('/dev/ttyACM1', simulatedDevice(testSourceOptions('ECG-12345')));
    await runFor(1500);

    expect(pollTimes.slice(1).map((t) => t - t0)).toEqual([450, 950, 1950]); // 250, 500, 1000 ms after the unplug
    expect(unit.status.state).toBe('streaming');
    expect(unit.status.path).toBe('/dev/ttyACM1');
    expect(unit.info?.serial).toBe('ECG-12345');
    expect(unit.counters().reconnects).toBe(1);
    expect(received).toBe(100 + 270); // 550 ms of the new run at 500 Hz: 27 whole frames of 10 sets
    // Run 0 ended at t0 + 200 ms; run 1 is anchored at t0 + 1950 ms: 1750 ms = 875 sets at 500 Hz.
    expect(gaps).toEqual([
      {
        kind: 'between-runs',
        run: 1,
        sessionFirstIndex: 100,
        sampleSets: 875,
        startMs: t0 + 200,
        estimated: true,
      },
    ]);
    await unit.stop();
  });

  it.each([
    ['earliest', 0, [200, 400, 800, 1600, 1600]],
    ['latest', 0.999_999, [300, 600, 1200, 2400, 2400]],
  ])(
    'spreads reconnect polls by ±20 %% jitter (%s draw), the 2 s cap applied before it',
    async (_name, draw, delaysMs) => {
      const bench = new MockBench();
      const pollTimes: number[] = [];
      const listPorts = () => {
        pollTimes.push(Date.now());
        return SerialPortMock.list();
      };
      await addMockPort({ path: '/dev/ttyACM0', ...ECG, serialNumber: 'ECG-12345' });
      bench.devices.set('/dev/ttyACM0', simulatedDevice(testSourceOptions('ECG-12345')));
      const unit = new Ecg12Unit({ listPorts, openPort: bench.openPort, reconnect: { random: () => draw } });
      await unit.start();
      bench.unplugAll('/dev/ttyACM0');
      await settle();
      const unpluggedAt = Date.now();
      pollTimes.length = 0;
      await vi.advanceTimersByTimeAsync(delaysMs.reduce((a, b) => a + b, 0));
      await settle();
      const gaps = pollTimes.map((t, i) => t - (i === 0 ? unpluggedAt : pollTimes[i - 1]!));
      expect(gaps).toEqual(delaysMs);
      expect(unit.status.state).toBe('reconnecting');
      await unit.stop();
    },
  );

  it('reports a seq gap with its time on the run clock', async () => {
    const bench = new MockBench();
    await addMockPort({ path: '/dev/ttyACM0', ...ECG, serialNumber: 'ECG-12345' });
    const device = simulatedDevice(testSourceOptions('ECG-12345', { damage: { dropRate: 0.3, seed: 5 } }));
    bench.devices.set('/dev/ttyACM0', device);
    const unit = new Ecg12Unit({ path: '/dev/ttyACM0', openPort: bench.openPort, rateHz: 80 });
    const gaps: Ecg12Gap[] = [];
    unit.on('gap', (g) => gaps.push(g));
    await unit.start();
    const t0 = Date.now();
    for (let i = 0; i < 100; i++) {
      vi.advanceTimersByTime(50);
      device.sim!.tick(Date.now());
      await settle();
    }
    expect(gaps.length).toBeGreaterThan(0);
    for (const g of gaps) {
      expect(g.kind).toBe('seq');
      expect(g.sampleSets % 4).toBe(0);
      expect(g.startMs).toBeCloseTo(t0 + (g.runFirstIndex! * 1000) / 80, 6);
    }
    expect(unit.counters().sampleSetsLost).toBe(gaps.reduce((n, g) => n + g.sampleSets, 0));
    await unit.stop();
  });

  it('declares a silent unit lost when PING goes unanswered, then reconnects on the same path', async () => {
    const bench = new MockBench();
    await addMockPort({ path: '/dev/ttyACM0', ...ECG, serialNumber: 'ECG-7' });
    let answering = true;
    const lines: string[] = [];
    bench.devices.set(
      '/dev/ttyACM0',
      scriptedDevice((line) => {
        lines.push(line);
        if (!answering) return [];
        return line === 'ID?' ? [encodeInfoFrame(info), encodeAckFrame(0, line)] : [encodeAckFrame(0, line)];
      }),
    );
    const unit = new Ecg12Unit({
      path: '/dev/ttyACM0',
      openPort: bench.openPort,
      silenceTimeoutMs: 2000,
      commandTimeoutMs: 500,
      reconnect: { random: () => 0.5 }, // no jitter: the first poll 250 ms after the loss
    });
    await unit.start();
    await vi.advanceTimersByTimeAsync(2000);
    await settle();
    expect(lines.at(-1)).toBe('PING'); // silent for 2 s: probed, and it answered
    expect(unit.status.state).toBe('streaming');
    answering = false;
    await vi.advanceTimersByTimeAsync(2000);
    await settle();
    await vi.advanceTimersByTimeAsync(500);
    await settle();
    expect(unit.status.state).toBe('reconnecting');
    expect(unit.status.message).toContain('unit ECG-7 unplugged — reconnect the USB cable');
    answering = true;
    await vi.advanceTimersByTimeAsync(250);
    await settle();
    expect(unit.status.state).toBe('streaming');
    expect(unit.counters().reconnects).toBe(1);
    await unit.stop();
  });

  it('reports battery and lead-off from STATUS frames, and the start of each run', async () => {
    const bench = new MockBench();
    await addMockPort({ path: '/dev/ttyACM0', ...ECG, serialNumber: 'ECG-12345' });
    const device = simulatedDevice(testSourceOptions('ECG-12345', { leadOffMask: 0b1_0000_0101 }));
    bench.devices.set('/dev/ttyACM0', device);
    const unit = new Ecg12Unit({ path: '/dev/ttyACM0', openPort: bench.openPort });
    const statuses: Ecg12DeviceStatus[] = [];
    const runs: Ecg12RunStartedEvent[] = [];
    const masks: number[] = [];
    unit.on('deviceStatus', (s) => statuses.push(s));
    unit.on('runStarted', (r) => runs.push(r));
    unit.on('samples', (e) => masks.push(e.leadOffMask));
    await unit.start();
    const t0 = Date.now();
    vi.advanceTimersByTime(1000);
    device.sim!.tick(Date.now());
    await settle();
    expect(statuses.at(-1)).toMatchObject({
      batteryPercent: 100,
      streaming: true,
      leadOff: ['RA', 'LL', 'V6'], // bits 0, 2 and 8
    });
    // A second's frames all arrived at t0 + 1000 ms: the anchor is that minus the first frame's 20 ms (§5).
    expect(runs).toEqual([{ run: 0, anchorMs: t0 + 980, rateHz: 500, sessionIndexOffset: 0 }]);
    expect(new Set(masks)).toEqual(new Set([0b1_0000_0101]));
    await unit.stop();
  });

  it('stays stopped when stop() is called while it waits to reconnect', async () => {
    const bench = new MockBench();
    const device = simulatedDevice(testSourceOptions('ECG-12345'));
    await addMockPort({ path: '/dev/ttyACM0', ...ECG, serialNumber: 'ECG-12345' });
    bench.devices.set('/dev/ttyACM0', device);
    const unit = new Ecg12Unit({ listPorts: () => SerialPortMock.list(), openPort: bench.openPort });
    await unit.start();
    bench.unplugAll('/dev/ttyACM0');
    await settle();
    expect(unit.status.state).toBe('reconnecting');
    await unit.stop();
    await addMockPort({ path: '/dev/ttyACM0', ...ECG, serialNumber: 'ECG-12345' });
    await vi.advanceTimersByTimeAsync(10_000);
    await settle();
    expect(unit.status.state).toBe('disconnected');
    expect(unit.counters().reconnects).toBe(0);
  });
});
