/**
 * `encodeChunk` / `decodeChunk`: a chunk is header (header.ts) + payload (samples.ts or
 * records.ts), nothing after. Encoding is deterministic, and decoding accepts only the bytes the
 * encoder produces, so `decodeChunk(b)` re-encodes to `b` and the SHA-256 of the bytes identifies
 * the content.
 */
import { ByteReader, ByteWriter } from './byte-io.js';
import { ChunkDecodeError, ChunkEncodeError } from './errors.js';
import { readHeader, writeHeader } from './header.js';
import { decodeRecords, encodeRecords } from './records.js';
import { decodeSamples, encodeSamples } from './samples.js';
import type { SampleDecodeScratch } from './sample-decoder.js';
import {
  ChunkSchema,
  DecodeLimitsSchema,
  type Chunk,
  type ChunkHeader,
  type DecodeLimits,
  type ResolvedDecodeLimits,
} from './schema.js';

/** The limits every decoder applies unless told otherwise; the encoder never produces more. */
const DEFAULT_LIMITS: ResolvedDecodeLimits = DecodeLimitsSchema.parse({});

function checkDecodable(chunk: Chunk): void {
  const [count, limit, what] =
    'samples' in chunk
      ? [chunk.samples.length * chunk.header.sampleCount, DEFAULT_LIMITS.maxSamples, 'samples']
      : [chunk.records.length, DEFAULT_LIMITS.maxRecords, 'records'];
  if (count > limit)
    throw new ChunkEncodeError('too_large', `${count} ${what} exceed the default decode limit ${limit}`);
}

function checkCounts(chunk: Chunk): void {
  if ('samples' in chunk) {
    const { header, samples } = chunk;
    if (samples.length !== header.channels.length) {
      throw new ChunkEncodeError(
        'invalid_chunk',
        `${samples.length} sample arrays for ${header.channels.length} channels`,
      );
    }
    const bad = samples.findIndex((s) => s.length !== header.sampleCount);
    if (bad >= 0)
      throw new ChunkEncodeError(
        'invalid_chunk',
        `channel ${bad} does not hold sampleCount (${header.sampleCount}) samples`,
      );
  } else if (chunk.records.length !== chunk.header.recordCount) {
    throw new ChunkEncodeError(
      'invalid_chunk',
      `${chunk.records.length} records, header says ${chunk.header.recordCount}`,
    );
  }
}

/**
 * Encodes a chunk. Throws ChunkEncodeError: `invalid_chunk` when the chunk violates ChunkSchema or
 * its counts disagree with its header, `too_large` when a decoder with default DecodeLimits would
 * refuse it (split it into smaller chunks). Same chunk in, same bytes out.
 */
export function encodeChunk(chunk: Chunk): Uint8Array {
  try {
    return encodeValidChunk(chunk);
  } catch (error) {
    // e.g. a stack overflow validating absurdly nested records
    if (error instanceof RangeError)
      throw new ChunkEncodeError('invalid_chunk', `chunk cannot be encoded: ${error.message}`);
    throw error;
  }
}

function encodeValidChunk(chunk: Chunk): Uint8Array {
  const parsed = ChunkSchema.safeParse(chunk);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ChunkEncodeError(
      'invalid_chunk',
      `${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  checkCounts(chunk);
  checkDecodable(chunk);
  const out = new ByteWriter(
    'samples' in chunk ? 1024 + chunk.samples.length * chunk.header.sampleCount : 1024,
  );
  writeHeader(chunk.header, out);
  if ('samples' in chunk) encodeSamples(chunk.samples, chunk.header.sampleCount, out);
  else encodeRecords(chunk.records, chunk.header.anchorMs, out, DEFAULT_LIMITS.maxRecordsJsonBytes);
  if (out.length > DEFAULT_LIMITS.maxBytes) {
    throw new ChunkEncodeError(
      'too_large',
      `chunk of ${out.length} bytes exceeds the default decode limit ${DEFAULT_LIMITS.maxBytes}`,
    );
  }
  return out.finish();
}

/** Applies defaults; invalid limits are the caller's bug and throw a ZodError, not a ChunkDecodeError. */
function resolveLimits(limits: DecodeLimits | undefined): ResolvedDecodeLimits {
  return DecodeLimitsSchema.parse(limits ?? {});
}

function guarded<T>(decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof ChunkDecodeError) throw error;
    // Last resort, e.g. a stack overflow validating absurdly nested record JSON: still a decode error.
    throw new ChunkDecodeError(
      'corrupt',
      `undecodable chunk: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function openReader(bytes: Uint8Array, limits: ResolvedDecodeLimits): ByteReader {
  if (bytes.length > limits.maxBytes)
    throw new ChunkDecodeError('too_large', `${bytes.length} bytes, limit ${limits.maxBytes}`);
  return new ByteReader(bytes);
}

/** Decodes only the header (cheap: no payload work), e.g. to check a chunk's path parameters. */
export function decodeChunkHeader(bytes: Uint8Array, limits?: DecodeLimits): ChunkHeader {
  const resolved = resolveLimits(limits);
  return guarded(() => {
    return readHeader(openReader(bytes, resolved), resolved);
  });
}

/**
 * Decodes a chunk. Every malformed, truncated, non-canonical or oversized input throws
 * ChunkDecodeError with a stable `code`; allocation is bounded by `limits` (defaults in
 * DecodeLimitsSchema) and by the input length. With `scratch` (a {@link SampleDecodeScratch} kept
 * by the caller), a sampled chunk's samples are the scratch's buffers, valid until its next use.
 */
export function decodeChunk(bytes: Uint8Array, limits?: DecodeLimits, scratch?: SampleDecodeScratch): Chunk {
  const resolved = resolveLimits(limits);
  return guarded(() => {
    const input = openReader(bytes, resolved);
    const header = readHeader(input, resolved);
    const chunk: Chunk =
      header.kind === 'sampled'
        ? { header, samples: decodeSamples(input, header.channels.length, header.sampleCount, scratch) }
        : {
            header,
            records: decodeRecords(input, header.recordCount, header.anchorMs, resolved),
          };
    if (input.remaining > 0)
      throw new ChunkDecodeError('trailing_bytes', `${input.remaining} bytes after the chunk`, input.offset);
    return chunk;
  });
}
