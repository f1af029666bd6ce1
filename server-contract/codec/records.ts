/**
 * Payload of a records chunk: the record times as zig-zag varint deltas (the first from the
 * header's `anchorMs`), then the records without their `tMs` as one JSON array, deflated
 * (RFC 1951, fflate level 9). Decoding insists on the canonical form (the JSON text must be what
 * JSON.stringify produces and the deflate stream what the encoder produces), so a decoded chunk
 * re-encodes to the same bytes.
 */
import { Inflate, deflateSync, inflateSync } from 'fflate';
import type { ByteReader, ByteWriter } from './byte-io.js';
import { ChunkDecodeError, ChunkEncodeError } from './errors.js';
import { EpochMsSchema, MAX_RECORD_NESTING, MAX_TIME_MS, type ChunkRecord } from './schema.js';
import { utf8Decode, utf8Encode } from './utf8.js';

const DEFLATE_LEVEL = 9;
/** Compressed bytes fed to the inflater at a time, bounding the work done past a declared size. */
const INFLATE_STEP_BYTES = 4096;

/** Bracket depth of the records JSON text: the outer array, the record object, then its nesting. */
const MAX_TEXT_DEPTH = MAX_RECORD_NESTING + 2;

/** Deepest bracket nesting of a JSON text (ignoring brackets inside strings), scanning at most to `limit + 1`. */
function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length && max <= limit; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/** Record fields other than `tMs`, as a plain object. */
function fieldsOf(record: ChunkRecord): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => key !== 'tMs'));
}

/** Writes the records payload (the count is in the header). */
export function encodeRecords(
  records: readonly ChunkRecord[],
  anchorMs: number,
  out: ByteWriter,
  maxJsonBytes: number,
): void {
  let previous = anchorMs;
  for (const record of records) {
    out.varint(record.tMs - previous);
    previous = record.tMs;
  }
  const text = JSON.stringify(records.map(fieldsOf));
  if (jsonDepth(text, MAX_TEXT_DEPTH) > MAX_TEXT_DEPTH) {
    throw new ChunkEncodeError('invalid_chunk', `records nest deeper than ${MAX_RECORD_NESTING} levels`);
  }
  const json = utf8Encode(text);
  if (json.length > maxJsonBytes) {
    throw new ChunkEncodeError(
      'too_large',
      `records JSON of ${json.length} bytes exceeds the default decode limit ${maxJsonBytes}`,
    );
  }
  const deflated = deflateSync(json, { level: DEFLATE_LEVEL });
  out.varuint(json.length);
  out.varuint(deflated.length);
  out.bytes(deflated);
}

/** Reads `count` records; `count` has been bounded by the caller's limits and the input length. */
export function decodeRecords(
  input: ByteReader,
  count: number,
  anchorMs: number,
  limits: { maxRecordsJsonBytes: number; maxRecordsInflateRatio: number },
): ChunkRecord[] {
  const times = readTimes(input, count, anchorMs);
  const at = input.offset;
  const jsonLength = input.varuint('records JSON length');
  const maxJsonBytes = limits.maxRecordsJsonBytes;
  if (jsonLength > maxJsonBytes) {
    throw new ChunkDecodeError('too_large', `records JSON of ${jsonLength} bytes, limit ${maxJsonBytes}`, at);
  }
  const deflated = input.bytesView(input.varuint('records deflate length'), 'records deflate stream');
  // The declared length bounds the inflate (and the canonical re-deflate): refuse a bomb before either.
  if (jsonLength > limits.maxRecordsInflateRatio * Math.max(1, deflated.length)) {
    throw new ChunkDecodeError(
      'too_large',
      `records JSON of ${jsonLength} bytes from ${deflated.length} deflated, ratio limit ${limits.maxRecordsInflateRatio}`,
      at,
    );
  }
  const json = inflateExactly(deflated, jsonLength, at);
  if (!sameBytes(deflateSync(json, { level: DEFLATE_LEVEL }), deflated)) {
    throw new ChunkDecodeError('corrupt', 'records deflate stream is not in canonical form', at);
  }
  const fields = parseFields(json, count, at);
  return fields.map((f, i) => ({ tMs: times[i]!, ...f }));
}

