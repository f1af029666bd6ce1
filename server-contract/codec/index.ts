/**
 * The chunk codec: the byte format gateway and server agree on for sealed chunks of a recording's
 * streams (DESIGN.md, "Data model and flow"). Pure code: no Node or DOM APIs.
 *
 * Format version 1, in reading order:
 * - header (header.ts): magic `PWCK`, version, kind, recording id, stream, chunk index, anchor
 *   time; sampled: first sample index, rate, channels with scales, sample count, gap list;
 *   records: record count.
 * - sampled payload (samples.ts): per channel an optional lattice scale (lattice.ts: samples
 *   converted from a coarser unit are coded as their lattice indices), a mode byte, then either
 *   coded = per-channel damped second-order prediction, context-modelled rANS (two interleaved
 *   states) of residual tokens plus raw low bits (sample-coder.ts, rans-tables.ts), or
 *   packed = per-channel minimum + fixed-width bits (sample-packing.ts), used only when smaller.
 * - records payload (records.ts): time deltas as varints, then the remaining fields as deflated JSON.
 *
 * Encoding is deterministic and decoding accepts only canonical bytes, so `chunkSha256Hex(bytes)`
 * identifies the content and a decoded chunk re-encodes to the identical bytes.
 */
export { encodeChunk, decodeChunk, decodeChunkHeader } from './chunk.js';
export { chunkSha256Hex } from './hash.js';
export { SampleDecodeScratch } from './sample-decoder.js';
export { sampleDecoderInUse, useSampleDecoder, type SampleDecoderChoice } from './decode-scratch.js';
export { CHUNK_FORMAT_VERSION, CHUNK_MAGIC } from './header.js';
export {
  ChunkDecodeError,
  ChunkEncodeError,
  CHUNK_DECODE_ERROR_CODES,
  type ChunkDecodeErrorCode,
  type ChunkEncodeErrorCode,
} from './errors.js';
export * from './schema.js';
