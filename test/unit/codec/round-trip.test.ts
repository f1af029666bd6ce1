import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ChunkEncodeError,
  chunkSha256Hex,
  decodeChunk,
  decodeChunkHeader,
  encodeChunk,
  isRecordsChunk,
  isSampledChunk,
  sampleRunIndex,
  sampleTimeMs,
  type ChunkRecord,
  type SampledChunk,
} from '../../../server-contract/codec/index.js';
import { comparable, largeSampledChunkArb, recordsChunkArb, sampledChunkArb } from './arbitraries.js';

function sampled(samples: Int32Array[], overrides: Partial<SampledChunk['header']> = {}): SampledChunk {
  return {
    header: {
      kind: 'sampled',
      recordingId: '019a0000-0000-7000-8000-000000000001',
      stream: 'ecg',
      chunkIndex: 0,
      anchorMs: 1_767_225_600_000,
      firstSampleIndex: 0,
      sampleRateHz: 500,
      channels: samples.map((_, i) => ({ name: `C${i}`, scale: { unit: 'nV', perCount: 476.84 } })),
      sampleCount: samples[0]?.length ?? 0,
      gaps: [],
      ...overrides,
    },
    samples,
  };
}

function randomInts(n: number, min: number, max: number, seed: number): Int32Array {
  let s = seed >>> 0;
  return Int32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return min + Math.floor((s / 2 ** 32) * (max - min + 1));
  });
}

