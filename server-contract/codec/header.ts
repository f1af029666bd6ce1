/**
 * Binary chunk header, format version 1 (all multi-byte fixed fields little-endian; varuint =
 * unsigned LEB128, varint = zig-zag LEB128, string = varuint byte length + UTF-8):
 *
 * | field | encoding |
 * |---|---|
 * | magic | 4 bytes `PWCK` (0x50 0x57 0x43 0x4B) |
 * | format version | u8, {@link CHUNK_FORMAT_VERSION} |
 * | kind | u8: 1 sampled, 2 records |
 * | recordingId | 16 bytes, the UUID's bytes in text order |
 * | stream | string (≤ 64 bytes) |
 * | chunkIndex | varuint |
 * | anchorMs | varint |
 * | *sampled:* firstSampleIndex | varuint |
 * | sampleRateHz | float64 |
 * | channel count | u8 (1–255), then per channel: name string, unit string, perCount float64 |
 * | sampleCount | varuint (present samples per channel) |
 * | gap count | varuint, then per gap: atSample varuint, lengthSamples varuint, cause string |
 * | *records:* recordCount | varuint |
 *
 * The payload follows (samples.ts or records.ts) and must end exactly at the end of the input.
 */
import { ByteReader, ByteWriter } from './byte-io.js';
import { ChunkDecodeError } from './errors.js';
import { isWellFormedUtf16, utf8Encode } from './utf8.js';
import {
  ChunkHeaderSchema,
  MAX_STRING_BYTES,
  MAX_TIME_MS,
  type Channel,
  type ChunkHeader,
  type Gap,
  type ResolvedDecodeLimits,
  type SampledChunkHeader,
} from './schema.js';

/** Version of the chunk byte format written by this codec. */
export const CHUNK_FORMAT_VERSION = 1;

/** The four bytes every chunk starts with: ASCII `PWCK`. */
export const CHUNK_MAGIC = Uint8Array.of(0x50, 0x57, 0x43, 0x4b);

const KIND_SAMPLED = 1;
const KIND_RECORDS = 2;

