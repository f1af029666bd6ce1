/**
 * The fast sample decoder (sample-decoder.ts, decode-tables.ts) against its encoder: extreme
 * residuals (context sums past 2^32), both context layouts, tables rebuilt in place chunk after
 * chunk, and a token in a context the chunk has no table for.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter } from '../../../server-contract/codec/byte-io.js';
import { ChunkDecodeError } from '../../../server-contract/codec/errors.js';
import { DecodeTables, NO_TABLE } from '../../../server-contract/codec/decode-tables.js';
import {
  CONTEXT_COUNT,
  normaliseFrequencies,
  PROB_BITS,
  PROB_SCALE,
  TOKEN_COUNT,
} from '../../../server-contract/codec/rans-tables.js';
import { encodeCodedSamples, SIGN_CONTEXT_MIN_SAMPLES } from '../../../server-contract/codec/sample-coder.js';
import { decodeCodedSamples, SampleDecodeScratch } from '../../../server-contract/codec/sample-decoder.js';
import { decodeWith, SAMPLE_DECODERS } from './decoders.js';

function coded(channels: Int32Array[]): Uint8Array {
  const out = new ByteWriter();
  encodeCodedSamples(channels, channels[0]!.length, out);
  return out.finish();
}

function decoded(bytes: Uint8Array, channels: number, n: number, scratch?: SampleDecodeScratch): number[][] {
  const reader = new ByteReader(bytes);
  const result = decodeCodedSamples(reader, channels, n, scratch).map((x) => Array.from(x));
  expect(reader.remaining).toBe(0);
  return result;
}

/** Deterministic pseudo-random int32 values, every bit pattern possible. */
function noise(n: number, seed: number): Int32Array {
  let s = seed >>> 0;
  return Int32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s ^ (s << 13);
  });
}

/** Samples whose residual after the coder's damped prediction (sample-coder.ts) is `residual(i)`. */
function withResiduals(n: number, residual: (i: number) => number): Int32Array {
  const x = new Int32Array(n);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    x[i] = (a + ((((a - b) | 0) * 3) >> 2) + residual(i)) | 0;
    b = i === 0 ? x[i]! : a;
    a = x[i]!;
  }
  return x;
}

/**
 * Channels whose context sums land just past 2^32 (where a 32-bit wrap would give a small
 * magnitude): residuals of 2^31 − 1 (zig-zag 2^32 − 2) after a channel with residuals in ±500.
 */
function pastTwoToThe32(n: number): Int32Array[] {
  const small = (i: number) => ((i * 7919) % 1001) - 500;
  return [withResiduals(n, small), withResiduals(n, () => 2 ** 31 - 1), noise(n, 1)];
}

describe.each(SAMPLE_DECODERS)('sample decoder (%s)', (decoder) => {
  decodeWith(decoder);
  it('round-trips extreme and full-range channels in small and large chunks', () => {
    for (const n of [257, SIGN_CONTEXT_MIN_SAMPLES / 2]) {
      const channels = [...pastTwoToThe32(n), noise(n, 2)];
      const bytes = coded(channels);
      expect(decoded(bytes, channels.length, n)).toEqual(channels.map((x) => Array.from(x)));
    }
  });

  it('decodes chunk after chunk through one scratch exactly as without it', () => {
    const scratch = new SampleDecodeScratch();
    const smooth = (n: number, k: number) =>
      Int32Array.from({ length: n }, (_, i) => Math.round(900 * Math.sin(i / (20 + k))));
    const chunks = [
      [noise(5000, 3), noise(5000, 4)],
      [smooth(300, 1)],
      [smooth(9000, 2), noise(9000, 5), smooth(9000, 3), smooth(9000, 4)],
      [smooth(300, 5), smooth(300, 6)],
    ];
    for (const channels of chunks) {
      const bytes = coded(channels);
      const n = channels[0]!.length;
      expect(decoded(bytes, channels.length, n, scratch)).toEqual(decoded(bytes, channels.length, n));
      expect(decoded(bytes, channels.length, n, scratch)).toEqual(channels.map((x) => Array.from(x)));
    }
  });

  it('marks every slot of a context without a table, also after a chunk that used it', () => {
    const tables = new DecodeTables();
    const used = new Uint16Array(CONTEXT_COUNT * TOKEN_COUNT);
    for (let c = 0; c < CONTEXT_COUNT; c++) {
      used[c * TOKEN_COUNT] = PROB_SCALE / 2;
      used[c * TOKEN_COUNT + 5] = PROB_SCALE / 2;
    }
    tables.build(used);
    expect(tables.slots[(7 << PROB_BITS) + PROB_SCALE - 1]).toBe(5);
    const fewer = new Uint16Array(CONTEXT_COUNT * TOKEN_COUNT);
    fewer[0] = PROB_SCALE;
    tables.build(fewer);
    expect(tables.slots.subarray(0, PROB_SCALE).every((t) => t === 0)).toBe(true);
    expect(tables.slots.subarray(PROB_SCALE).every((t) => t === NO_TABLE)).toBe(true);
  });

  it('rejects a stream whose tables were swapped for another chunk’s', () => {
    const n = 400;
    const a = coded([noise(n, 8)]);
    const b = coded([Int32Array.from({ length: n }, (_, i) => i % 7)]);
    // a's tables with b's streams: b's tokens fall in contexts a has no table for, or the state
    // or the counts do not come out as the encoder's.
    const tablesEnd = (bytes: Uint8Array) => {
      const reader = new ByteReader(bytes);
      for (let c = 0; c < CONTEXT_COUNT; c++) {
        const used = reader.varuint('t');
        for (let s = 0; s < used; s++) reader.varuint('f');
      }
      return reader.offset;
    };
    const mixed = new Uint8Array([...a.subarray(0, tablesEnd(a)), ...b.subarray(tablesEnd(b))]);
    expect(() => decodeCodedSamples(new ByteReader(mixed), 1, n, new SampleDecodeScratch())).toThrow(
      ChunkDecodeError,
    );
  });
});

describe('decode tables', () => {
  it('find the counts canonical exactly when normaliseFrequencies of them gives the tables', () => {
    const countsArb = fc
      .array(
        fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 2 ** 32 - 1 })),
        {
          minLength: CONTEXT_COUNT * TOKEN_COUNT,
          maxLength: CONTEXT_COUNT * TOKEN_COUNT,
        },
      )
      .map((a) => Uint32Array.from(a, (v, i) => (Math.floor(i / TOKEN_COUNT) % 5 === 0 ? 0 : v)));
    const tables = new DecodeTables();
    fc.assert(
      fc.property(countsArb, countsArb, (tableCounts, decodedCounts) => {
        const freq = normaliseFrequencies(tableCounts);
        for (const counts of [tableCounts, decodedCounts]) {
          tables.build(freq);
          // Only contexts with a table can have decoded tokens.
          for (let c = 0; c < CONTEXT_COUNT; c++)
            for (let t = 0; t < TOKEN_COUNT; t++)
              if (freq.subarray(c * TOKEN_COUNT, (c + 1) * TOKEN_COUNT).some((f) => f > 0))
                tables.counts[(c << 7) | t] = counts[c * TOKEN_COUNT + t]!;
          const used = Uint32Array.from(tables.counts.filter((_, i) => (i & 127) < TOKEN_COUNT));
          expect(tables.countsMatch(freq)).toBe(normaliseFrequencies(used).every((f, i) => f === freq[i]));
        }
      }),
      { numRuns: 60 },
    );
  });
});
