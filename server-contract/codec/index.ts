/**
 * The chunk codec: the byte format gateway and server agree on for sealed chunks of a recording's
 * streams (DESIGN.md, "Data model and flow"). Pure code: no Node or DOM APIs.
 */
export { encodeChunk, decodeChunk, decodeChunkHeader } from './chunk.js';
export { chunkSha256Hex } from './hash.js';
export { CHUNK_FORMAT_VERSION, CHUNK_MAGIC } from './header.js';
export {
  ChunkDecodeError,
  ChunkEncodeError,
  CHUNK_DECODE_ERROR_CODES,
  type ChunkDecodeErrorCode,
  type ChunkEncodeErrorCode,
} from './errors.js';
export * from './schema.js';
