/**
 * The capture tool against the simulator over a real pty: the WFDB record read back with the
 * shared reader equals the samples the simulator sent (12 derived leads, µV), lost sets are -32768.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  decodeWfdbSignals,
  parseWfdbHeader,
  WFDB_INVALID_SAMPLE,
} from '../../../server-contract/formats/wfdb.js';
import { runCapture, type CaptureSummary } from '../../../main/devices/ecg12/capture.js';
import { Ecg12PtySimulator } from '../../../main/devices/ecg12/sim/pty-simulator.js';
import { loadRecordSource } from '../../../main/devices/ecg12/sim/record-source.js';
import type { SimulatedFrame } from '../../../main/devices/ecg12/sim/simulator.js';
import { countAt } from '../../unit/ecg12/frame-helpers.js';
import { testSourceOptions } from '../../unit/ecg12/mock-unit.js';
import { tempLinkPath } from './pty-helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The 12 leads in µV (rounded) of test sample set `index`, as the capture derives them. */
function expectedLeads(index: number): number[] {
  const uv = (ch: number): number => (countAt(index % 1000, ch) * 476.84) / 1000;
  const [i, ii] = [uv(0), uv(1)];
  const leads = [
    i,
    ii,
    ii - i,
    -(i + ii) / 2,
    i - ii / 2,
    ii - i / 2,
    uv(2),
    uv(3),
    uv(4),
    uv(5),
    uv(6),
    uv(7),
  ];
  return leads.map((v) => {
    const adu = Math.round(v);
    return adu > -32768 && adu <= 32767 ? adu : WFDB_INVALID_SAMPLE;
  });
}

describe('ECG-12 capture tool over a real pty', () => {
  it('writes the 12 leads in µV, format 16, invalid where frames were lost, plus counters and INFO', async () => {
    const frames: SimulatedFrame[] = [];
    const linkPath = tempLinkPath();
    const sim = await Ecg12PtySimulator.start({
      ...testSourceOptions('ECG-12345', {
        damage: { seed: 3, dropRate: 0.1, badCrcRate: 0.1 },
        onFrame: (f) => frames.push(f),
      }),
      linkPath,
    });
    cleanups.push(() => sim.stop());
    const outDir = join(dirname(linkPath), 'out');
    cleanups.push(() => rmSync(dirname(linkPath), { recursive: true, force: true }));
    const summary = await runCapture({
      path: sim.path,
      seconds: 1.5,
      outDir,
      recordName: 'cap',
      rateHz: 250,
    });

    const header = parseWfdbHeader(readFileSync(join(outDir, 'cap.hea'), 'latin1'));
    expect(header.samplingFrequencyHz).toBe(250);
    expect(header.signals.map((s) => s.description)).toEqual([
      'I',
      'II',
      'III',
      'aVR',
      'aVL',
      'aVF',
      'V1',
      'V2',
      'V3',
      'V4',
      'V5',
      'V6',
    ]);
    expect(header.signals.every((s) => s.format === 16 && s.units === 'uV' && s.gain === 1)).toBe(true);
    const leads = decodeWfdbSignals(header, (name) => new Uint8Array(readFileSync(join(outDir, name))));
    const length = header.sampleCount!;
    expect(length).toBe(summary.sampleSets);

    const sent = new Set(
      frames.filter((f) => f.fate === 'sent' && f.run === 0).flatMap((f) => range(f.firstIndex, f.setCount)),
    );
    let lost = 0;
    for (let n = 0; n < length; n++) {
      const row = leads.map((lead) => lead[n]!);
      if (sent.has(n)) expect(row).toEqual(expectedLeads(n));
      else {
        expect(row).toEqual(Array<number>(12).fill(WFDB_INVALID_SAMPLE));
        lost++;
      }
    }
    expect(lost).toBeGreaterThan(0);
    expect(lost).toBe(summary.lostSampleSets);
    expect(header.signals.map((s) => s.initialValue)).toEqual(leads.map((lead) => lead[0]));

    const json = JSON.parse(readFileSync(join(outDir, 'cap.json'), 'utf8')) as CaptureSummary;
    expect(json.info?.serial).toBe('ECG-12345');
    expect(json.counters.sampleSetsLost).toBe(lost);
    expect(json.counters.crcRejects).toBeGreaterThan(0);
    expect(json.gainAduPerMicrovolt).toBe(1);
  });

  const dataRoot = process.env.PULSEWATCH_DATA ?? '../shared/data';
  it.skipIf(!existsSync(join(dataRoot, 'ludb', 'data', '1.hea')))(
    'plays LUDB record 1 and captures it back within rounding',
    async () => {
      const source = loadRecordSource(dataRoot, 'ludb/1', 500, 476.84);
      const sim = await Ecg12PtySimulator.start({ sourceForRate: () => source, linkPath: tempLinkPath() });
      cleanups.push(() => sim.stop());
      const outDir = join(dirname(sim.path), 'out');
      await runCapture({ path: sim.path, seconds: 1, outDir, recordName: 'ludb1', rateHz: 500 });
      const header = parseWfdbHeader(readFileSync(join(outDir, 'ludb1.hea'), 'latin1'));
      const leads = decodeWfdbSignals(header, (name) => new Uint8Array(readFileSync(join(outDir, name))));
      // LUDB 1 lead II, sample 100: the original header's gain and baseline, in µV.
      const original = parseWfdbHeader(readFileSync(join(dataRoot, 'ludb', 'data', '1.hea'), 'latin1'));
      const originalSignals = decodeWfdbSignals(
        original,
        (name) => new Uint8Array(readFileSync(join(dataRoot, 'ludb', 'data', name))),
      );
      const spec = original.signals[1]!;
      for (const n of [0, 100, 250]) {
        const microvolts = ((originalSignals[1]![n]! - spec.baseline) / spec.gain) * 1000;
        expect(Math.abs(leads[1]![n]! - microvolts)).toBeLessThanOrEqual(1); // counts (0.477 µV) and 1 µV rounding
      }
    },
  );
});

function range(start: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => start + i);
}
