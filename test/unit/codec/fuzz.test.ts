import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkDecodeError, decodeChunk, encodeChunk } from '../../../server-contract/codec/index.js';
import { recordsChunkArb, sampledChunkArb } from './arbitraries.js';
import { fixtureBytes } from './chunk-bytes.js';
import { decodeWith, SAMPLE_DECODERS } from './decoders.js';

/** The fuzz contract: a Chunk that re-encodes to exactly these bytes, or a ChunkDecodeError — nothing else. */
function decodesCanonicallyOrRejects(bytes: Uint8Array): void {
  let chunk;
  try {
    chunk = decodeChunk(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(ChunkDecodeError);
    return;
  }
  expect(encodeChunk(chunk)).toEqual(bytes);
}

type Mutation =
  | { kind: 'set'; at: number; value: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'insert'; at: number; value: number }
  | { kind: 'delete'; at: number }
  | { kind: 'truncate'; at: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

function mutate(bytes: Uint8Array, mutations: Mutation[]): Uint8Array {
  let out = Array.from(bytes);
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % out.length;
    if (m.kind === 'set') out[at] = m.value;
    else if (m.kind === 'flip') out[at] = (out[at] ?? 0) ^ (1 << m.bit);
    else if (m.kind === 'insert') out.splice(at, 0, m.value);
    else if (m.kind === 'delete') out.splice(at, 1);
    else out = out.slice(0, at);
  }
  return Uint8Array.from(out);
}

/** Set CODEC_FUZZ_SCALE (e.g. 20) for a longer run. */
const scale = Number(process.env.CODEC_FUZZ_SCALE ?? 1);

/** A chunk big enough for the sign-context path: 4 leads × 9000 samples of a smooth signal plus noise. */
function largeChunkBytes(): Uint8Array {
  const samples = Array.from({ length: 4 }, (_, c) =>
    Int32Array.from({ length: 9000 }, (_, i) =>
      Math.round(2000 * Math.sin(i / (30 + c)) + ((Math.imul(i + c, 2654435761) >>> 24) - 128)),
    ),
  );
  return encodeChunk({
    header: {
      kind: 'sampled',
      recordingId: '019a0000-0000-7000-8000-000000000002',
      stream: 'ecg',
      chunkIndex: 1,
      anchorMs: 0,
      firstSampleIndex: 9000,
      sampleRateHz: 500,
      channels: ['I', 'II', 'V1', 'V2'].map((name) => ({ name, scale: { unit: 'nV', perCount: 476.84 } })),
      sampleCount: 9000,
      gaps: [],
    },
    samples,
  });
}

const validChunkArb = fc.oneof(
  fc.constantFrom(fixtureBytes('ludb1-ecg.chunk'), fixtureBytes('ludb1-beats.chunk'), largeChunkBytes()),
  sampledChunkArb.map(encodeChunk),
  recordsChunkArb.map(encodeChunk),
);

describe.each(SAMPLE_DECODERS)('decodeChunk under fuzzing (%s decoder)', (decoder) => {
  decodeWith(decoder);
  it('returns a canonical chunk or throws ChunkDecodeError for random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), decodesCanonicallyOrRejects), {
      numRuns: 3000 * scale,
    });
  });

  it('returns a canonical chunk or throws ChunkDecodeError for random bytes behind a valid magic and version', () => {
    const prefixed = fc
      .uint8Array({ maxLength: 300 })
      .map((tail) => Uint8Array.from([0x50, 0x57, 0x43, 0x4b, 1, 1 + ((tail[0] ?? 0) % 2), ...tail]));
    fc.assert(fc.property(prefixed, decodesCanonicallyOrRejects), { numRuns: 3000 * scale });
  });

  it('returns a canonical chunk or throws ChunkDecodeError for mutated valid chunks', () => {
    fc.assert(
      fc.property(validChunkArb, fc.array(mutationArb, { minLength: 1, maxLength: 4 }), (bytes, mutations) =>
        decodesCanonicallyOrRejects(mutate(bytes, mutations)),
      ),
      { numRuns: 1500 * scale },
    );
  });
});
