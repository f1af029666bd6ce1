/**
 * The viewer's decoded-chunk cache: a chunk asked for again is not decoded again, samples handed
 * out stay the chunk's own after later decodes (the decoder's scratch is reused between decodes),
 * and the cache keeps to its sample cap by dropping the least recently used chunk.
 */
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import type { SampledChunk } from '../../../server-contract/codec/index.js';
import { DecodedChunkCache } from '../../../server/routes/decoded-chunks.js';
import type { StoredChunk } from '../../../server/store/store.js';
import { ecgChunk, encoded } from '../../integration/server/harness.js';

const recordingId = uuidv7();
const sources = [0, 1, 2].map((i) => ecgChunk(recordingId, i, { seconds: 2 }));
const stored: StoredChunk[] = sources.map((chunk, index) => {
  const { bytes, sha256 } = encoded(chunk);
  return { index, sha256, startMs: 0, endMs: 2000, bytes: new Uint8Array(bytes) };
});
/** Samples (all 8 channels) of one 2-s 500 Hz chunk. */
const CHUNK_SAMPLES = 8 * 1000;

const samplesOf = (c: ReturnType<DecodedChunkCache['decode']>) => (c as SampledChunk).samples;

describe('decoded chunk cache', () => {
  it('answers a chunk asked for again with the same decoded samples, not a new decode', () => {
    const cache = new DecodedChunkCache();
    const first = cache.decode(stored[0]!);
    expect(cache.decode(stored[0]!)).toBe(first);
    expect(samplesOf(first)).toEqual(sources[0]!.samples);
  });

  it('keeps each chunk’s samples intact when later chunks are decoded', () => {
    const cache = new DecodedChunkCache();
    const decoded = stored.map((c) => cache.decode(c));
    decoded.forEach((c, i) => expect(samplesOf(c)).toEqual(sources[i]!.samples));
  });

  it('drops the least recently used chunk beyond its sample cap', () => {
    const cache = new DecodedChunkCache(2 * CHUNK_SAMPLES);
    const zero = cache.decode(stored[0]!);
    const one = cache.decode(stored[1]!);
    expect(cache.decode(stored[0]!)).toBe(zero); // chunk 0 is now the most recent
    cache.decode(stored[2]!);
    expect(cache.size).toBe(2);
    expect(cache.decode(stored[0]!)).toBe(zero);
    const again = cache.decode(stored[1]!);
    expect(again).not.toBe(one);
    expect(samplesOf(again)).toEqual(sources[1]!.samples);
  });
});