function readTimes(input: ByteReader, count: number, anchorMs: number): number[] {
  const times: number[] = [];
  let previous = anchorMs;
  for (let i = 0; i < count; i++) {
    const at = input.offset;
    const t = previous + input.varint('record time');
    // The schema's own rule, inline (a minute of hr is 60 records); the schema has the last word.
    const plain = Number.isSafeInteger(t) && t >= -MAX_TIME_MS && t <= MAX_TIME_MS;
    if (!plain && !EpochMsSchema.safeParse(t).success)
      throw new ChunkDecodeError('corrupt', `record ${i} time out of range`, at);
    times.push(t);
    previous = t;
  }
  return times;
}

/**
 * Inflates `deflated`, failing as soon as the output would exceed `length` bytes. A stream of at
 * most one step (every records chunk of a minute or so) is inflated in one call into a buffer of
 * `length + 1` bytes: the streaming inflater allocates ~190 kB per call, the one call nothing but
 * that buffer. Its work is bounded as one streaming step's is (fflate drops bytes past the buffer,
 * so a longer output shows as one byte too many).
 */
function inflateExactly(deflated: Uint8Array, length: number, at: number): Uint8Array {
  if (deflated.length > 0 && deflated.length <= INFLATE_STEP_BYTES) {
    let out: Uint8Array;
    try {
      out = inflateSync(deflated, { out: new Uint8Array(length + 1) });
    } catch (error) {
      throw new ChunkDecodeError('corrupt', `records deflate stream: ${(error as Error).message}`, at);
    }
    if (out.length > length) throw new ChunkDecodeError('corrupt', 'records JSON longer than declared', at);
    if (out.length < length) throw new ChunkDecodeError('corrupt', 'records JSON shorter than declared', at);
    return out.subarray(0, length);
  }
  return inflateInSteps(deflated, length, at);
}

/** {@link inflateExactly} for a long stream: INFLATE_STEP_BYTES at a time. */
function inflateInSteps(deflated: Uint8Array, length: number, at: number): Uint8Array {
  const out = new Uint8Array(length);
  let produced = 0;
  const inflater = new Inflate((data) => {
    if (produced + data.length > length)
      throw new ChunkDecodeError('corrupt', 'records JSON longer than declared', at);
    out.set(data, produced);
    produced += data.length;
  });
  try {
    for (let offset = 0; offset < deflated.length; offset += INFLATE_STEP_BYTES) {
      const end = Math.min(deflated.length, offset + INFLATE_STEP_BYTES);
      inflater.push(deflated.subarray(offset, end), end === deflated.length);
    }
  } catch (error) {
    if (error instanceof ChunkDecodeError) throw error;
    throw new ChunkDecodeError('corrupt', `records deflate stream: ${(error as Error).message}`, at);
  }
  if (produced !== length) throw new ChunkDecodeError('corrupt', 'records JSON shorter than declared', at);
  return out;
}

function parseFields(json: Uint8Array, count: number, at: number): Record<string, unknown>[] {
  let text: string;
  let parsed: unknown;
  try {
    text = utf8Decode(json);
  } catch {
    throw new ChunkDecodeError('corrupt', 'records are not valid UTF-8', at);
  }
  if (jsonDepth(text, MAX_TEXT_DEPTH) > MAX_TEXT_DEPTH) {
    throw new ChunkDecodeError('corrupt', `records nest deeper than ${MAX_RECORD_NESTING} levels`, at);
  }
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ChunkDecodeError('corrupt', 'records are not valid JSON', at);
  }
  const isRecordList =
    Array.isArray(parsed) &&
    parsed.length === count &&
    (parsed as unknown[]).every(
      (f) => typeof f === 'object' && f !== null && !Array.isArray(f) && !Object.hasOwn(f, 'tMs'),
    );
  if (!isRecordList || JSON.stringify(parsed) !== text) {
    throw new ChunkDecodeError('corrupt', 'records JSON is not a canonical array of record objects', at);
  }
  return parsed as Record<string, unknown>[];
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
