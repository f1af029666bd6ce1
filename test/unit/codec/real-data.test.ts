import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadWfdbRecord } from '../../../main/devices/record-files.js';
import { adcToPhysical } from '../../../server-contract/formats/wfdb.js';
import {
  chunkSha256Hex,
  decodeChunk,
  encodeChunk,
  type SampledChunk,
} from '../../../server-contract/codec/index.js';

const dataRoot = process.env.PULSEWATCH_DATA ?? '../shared/data';
const ludbDir = join(dataRoot, 'ludb', 'data');
const mitdbDir = join(dataRoot, 'mitdb');
const haveMitdb = existsSync(join(mitdbDir, '100.hea'));
if (!haveMitdb) console.warn(`codec MIT-BIH test skipped: no mitdb at ${mitdbDir} (set PULSEWATCH_DATA)`);
const haveLudb = existsSync(join(ludbDir, '1.hea'));
if (!haveLudb) console.warn(`codec LUDB test skipped: no LUDB at ${ludbDir} (set PULSEWATCH_DATA)`);

const LEADS = ['i', 'ii', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6'];

/** Leads I, II, V1–V6 of one record as ECG-12 counts (µV × 1000 / 476.84, rounded). */
function recordChunk(record: number): SampledChunk {
  const { header, signals } = loadWfdbRecord(ludbDir, String(record));
  const samples = LEADS.map((lead) => {
    const index = header.signals.findIndex((s) => s.description === lead);
    const spec = header.signals[index]!;
    return Int32Array.from(signals[index]!, (v) => Math.round((adcToPhysical(v, spec) * 1e6) / 476.84));
  });
  return {
    header: {
      kind: 'sampled',
      recordingId: '019a0000-0000-7000-8000-000000000100',
      stream: 'ecg',
      chunkIndex: record - 1,
      anchorMs: 1_767_225_600_000,
      firstSampleIndex: (record - 1) * samples[0]!.length,
      sampleRateHz: header.samplingFrequencyHz,
      channels: LEADS.map((name) => ({ name: name.toUpperCase(), scale: { unit: 'nV', perCount: 476.84 } })),
      sampleCount: samples[0]!.length,
      gaps: [],
    },
    samples,
  };
}

describe.skipIf(!haveLudb)('codec on LUDB records 1-100', () => {
  it('encodes record 1 (40,000 samples: the sign-context path) to pinned bytes', () => {
    // Pinned: a change here is a change of the byte format and needs a new CHUNK_FORMAT_VERSION.
    expect(chunkSha256Hex(encodeChunk(recordChunk(1)))).toBe(
      '1fce3e3683ccba9b9d73588f24cdc2177f7e4a38506473b5f510b40473fc0578',
    );
  });

  it('round-trips every record exactly, in under 4.5 bits per sample overall', () => {
    let bytes = 0;
    let samples = 0;
    for (let record = 1; record <= 100; record++) {
      const chunk = recordChunk(record);
      const encoded = encodeChunk(chunk);
      const decoded = decodeChunk(encoded) as SampledChunk;
      decoded.samples.forEach((x, c) => expect(x, `record ${record} channel ${c}`).toEqual(chunk.samples[c]));
      bytes += encoded.length;
      samples += chunk.samples.length * chunk.header.sampleCount;
    }
    expect((bytes * 8) / samples).toBeLessThan(4.5);
  });
});

/** The zlib baseline of the benchmark: per-channel first differences as LE int32, deflate level 9. */
function zlibBaselineBytes(channels: readonly Int32Array[]): number {
  return channels.reduce((sum, x) => {
    const diff = Int32Array.from(x, (v, i) => v - (i > 0 ? x[i - 1]! : 0));
    return sum + deflateSync(new Uint8Array(diff.buffer), { level: 9 }).length;
  }, 0);
}

describe.skipIf(!haveMitdb)('codec on MIT-BIH record 100 replayed as ECG-12 counts', () => {
  it('round-trips one minute exactly and beats the zlib baseline (lattice of converted ADC units)', () => {
    const { header, signals } = loadWfdbRecord(mitdbDir, '100');
    const samples = signals.map((adc, i) =>
      Int32Array.from(adc.subarray(0, 21_600), (v) =>
        Math.round((adcToPhysical(v, header.signals[i]!) * 1e6) / 476.84),
      ),
    );
    const chunk: SampledChunk = {
      header: {
        kind: 'sampled',
        recordingId: '019a0000-0000-7000-8000-000000000100',
        stream: 'ecg',
        chunkIndex: 0,
        anchorMs: 0,
        firstSampleIndex: 0,
        sampleRateHz: header.samplingFrequencyHz,
        channels: header.signals.map((s) => ({
          name: s.description,
          scale: { unit: 'nV', perCount: 476.84 },
        })),
        sampleCount: 21_600,
        gaps: [],
      },
      samples,
    };
    const encoded = encodeChunk(chunk);
    expect((decodeChunk(encoded) as SampledChunk).samples).toEqual(samples);
    expect(encoded.length / zlibBaselineBytes(samples)).toBeLessThan(0.85);
  });
});
