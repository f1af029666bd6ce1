/**
 * Where an upload is decoded: small chunks (an hr or accel minute, battery, events) on the calling
 * thread, large ones (ECG) in the decode pool. A small chunk decodes in about 0.2 ms, about what
 * the trip to a worker and back costs in CPU (two messages, two thread wake-ups, a clone each
 * way), so sending it there only adds work; an ECG minute takes several ms and would hold every
 * other request if decoded inline. The size is read from the chunk's header (about 10 µs); a
 * chunk whose header does not decode (under the same limits) goes inline too, where it fails at once.
 */
import { decodeChunkHeader, type ChunkHeader } from '../../server-contract/codec/index.js';
import type { DecodePool } from './decode-pool.js';
import {
  decodeAndExpand,
  UPLOAD_DECODE_LIMITS,
  type DecodeOutcome,
  type DecodeRequest,
} from './decode-task.js';

/** Sampled chunks of at most this many samples (all channels together) decode inline. */
export const INLINE_MAX_SAMPLES = 8192;
/** Records chunks of at most this many records, and bytes, decode inline. */
export const INLINE_MAX_RECORDS = 512;
export const INLINE_MAX_RECORDS_BYTES = 2048;

function headerOf(bytes: Uint8Array): ChunkHeader | undefined {
  try {
    return decodeChunkHeader(bytes, UPLOAD_DECODE_LIMITS);
  } catch {
    return undefined;
  }
}

/** Whether a chunk is small enough to decode on the calling thread. */
export function decodesInline(bytes: Uint8Array): boolean {
  const header = headerOf(bytes);
  if (header === undefined) return true;
  if (header.kind === 'sampled') return header.channels.length * header.sampleCount <= INLINE_MAX_SAMPLES;
  return header.recordCount <= INLINE_MAX_RECORDS && bytes.byteLength <= INLINE_MAX_RECORDS_BYTES;
}

/** Decodes and expands an upload inline or in `pool` (inline when there is none). */
export async function decodeUpload(
  pool: DecodePool | undefined,
  request: DecodeRequest,
): Promise<DecodeOutcome> {
  if (pool === undefined || decodesInline(request.bytes)) return decodeAndExpand(request);
  return pool.decode(request);
}
