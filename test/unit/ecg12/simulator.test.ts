import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRecordSource } from '../../../main/devices/ecg12/sim/record-source.js';
import { parseEpisodes, withEpisodes } from '../../../main/devices/ecg12/sim/rhythm-episodes.js';
import { syntheticSource } from '../../../main/devices/ecg12/sim/synthetic-source.js';
import { Ecg12Simulator, type SimulatedFrame } from '../../../main/devices/ecg12/sim/simulator.js';
import { collectingDecoder, concat, countAt } from './frame-helpers.js';
import { testSourceOptions } from './mock-unit.js';

const line = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A simulator whose output goes to a decoder (run open from seq `firstSeq`). */
function rig(extra: Parameters<typeof testSourceOptions>[1] = {}) {
  const bytes: Uint8Array[] = [];
  const frames: SimulatedFrame[] = [];
  const sim = new Ecg12Simulator(
    testSourceOptions('ECG-12345', { onFrame: (f) => frames.push(f), ...extra }),
    (b) => bytes.push(b.slice()),
  );
  const { decoder, out } = collectingDecoder(extra.firstSeq ?? 0);
  const flush = (): void => {
    decoder.push(concat(bytes.splice(0)));
  };
  return { sim, decoder, out, frames, flush, bytes };
}

describe('ECG-12 simulator', () => {
  it("reports its source's lead-offs in SAMPLES and STATUS, on top of the configured mask", () => {
    const { sim, out, flush } = rig({
      leadOffMask: 0b1000, // V1 off all along
      sourceForRate: (hz) =>
        withEpisodes(syntheticSource(hz, 476.84, { seed: 7 }), 476.84, parseEpisodes('leadoff@2+2')),
    });
    sim.powerUp(0);
    sim.receive(line('RATE 250\nSTART\n'), 0);
    for (let ms = 0; ms <= 5000; ms += 100) sim.tick(ms);
    flush();
    const maskAt = (s: number): number =>
      out.frames.find((f) => f.seq === Math.round((s * 250) / 5))!.leadOffMask;
    expect([1, 2.2, 3.8, 4.5].map(maskAt)).toEqual([0b1000, 0x1ff, 0x1ff, 0b1000]);
    expect(out.statuses.map((s) => s.leadOffMask)).toEqual([0b1000, 0b1000, 0b1000, 0x1ff, 0x1ff, 0b1000]);
  });

  it('logs at power-up and sends STATUS about once a second with the streaming flag', () => {
    const { sim, out, flush } = rig();
    sim.powerUp(0);
    sim.tick(999);
    sim.tick(1000);
    sim.receive(line('START\n'), 1000);
    sim.tick(2000);
    flush();
    expect(out.logs[0]).toMatch(/boot/);
    expect(out.statuses.map((s) => s.streaming)).toEqual([false, false, true]);
  });

  it('answers ID? with INFO then ACK, accepts CRLF, and refuses bad or busy commands', () => {
    const { sim, out, flush } = rig();
    sim.powerUp(0);
    for (const cmd of [
      'ID?\r\n',
      'RATE 80\n',
      'RATE 100\n',
      'RATE x\n',
      'START\n',
      'RATE 250\n',
      'PING\n',
      'start\n',
      'STOP\n',
    ]) {
      sim.receive(line(cmd), 0);
    }
    flush();
    expect(JSON.parse(out.infos[0]!)).toMatchObject({ serial: 'ECG-12345', rate: 500, lsb_nV: 476.84 });
    expect(out.acks).toEqual([
      { status: 0, line: 'ID?' },
      { status: 0, line: 'RATE 80' },
      { status: 2, line: 'RATE 100' },
      { status: 2, line: 'RATE x' },
      { status: 0, line: 'START' },
      { status: 3, line: 'RATE 250' },
      { status: 0, line: 'PING' },
      { status: 1, line: 'start' },
      { status: 0, line: 'STOP' },
    ]);
  });

  it.each([
    [80, 4],
    [250, 5],
    [500, 10],
    [1000, 20],
  ])('at %i Hz sends K = %i sets a frame, paced by the clock, seq from 0 at each START', (rateHz, k) => {
    const { sim, out, flush, decoder } = rig();
    sim.powerUp(0);
    sim.receive(line(`RATE ${rateHz}\nSTART\n`), 0);
    sim.tick(1000);
    flush();
    expect(out.frames).toHaveLength(rateHz / k);
    expect(out.frames.every((f) => f.setCount === k)).toBe(true);
    expect(out.frames[1]!.counts.slice(0, 8)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((ch) => countAt(k, ch)));
    sim.receive(line('STOP\nSTART\n'), 1000);
    decoder.startRun(0);
    sim.tick(1000 + (1000 * k) / rateHz);
    flush();
    expect(out.frames.at(-1)!.seq).toBe(0);
  });

  it('is deterministic: the same seed and times give the same bytes', () => {
    const run = (): Uint8Array => {
      const { sim, bytes } = rig({
        damage: {
          seed: 9,
          badCrcRate: 0.2,
          dropRate: 0.2,
          garbageRate: 0.3,
          unknownTypeRate: 0.3,
          splitWrites: true,
        },
      });
      sim.powerUp(0);
      sim.receive(line('START\n'), 0);
      for (let t = 0; t <= 3000; t += 37) sim.tick(t);
      return concat(bytes);
    };
    expect(run()).toEqual(run());
  });

  it('damages frames as told, and the decoder recovers exactly the frames sent intact, across the seq wrap', () => {
    const { sim, out, frames, flush, decoder } = rig({
      firstSeq: 0xfffffff0,
      damage: {
        seed: 4,
        badCrcRate: 0.15,
        dropRate: 0.15,
        garbageRate: 0.3,
        unknownTypeRate: 0.2,
        badLengthRate: 0.1,
        splitWrites: true,
      },
    });
    sim.powerUp(0);
    sim.receive(line('RATE 1000\nSTART\n'), 0);
    sim.tick(5000);
    sim.receive(line('STOP\n'), 5000);
    flush();
    const fates = new Set(frames.map((f) => f.fate));
    expect(fates).toEqual(new Set(['sent', 'dropped', 'corrupted']));
    expect(frames.some((f) => f.seq === 0)).toBe(true); // wrapped
    const sent = frames.filter((f) => f.fate === 'sent');
    expect(out.frames.map((f) => f.firstIndex)).toEqual(sent.map((f) => f.firstIndex));
    for (const f of out.frames) expect(f.counts[8]).toBe(countAt((f.firstIndex + 1) % 1000, 0));
    expect(decoder.counters.unknownTypeFrames).toBeGreaterThan(0);
    expect(decoder.counters.lengthRejects).toBeGreaterThan(0);
  });
});

