/**
 * A small LRU of decoded ECG chunks for the viewer: paging through a recording asks for the same
 * 60-s chunk six times (10-s pages), and decoding it is most of a page's cost. Keyed by the
 * chunk's SHA-256: a stored chunk never changes under its hash, so an entry is never stale.
 */
import { decodeChunk, SampleDecodeScratch, type Chunk } from '../../server-contract/codec/index.js';
import type { ChunkDecoder } from '../ingest/ecg-segment.js';
import type { StoredChunk } from '../store/store.js';

/** Samples (all channels) the cache keeps at most: ~32 one-minute 8-channel 500 Hz chunks, ~31 MB. */
export const DECODED_CACHE_MAX_SAMPLES = 32 * 8 * 30_000;

function samplesOf(chunk: Chunk): number {
  return 'samples' in chunk ? chunk.samples.reduce((n, c) => n + c.length, 0) : 0;
}

/**
 * Decodes through one kept scratch (the decoder then allocates almost nothing: no residual,
 * table or rANS buffers per chunk) and copies the samples out, since the scratch's buffers are
 * reused by the next decode: ~12 % less CPU per 60-s 8-channel chunk than a plain decode here.
 * Decoding is synchronous, so one scratch serves every request of the process.
 */
function decodeOwned(bytes: Uint8Array, scratch: SampleDecodeScratch): Chunk {
  const chunk = decodeChunk(bytes, undefined, scratch);
  return 'samples' in chunk ? { header: chunk.header, samples: chunk.samples.map((c) => c.slice()) } : chunk;
}

export class DecodedChunkCache {
  private readonly entries = new Map<string, Chunk>();
  private readonly scratch = new SampleDecodeScratch();
  private samples = 0;

  constructor(private readonly maxSamples = DECODED_CACHE_MAX_SAMPLES) {}

  /** The decoder to hand to `ecgSegment`. */
  readonly decode: ChunkDecoder = (stored: StoredChunk) => {
    const hit = this.entries.get(stored.sha256);
    if (hit !== undefined) {
      this.entries.delete(stored.sha256);
      this.entries.set(stored.sha256, hit);
      return hit;
    }
    const chunk = decodeOwned(stored.bytes, this.scratch);
    const size = samplesOf(chunk);
    if (size > this.maxSamples) return chunk;
    this.entries.set(stored.sha256, chunk);
    this.samples += size;
    for (const [key, old] of this.entries) {
      if (this.samples <= this.maxSamples) break;
      this.entries.delete(key);
      this.samples -= samplesOf(old);
    }
    return chunk;
  };

  get size(): number {
    return this.entries.size;
  }
}