function uuidToBytes(uuid: string): Uint8Array {
  const hex = uuid.replaceAll('-', '');
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function bytesToUuid(bytes: Uint8Array): string {
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Writes a header that has already been validated against ChunkHeaderSchema. */
export function writeHeader(header: ChunkHeader, out: ByteWriter): void {
  out.bytes(CHUNK_MAGIC);
  out.u8(CHUNK_FORMAT_VERSION);
  out.u8(header.kind === 'sampled' ? KIND_SAMPLED : KIND_RECORDS);
  out.bytes(uuidToBytes(header.recordingId));
  out.string(header.stream);
  out.varuint(header.chunkIndex);
  out.varint(header.anchorMs);
  if (header.kind === 'records') {
    out.varuint(header.recordCount);
    return;
  }
  out.varuint(header.firstSampleIndex);
  out.f64(header.sampleRateHz);
  out.u8(header.channels.length);
  for (const channel of header.channels) {
    out.string(channel.name);
    out.string(channel.scale.unit);
    out.f64(channel.scale.perCount);
  }
  out.varuint(header.sampleCount);
  out.varuint(header.gaps.length);
  for (const gap of header.gaps) {
    out.varuint(gap.atSample);
    out.varuint(gap.lengthSamples);
    out.string(gap.cause);
  }
}

function readPrelude(input: ByteReader): number {
  const magicLength = Math.min(CHUNK_MAGIC.length, input.remaining);
  for (let i = 0; i < magicLength; i++) {
    if (input.bytes[i] !== CHUNK_MAGIC[i])
      throw new ChunkDecodeError('bad_magic', 'not a PulseWatch chunk', 0);
  }
  input.bytesView(CHUNK_MAGIC.length, 'magic');
  const version = input.u8('format version');
  if (version !== CHUNK_FORMAT_VERSION) {
    throw new ChunkDecodeError(
      'unsupported_version',
      `chunk format version ${version}, this codec reads ${CHUNK_FORMAT_VERSION}`,
      4,
    );
  }
  const kind = input.u8('kind');
  if (kind !== KIND_SAMPLED && kind !== KIND_RECORDS)
    throw new ChunkDecodeError('invalid_header', `unknown chunk kind ${kind}`, 5);
  return kind;
}

function readChannels(input: ByteReader): Channel[] {
  const count = input.u8('channel count');
  const channels: Channel[] = [];
  for (let i = 0; i < count; i++) {
    const name = input.string('channel name', MAX_STRING_BYTES);
    const unit = input.string('channel unit', MAX_STRING_BYTES);
    channels.push({ name, scale: { unit, perCount: input.f64('channel scale') } });
  }
  return channels;
}

function readGaps(input: ByteReader, sampleCount: number): Gap[] {
  const at = input.offset;
  const count = input.varuint('gap count');
  if (count > sampleCount + 1)
    throw new ChunkDecodeError('invalid_header', `${count} gaps in ${sampleCount} samples`, at);
  input.need(count * 3, 'gap list');
  const gaps: Gap[] = [];
  for (let i = 0; i < count; i++) {
    const atSample = input.varuint('gap offset');
    const lengthSamples = input.varuint('gap length');
    gaps.push({ atSample, lengthSamples, cause: input.string('gap cause', MAX_STRING_BYTES) });
  }
  return gaps;
}

type CommonFields = Pick<SampledChunkHeader, 'recordingId' | 'stream' | 'chunkIndex' | 'anchorMs'>;

function readCommon(input: ByteReader): CommonFields {
  const recordingId = bytesToUuid(input.bytesView(16, 'recording id'));
  const stream = input.string('stream name', MAX_STRING_BYTES);
  const chunkIndex = input.varuint('chunk index');
  const anchorMs = input.varint('anchor time');
  return { recordingId, stream, chunkIndex, anchorMs };
}

function readSampledFields(input: ByteReader): Omit<SampledChunkHeader, 'kind' | keyof CommonFields> {
  const firstSampleIndex = input.varuint('first sample index');
  const sampleRateHz = input.f64('sample rate');
  const channels = readChannels(input);
  const sampleCount = input.varuint('sample count');
  return { firstSampleIndex, sampleRateHz, channels, sampleCount, gaps: readGaps(input, sampleCount) };
}

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STREAM_TEXT = /^[a-z][a-z0-9_]{0,31}$/;
/** Printable ASCII only: one UTF-8 byte per character, no surrogates. */
const ASCII_TEXT = /^[\x20-\x7e]*$/;

const inRange = (v: number, min: number, max: number) => Number.isSafeInteger(v) && v >= min && v <= max;

/** ChunkHeaderSchema's `shortText`: 1–MAX_STRING_BYTES UTF-8 bytes, no lone surrogates. */
function shortTextOk(s: string): boolean {
  if (s.length === 0) return false;
  if (s.length <= MAX_STRING_BYTES && ASCII_TEXT.test(s)) return true;
  return isWellFormedUtf16(s) && utf8Encode(s).length <= MAX_STRING_BYTES;
}

/**
 * Whether ChunkHeaderSchema accepts `h` as it is, checked without zod (~0.06 ms of an 8-lead
 * chunk's decode went to the schema). Each test is one of the schema's rules, at least as strict;
 * a header failing any of them is handed to the schema, which then names the broken field. The
 * schema's output equals its input here (the same keys, in its order; nothing transformed).
 */
function headerOk(h: ChunkHeader): boolean {
  if (!UUID_TEXT.test(h.recordingId) || !STREAM_TEXT.test(h.stream)) return false;
  if (!inRange(h.chunkIndex, 0, 2 ** 32 - 1) || !inRange(h.anchorMs, -MAX_TIME_MS, MAX_TIME_MS)) return false;
  if (h.kind === 'records') return inRange(h.recordCount, 0, 2 ** 32 - 1);
  if (!inRange(h.firstSampleIndex, 0, Number.MAX_SAFE_INTEGER) || !inRange(h.sampleCount, 0, 2 ** 32 - 1))
    return false;
  const rate = h.sampleRateHz;
  if (!(Number.isFinite(rate) && rate > 0 && rate <= 1e9)) return false;
  if (h.channels.length < 1 || h.channels.length > 255) return false;
  for (const { name, scale } of h.channels) {
    if (!shortTextOk(name) || !shortTextOk(scale.unit)) return false;
    if (!(Number.isFinite(scale.perCount) && scale.perCount !== 0)) return false;
  }
  let previous = -1;
  for (const gap of h.gaps) {
    if (!inRange(gap.atSample, 0, Number.MAX_SAFE_INTEGER)) return false;
    if (!inRange(gap.lengthSamples, 1, Number.MAX_SAFE_INTEGER) || !shortTextOk(gap.cause)) return false;
    if (gap.atSample <= previous || gap.atSample > h.sampleCount) return false;
    previous = gap.atSample;
  }
  return true;
}

/** Reads and validates a header, checking counts against `limits` before anything is allocated for them. */
export function readHeader(input: ByteReader, limits: ResolvedDecodeLimits): ChunkHeader {
  const kind = readPrelude(input);
  const common = readCommon(input);
  let raw: ChunkHeader;
  if (kind === KIND_RECORDS) {
    const at = input.offset;
    const recordCount = input.varuint('record count');
    if (recordCount > limits.maxRecords)
      throw new ChunkDecodeError('too_large', `${recordCount} records, limit ${limits.maxRecords}`, at);
    input.need(recordCount, 'record times');
    raw = { kind: 'records', ...common, recordCount };
  } else {
    raw = { kind: 'sampled', ...common, ...readSampledFields(input) };
    const total = raw.sampleCount * raw.channels.length;
    if (total > limits.maxSamples)
      throw new ChunkDecodeError('too_large', `${total} samples, limit ${limits.maxSamples}`);
  }
  if (headerOk(raw)) return raw;
  const parsed = ChunkHeaderSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ChunkDecodeError(
      'invalid_header',
      `header field ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}