const dataRoot = process.env.PULSEWATCH_DATA ?? '../shared/data';
describe.skipIf(!existsSync(join(dataRoot, 'ptbdb', 's0010_re.hea')))(
  'ECG-12 record sources (reference data)',
  () => {
    it('reads PTB s0010_re leads I, II, V1…V6 as counts and resamples 1000 Hz to 80 Hz over the same duration', () => {
      const at1000 = loadRecordSource(dataRoot, 'ptbdb/s0010_re', 1000, 476.84);
      const at80 = loadRecordSource(dataRoot, 'ptbdb/s0010_re', 80, 476.84);
      expect(at1000.periodSets).toBe(38400);
      expect(at80.periodSets).toBe(3072);
      const first = new Int32Array(8);
      at1000.fill(0, first, 0);
      // s0010_re.hea: lead I initial value -489 adu at 2000 adu/mV = -244.5 µV = -512.75 counts.
      expect(first[0]).toBe(Math.round(((-489 / 2000) * 1e6) / 476.84));
    });
  },
);

describe('ECG-12 synthetic source', () => {
  it('gives the same counts for an index however it is reached (restarting from the seed)', () => {
    const a = syntheticSource(250, 476.84, { seed: 3 });
    const b = syntheticSource(250, 476.84, { seed: 3 });
    const outA = new Int32Array(8);
    const outB = new Int32Array(8);
    for (let i = 0; i <= 6000; i++) a.fill(i, outA, 0); // past the history ring
    a.fill(10, outA, 0);
    b.fill(10, outB, 0);
    expect(outA).toEqual(outB);
    a.fill(6000, outA, 0);
    b.fill(6000, outB, 0);
    expect(outA).toEqual(outB);
    expect(outA.some((v) => v !== 0)).toBe(true);
  });
});