describe('chunk round trip', () => {
  it('decodes every sampled chunk to its input and re-encodes to the same bytes', () => {
    fc.assert(
      fc.property(sampledChunkArb, (chunk) => {
        const bytes = encodeChunk(chunk);
        const decoded = decodeChunk(bytes);
        expect(comparable(decoded as SampledChunk)).toEqual(comparable(chunk));
        expect(encodeChunk(decoded)).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips large chunks (sign contexts) exactly', () => {
    fc.assert(
      fc.property(largeSampledChunkArb, (chunk) => {
        const bytes = encodeChunk(chunk);
        const decoded = decodeChunk(bytes);
        expect(comparable(decoded as SampledChunk)).toEqual(comparable(chunk));
        expect(encodeChunk(decoded)).toEqual(bytes);
      }),
      { numRuns: 25 },
    );
  });

  it('decodes every records chunk to its input and re-encodes to the same bytes', () => {
    fc.assert(
      fc.property(recordsChunkArb, (chunk) => {
        const bytes = encodeChunk(chunk);
        const decoded = decodeChunk(bytes);
        expect(decoded).toEqual(chunk);
        expect(encodeChunk(decoded)).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic: same chunk, same bytes, same SHA-256 (checked against node:crypto)', () => {
    fc.assert(
      fc.property(sampledChunkArb, (chunk) => {
        const a = encodeChunk(chunk);
        const b = encodeChunk(structuredClone(chunk));
        expect(b).toEqual(a);
        expect(chunkSha256Hex(a)).toBe(chunkSha256Hex(b));
        expect(chunkSha256Hex(a)).toBe(createHash('sha256').update(a).digest('hex'));
      }),
      { numRuns: 50 },
    );
  });

  it.each([
    ['constant', [new Int32Array(5000).fill(123_456)]],
    [
      'full-scale 24-bit square wave',
      [Int32Array.from({ length: 5000 }, (_, i) => ((i >> 3) & 1 ? 2 ** 23 - 1 : -(2 ** 23)))],
    ],
    [
      '24-bit white noise',
      [randomInts(5000, -(2 ** 23), 2 ** 23 - 1, 1), randomInts(5000, -(2 ** 23), 2 ** 23 - 1, 2)],
    ],
    [
      'int32 extremes alternating',
      [Int32Array.from({ length: 5000 }, (_, i) => (i % 2 ? 2 ** 31 - 1 : -(2 ** 31)))],
    ],
    ['int32 white noise', [randomInts(5000, -(2 ** 31), 2 ** 31 - 1, 3)]],
  ])('round-trips %s without blowing up', (_name, samples) => {
    const chunk = sampled(samples);
    const bytes = encodeChunk(chunk);
    expect(comparable(decodeChunk(bytes) as SampledChunk)).toEqual(comparable(chunk));
    let widthBytes = 0;
    for (const x of samples) {
      const range = Math.max(...x) - Math.min(...x);
      widthBytes += (x.length * (range === 0 ? 0 : Math.ceil(Math.log2(range + 1)))) / 8 + 8;
    }
    expect(bytes.length).toBeLessThanOrEqual(widthBytes + 200);
  });

  it('codes a constant channel in a few bytes', () => {
    expect(encodeChunk(sampled([new Int32Array(100_000).fill(-7)])).length).toBeLessThan(200);
  });

  it('tells the kinds apart', () => {
    const decoded = decodeChunk(encodeChunk(sampled([new Int32Array([1])])));
    expect([isSampledChunk(decoded), isRecordsChunk(decoded)]).toEqual([true, false]);
  });

  it('decodes the header alone', () => {
    const chunk = sampled([new Int32Array([1, 2, 3])], {
      chunkIndex: 7,
      gaps: [{ atSample: 1, lengthSamples: 4, cause: 'frames_lost' }],
    });
    expect(decodeChunkHeader(encodeChunk(chunk))).toEqual(chunk.header);
  });
});

describe('gap semantics', () => {
  it('places present samples after gaps in the run index space', () => {
    const { header } = sampled([new Int32Array(10)], {
      firstSampleIndex: 1000,
      gaps: [
        { atSample: 0, lengthSamples: 2, cause: 'frames_lost' },
        { atSample: 4, lengthSamples: 5, cause: 'device_disconnected' },
        { atSample: 10, lengthSamples: 3, cause: 'gateway_down' },
      ],
    });
    expect([0, 3, 4, 9].map((i) => sampleRunIndex(header, i))).toEqual([1002, 1005, 1011, 1016]);
  });

  it('times samples from the run anchor at fractional rates', () => {
    const { header } = sampled([new Int32Array(4)], {
      anchorMs: 1_000_000,
      firstSampleIndex: 3,
      sampleRateHz: 12.5,
      gaps: [{ atSample: 2, lengthSamples: 1, cause: 'frames_lost' }],
    });
    expect([0, 1, 2, 3].map((i) => sampleTimeMs(header, i))).toEqual([
      1_000_240, 1_000_320, 1_000_480, 1_000_560,
    ]);
  });
});

describe('encodeChunk rejects invalid chunks', () => {
  const good = sampled([new Int32Array([1, 2, 3]), new Int32Array([4, 5, 6])]);
  it.each<[string, SampledChunk]>([
    ['fewer sample arrays than channels', { ...good, samples: [good.samples[0]!] }],
    ['a channel of the wrong length', { ...good, samples: [good.samples[0]!, new Int32Array(2)] }],
    [
      'an upper-case recording id',
      sampled(good.samples, { recordingId: '019A0000-0000-7000-8000-000000000001' }),
    ],
    ['a stream name with a space', sampled(good.samples, { stream: 'ecg 2' })],
    ['a NaN sample rate', sampled(good.samples, { sampleRateHz: NaN })],
    ['a zero sample rate', sampled(good.samples, { sampleRateHz: 0 })],
    [
      'unsorted gaps',
      sampled(good.samples, {
        gaps: [
          { atSample: 2, lengthSamples: 1, cause: 'x' },
          { atSample: 1, lengthSamples: 1, cause: 'x' },
        ],
      }),
    ],
    [
      'a gap after the last sample slot',
      sampled(good.samples, { gaps: [{ atSample: 4, lengthSamples: 1, cause: 'x' }] }),
    ],
    [
      'a lone surrogate in a channel name',
      {
        ...good,
        header: {
          ...good.header,
          channels: [{ name: '\ud800', scale: { unit: 'nV', perCount: 1 } }, good.header.channels[1]!],
        },
      },
    ],
    ['a non-integer anchor time', sampled(good.samples, { anchorMs: 1.5 })],
  ])('rejects %s', (_name, chunk) => {
    expect(() => encodeChunk(chunk)).toThrow(ChunkEncodeError);
  });

  it('rejects records whose count disagrees with the header', () => {
    const chunk = {
      header: {
        kind: 'records' as const,
        recordingId: good.header.recordingId,
        stream: 'beats',
        chunkIndex: 0,
        anchorMs: 0,
        recordCount: 2,
      },
      records: [{ tMs: 1 }],
    };
    expect(() => encodeChunk(chunk)).toThrow(expect.objectContaining({ code: 'invalid_chunk' }));
  });

  it('accepts records nested 16 levels and rejects 17', () => {
    const nested = (levels: number): ChunkRecord[string] => {
      let value: ChunkRecord[string] = 1;
      for (let i = 0; i < levels; i++) value = [value];
      return value;
    };
    const chunk = (levels: number) => ({
      header: {
        kind: 'records' as const,
        recordingId: good.header.recordingId,
        stream: 'events',
        chunkIndex: 0,
        anchorMs: 0,
        recordCount: 1,
      },
      records: [{ tMs: 1, a: nested(levels) }],
    });
    expect(decodeChunk(encodeChunk(chunk(16)))).toEqual(chunk(16));
    expect(() => encodeChunk(chunk(17))).toThrow(ChunkEncodeError);
    expect(() => encodeChunk(chunk(100_000))).toThrow(ChunkEncodeError);
  });

  it('refuses a chunk that decoders with default limits would refuse', () => {
    const huge = sampled([new Int32Array(2 ** 24 + 1)]);
    expect(() => encodeChunk(huge)).toThrow(expect.objectContaining({ code: 'too_large' }));
  });

  it('rejects records with values JSON cannot carry', () => {
    const chunk = {
      header: {
        kind: 'records' as const,
        recordingId: good.header.recordingId,
        stream: 'hr',
        chunkIndex: 0,
        anchorMs: 0,
        recordCount: 1,
      },
      records: [{ tMs: 1, bpm: NaN }],
    };
    expect(() => encodeChunk(chunk)).toThrow(ChunkEncodeError);
  });
});
