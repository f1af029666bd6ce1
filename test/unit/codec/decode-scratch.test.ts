import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ChunkDecodeError,
  decodeChunk,
  encodeChunk,
  SampleDecodeScratch,
  type Chunk,
} from '../../../server-contract/codec/index.js';
import { comparable, largeSampledChunkArb, sampledChunkArb } from './arbitraries.js';
import { decodeWith, SAMPLE_DECODERS } from './decoders.js';

/** Decodes every chunk in turn through one scratch, copying the samples before the next decode. */
function decodeAllWith(scratch: SampleDecodeScratch, encoded: Uint8Array[]): Chunk[] {
  return encoded.map((bytes) => {
    const chunk = decodeChunk(bytes, undefined, scratch);
    return 'samples' in chunk ? { ...chunk, samples: chunk.samples.map((s) => s.slice()) } : chunk;
  });
}

describe.each(SAMPLE_DECODERS)('decoding through a reused scratch (%s decoder)', (decoder) => {
  decodeWith(decoder);
  it('gives the same chunks as decoding without one, whatever came before', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(sampledChunkArb, largeSampledChunkArb), { minLength: 1, maxLength: 6 }),
        (chunks) => {
          const encoded = chunks.map((c) => encodeChunk(c));
          const reused = decodeAllWith(new SampleDecodeScratch(), encoded);
          expect(reused.map(comparable)).toEqual(encoded.map((b) => comparable(decodeChunk(b))));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('still rejects a corrupted chunk after good ones, and decodes good ones after it', () => {
    const scratch = new SampleDecodeScratch();
    const good = fc.sample(largeSampledChunkArb, { numRuns: 2, seed: 7 }).map((c) => encodeChunk(c));
    decodeAllWith(scratch, good);
    const bad = good[0]!.slice();
    bad[bad.length - 20] = bad[bad.length - 20]! ^ 0x5a;
    expect(() => decodeChunk(bad, undefined, scratch)).toThrow(ChunkDecodeError);
    expect(decodeAllWith(scratch, good).map(comparable)).toEqual(good.map((b) => comparable(decodeChunk(b))));
  });
});
