/**
 * Errors raised by the chunk codec.
 *
 * `decodeChunk` turns every malformed, truncated or oversized input into a {@link ChunkDecodeError}
 * (never a RangeError, never a hang); `encodeChunk` rejects an invalid chunk with a
 * {@link ChunkEncodeError}. Both carry a stable `code` that callers may switch on.
 */

/** Stable codes of {@link ChunkDecodeError}. */
export const CHUNK_DECODE_ERROR_CODES = [
  /** The input ended before a field it announced. */
  'truncated',
  /** The first bytes are not the chunk magic `PWCK`. */
  'bad_magic',
  /** The format version byte is not one this codec reads. */
  'unsupported_version',
  /** A count or length exceeds the caller's {@link DecodeLimits} (or the input is larger than allowed). */
  'too_large',
  /** The payload is internally inconsistent (bad entropy-coded stream, non-canonical encoding, bad JSON, ...). */
  'corrupt',
  /** The header decodes but violates the header schema (bad UUID, stream name, rate, gap list, ...). */
  'invalid_header',
  /** Bytes remain after the end of the chunk. */
  'trailing_bytes',
] as const;

/** One of {@link CHUNK_DECODE_ERROR_CODES}. */
export type ChunkDecodeErrorCode = (typeof CHUNK_DECODE_ERROR_CODES)[number];

/** A chunk could not be decoded; `code` says why, `offset` where (byte offset into the input, when known). */
export class ChunkDecodeError extends Error {
  override readonly name = 'ChunkDecodeError';

  constructor(
    readonly code: ChunkDecodeErrorCode,
    message: string,
    readonly offset?: number,
  ) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`);
  }
}

/**
 * Stable codes of {@link ChunkEncodeError}: `invalid_chunk` (schema violation or inconsistent
 * counts), `too_large` (beyond what a decoder with default limits accepts).
 */
export type ChunkEncodeErrorCode = 'invalid_chunk' | 'too_large';

/** A chunk handed to `encodeChunk` cannot be encoded; see {@link ChunkEncodeErrorCode}. */
export class ChunkEncodeError extends Error {
  override readonly name = 'ChunkEncodeError';

  constructor(
    readonly code: ChunkEncodeErrorCode,
    message: string,
  ) {
    super(message);
  }
}
