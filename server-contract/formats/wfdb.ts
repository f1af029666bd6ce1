/**
 * WFDB (PhysioNet) record format: header parsing, signal decoding (formats 16 and 212),
 * MIT annotation files, and writing format-16 records.
 *
 * Pure code: callers read and write the files and hand the bytes here. Format reference:
 * PhysioNet's WFDB Applications Guide, `header(5)`, `signal(5)` and `annot(5)`; annotation codes
 * from WFDB's `ecgcodes.h`.
 */

/** The WFDB "invalid sample" value (format 16); format 212's -2048 is mapped to it too. */
export const WFDB_INVALID_SAMPLE = -32768;

/** Annotation symbols that are beats in ANSI/AAMI EC57 scoring (`../shared/data/README.md`). */
export const WFDB_BEAT_SYMBOLS: ReadonlySet<string> = new Set([
  'N',
  'L',
  'R',
  'B',
  'A',
  'a',
  'J',
  'S',
  'V',
  'r',
  'F',
  'e',
  'j',
  'n',
  'E',
  '/',
  'f',
  'Q',
  '?',
]);

/** One signal line of a header. `gain` is ADC units per physical unit (WFDB's default 200 when 0 or absent). */
export interface WfdbSignalSpec {
  fileName: string;
  format: number;
  gain: number;
  baseline: number;
  units: string;
  adcResolution: number;
  adcZero: number;
  initialValue: number;
  checksum: number;
  blockSize: number;
  description: string;
}

/** A parsed `.hea` header (single-segment records). */
export interface WfdbHeader {
  recordName: string;
  samplingFrequencyHz: number;
  /** Samples per signal; undefined when the header omits it. */
  sampleCount: number | undefined;
  signals: WfdbSignalSpec[];
  /** Comment lines without the leading `#`, trimmed. */
  comments: string[];
}

/** One annotation of an MIT-format annotation file. */
export interface WfdbAnnotation {
  /** Sample index (at the record's sampling frequency). */
  sample: number;
  symbol: string;
  code: number;
  subtype: number;
  chan: number;
  num: number;
  aux: string | undefined;
}

/** A WFDB file could not be parsed; `code` is stable. */
export class WfdbError extends Error {
  readonly code: 'bad_header' | 'unsupported_format' | 'truncated' | 'bad_annotation' | 'buffer_too_small';
  constructor(code: WfdbError['code'], message: string) {
    super(message);
    this.name = 'WfdbError';
    this.code = code;
  }
}

function parseNumber(text: string | undefined, fallback: number, what: string): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new WfdbError('bad_header', `${what} is not a number: ${text}`);
  return value;
}

function parseRecordLine(line: string): Omit<WfdbHeader, 'signals' | 'comments'> & { signalCount: number } {
  const fields = line.trim().split(/\s+/);
  const [nameField, nsigField, fsField, nsampField] = fields;
  if (nameField === undefined || nsigField === undefined) {
    throw new WfdbError('bad_header', `record line needs a name and a signal count: "${line}"`);
  }
  if (nameField.includes('/'))
    throw new WfdbError('unsupported_format', 'multi-segment records are not supported');
  const signalCount = parseNumber(nsigField, 0, 'signal count');
  if (!Number.isInteger(signalCount) || signalCount < 0) {
    throw new WfdbError('bad_header', `bad signal count: ${nsigField}`);
  }
  const frequency = parseNumber(fsField?.split('/')[0], 250, 'sampling frequency');
  if (frequency <= 0) throw new WfdbError('bad_header', `bad sampling frequency: ${fsField}`);
  const sampleCount = nsampField === undefined ? undefined : parseNumber(nsampField, 0, 'sample count');
  return { recordName: nameField, signalCount, samplingFrequencyHz: frequency, sampleCount };
}

const SIGNAL_FORMAT = /^(\d+)(?:x\d+)?(?::\d+)?(?:\+\d+)?$/;
const GAIN_FIELD = /^([-+0-9.eE]+)(?:\(([-+0-9]+)\))?(?:\/(.*))?$/;

function parseSignalLine(line: string): WfdbSignalSpec {
  const fields = line.trim().split(/\s+/);
  const [fileName, formatField, gainField, resField, zeroField, initField, sumField, blockField] = fields;
  if (fileName === undefined || formatField === undefined) {
    throw new WfdbError('bad_header', `signal line needs a file name and a format: "${line}"`);
  }
  const formatMatch = SIGNAL_FORMAT.exec(formatField);
  if (formatMatch?.[1] === undefined) throw new WfdbError('bad_header', `bad signal format: ${formatField}`);
  const format = Number(formatMatch[1]);
  const adcZero = parseNumber(zeroField, 0, 'ADC zero');
  let gain = 200;
  let baseline = adcZero;
  let units = 'mV';
  if (gainField !== undefined) {
    const gainMatch = GAIN_FIELD.exec(gainField);
    if (gainMatch?.[1] === undefined) throw new WfdbError('bad_header', `bad gain field: ${gainField}`);
    gain = Number(gainMatch[1]) || 200;
    if (gainMatch[2] !== undefined) baseline = Number(gainMatch[2]);
    if (gainMatch[3] !== undefined && gainMatch[3] !== '') units = gainMatch[3];
  }
  return {
    fileName,
    format,
    gain,
    baseline,
    units,
    adcResolution: parseNumber(resField, format === 212 ? 12 : 16, 'ADC resolution'),
    adcZero,
    initialValue: parseNumber(initField, 0, 'initial value'),
    checksum: parseNumber(sumField, 0, 'checksum'),
    blockSize: parseNumber(blockField, 0, 'block size'),
    description: fields.slice(8).join(' '),
  };
}

/** Parses a `.hea` header; accepts LF and CRLF line endings. */
export function parseWfdbHeader(text: string): WfdbHeader {
  const comments: string[] = [];
  const lines: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('#')) comments.push(line.slice(1).trim());
    else if (line !== '') lines.push(line);
  }
  const [recordLine, ...signalLines] = lines;
  if (recordLine === undefined) throw new WfdbError('bad_header', 'empty header');
  const record = parseRecordLine(recordLine);
  if (signalLines.length < record.signalCount) {
    throw new WfdbError(
      'bad_header',
      `header names ${record.signalCount} signals but has ${signalLines.length} lines`,
    );
  }
  const signals = signalLines.slice(0, record.signalCount).map(parseSignalLine);
  return {
    recordName: record.recordName,
    samplingFrequencyHz: record.samplingFrequencyHz,
    sampleCount: record.sampleCount,
    signals,
    comments,
  };
}

/** Decodes format 16 (interleaved little-endian int16) into one Int32Array per signal. */
export function decodeFormat16(bytes: Uint8Array, signalCount: number): Int32Array[] {
  const frames = Math.floor(bytes.length / (2 * signalCount));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = Array.from({ length: signalCount }, () => new Int32Array(frames));
  let offset = 0;
  for (let i = 0; i < frames; i++) {
    for (let s = 0; s < signalCount; s++) {
      out[s]![i] = view.getInt16(offset, true);
      offset += 2;
    }
  }
  return out;
}

/** Decodes format 212 (pairs of 12-bit samples in 3 bytes); -2048 becomes {@link WFDB_INVALID_SAMPLE}. */
export function decodeFormat212(bytes: Uint8Array, signalCount: number): Int32Array[] {
  const totalSamples = Math.floor((bytes.length * 2) / 3);
  const frames = Math.floor(totalSamples / signalCount);
  const out = Array.from({ length: signalCount }, () => new Int32Array(frames));
  const limit = frames * signalCount;
  for (let k = 0; k < limit; k++) {
    const base = (k >> 1) * 3;
    const b0 = bytes[base]!;
    const b1 = bytes[base + 1]!;
    let value = (k & 1) === 0 ? b0 | ((b1 & 0x0f) << 8) : bytes[base + 2]! | ((b1 & 0xf0) << 4);
    if (value >= 2048) value -= 4096;
    out[k % signalCount]![Math.floor(k / signalCount)] = value === -2048 ? WFDB_INVALID_SAMPLE : value;
  }
  return out;
}

/**
 * Decodes every signal of a record, in header order, as ADC units. `readFile` returns the bytes
 * of a signal file named in the header (signals sharing a file are interleaved in it).
 */
export function decodeWfdbSignals(
  header: WfdbHeader,
  readFile: (fileName: string) => Uint8Array,
): Int32Array[] {
  const result: Int32Array[] = new Array<Int32Array>(header.signals.length);
  const groups = new Map<string, number[]>();
  header.signals.forEach((signal, i) => {
    const group = groups.get(signal.fileName) ?? [];
    group.push(i);
    groups.set(signal.fileName, group);
  });
  for (const [fileName, indexes] of groups) {
    const formats = new Set(indexes.map((i) => header.signals[i]!.format));
    const [format] = formats;
    if (formats.size !== 1 || (format !== 16 && format !== 212)) {
      throw new WfdbError('unsupported_format', `${fileName}: only formats 16 and 212 are supported`);
    }
    const bytes = readFile(fileName);
    const decoded =
      format === 16 ? decodeFormat16(bytes, indexes.length) : decodeFormat212(bytes, indexes.length);
    indexes.forEach((signalIndex, j) => {
      const samples = decoded[j]!;
      result[signalIndex] =
        header.sampleCount !== undefined && header.sampleCount > 0 && samples.length > header.sampleCount
          ? samples.subarray(0, header.sampleCount)
          : samples;
    });
  }
  return result;
}

/** Converts ADC units to physical units (e.g. mV) with the signal's gain and baseline. */
export function adcToPhysical(value: number, signal: WfdbSignalSpec): number {
  return (value - signal.baseline) / signal.gain;
}

/** MIT annotation codes (`ecgcodes.h`) to their mnemonic symbols; index = code. */
export const WFDB_ANNOTATION_SYMBOLS: readonly string[] = [
  ' ',
  'N',
  'L',
  'R',
  'a',
  'V',
  'F',
  'J',
  'A',
  'S',
  'E',
  'j',
  '/',
  'Q',
  '~',
  '',
  '|',
  '',
  's',
  'T',
  '*',
  'D',
  '"',
  '=',
  'p',
  'B',
  '^',
  't',
  '+',
  'u',
  '?',
  '!',
  '[',
  ']',
  'e',
  'n',
  '@',
  'x',
  'f',
  '(',
  ')',
  'r',
];

/** Pseudo-annotation codes of the MIT format (`annot(5)`). */
export const MIT_SKIP = 59;
const SKIP = MIT_SKIP;
const NUM = 60;
const SUB = 61;
const CHN = 62;
/** The AUX pseudo-annotation: a byte count in the 10-bit field, then the (even-padded) bytes. */
export const MIT_AUX = 63;
const AUX = MIT_AUX;

/** Parses an MIT-format annotation file (`.atr`, LUDB's per-lead files). */
export function parseMitAnnotations(bytes: Uint8Array): WfdbAnnotation[] {
  const annotations: WfdbAnnotation[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  let time = 0;
  let chan = 0;
  let num = 0;
  const latest = (): WfdbAnnotation => {
    const last = annotations[annotations.length - 1];
    if (last === undefined) throw new WfdbError('bad_annotation', 'modifier before the first annotation');
    return last;
  };
  while (offset + 2 <= bytes.length) {
    const word = view.getUint16(offset, true);
    offset += 2;
    const code = word >> 10;
    const field = word & 0x3ff;
    if (code === 0 && field === 0) break;
    if (code === SKIP) {
      if (offset + 4 > bytes.length) throw new WfdbError('truncated', 'SKIP without its interval');
      const interval = (view.getInt16(offset, true) << 16) | view.getUint16(offset + 2, true);
      offset += 4;
      time += interval;
    } else if (code === NUM) {
      num = (field << 22) >> 22;
      latest().num = num;
    } else if (code === SUB) {
      latest().subtype = (field << 22) >> 22;
    } else if (code === CHN) {
      chan = field;
      latest().chan = chan;
    } else if (code === AUX) {
      if (offset + field > bytes.length)
        throw new WfdbError('truncated', 'AUX runs past the end of the file');
      let aux = '';
      for (let i = 0; i < field; i++) aux += String.fromCharCode(bytes[offset + i]!);
      latest().aux = aux.replace(/\0+$/, '');
      offset += field + (field & 1);
    } else if (code > 49) {
      // Codes 50-58 are reserved pseudo-annotations: skip them.
    } else {
      time += field;
      annotations.push({
        sample: time,
        symbol: WFDB_ANNOTATION_SYMBOLS[code] ?? '?',
        code,
        subtype: 0,
        chan,
        num,
        aux: undefined,
      });
    }
  }
  return annotations;
}

/** What {@link formatWfdbHeader} writes: a single-file format-16 record. */
export interface WfdbWriteSpec {
  recordName: string;
  samplingFrequencyHz: number;
  sampleCount: number;
  /** Per signal: ADC units per `units`, baseline, units (e.g. `uV`), description (e.g. lead name). */
  signals: {
    gain: number;
    baseline: number;
    units: string;
    description: string;
    initialValue: number;
    checksum: number;
  }[];
  comments?: string[];
  /** Time of sample 0 (UTC epoch ms), written as the record's base time and date. */
  startMs?: number;
}

/** WFDB's `HH:MM:SS.mmm DD/MM/YYYY` base time and date (`header(5)`), in UTC. */
export function formatWfdbBaseTime(startMs: number): string {
  const d = new Date(startMs);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)} ` +
    `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`
  );
}

/** Formats a header for a format-16 record whose samples are all in `<recordName>.dat`. */
export function formatWfdbHeader(spec: WfdbWriteSpec): string {
  const base = spec.startMs === undefined ? '' : ` ${formatWfdbBaseTime(spec.startMs)}`;
  const lines = [
    `${spec.recordName} ${spec.signals.length} ${spec.samplingFrequencyHz} ${spec.sampleCount}${base}`,
  ];
  for (const s of spec.signals) {
    lines.push(
      `${spec.recordName}.dat 16 ${s.gain}(${s.baseline})/${s.units} 16 0 ${s.initialValue} ${s.checksum} 0 ${s.description}`,
    );
  }
  for (const comment of spec.comments ?? []) lines.push(`# ${comment}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Encodes channels as format 16 (interleaved int16 LE). Values outside the int16 range, and
 * non-finite values, are written as {@link WFDB_INVALID_SAMPLE}. With `out` (at least
 * frames × channels × 2 bytes) the bytes are written there and a view of them is returned, so a
 * writer of many blocks can reuse one buffer.
 */
export function encodeFormat16(channels: readonly ArrayLike<number>[], out?: Uint8Array): Uint8Array {
  const frames = channels.reduce((min, c) => Math.min(min, c.length), channels.length === 0 ? 0 : Infinity);
  const size = frames * channels.length * 2;
  if (out !== undefined && out.length < size)
    throw new WfdbError('buffer_too_small', `format 16 needs ${size} bytes, the buffer has ${out.length}`);
  const bytes = out === undefined ? new Uint8Array(size) : out.subarray(0, size);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stride = channels.length * 2;
  for (let c = 0; c < channels.length; c++) {
    const channel = channels[c]!;
    for (let i = 0, offset = c * 2; i < frames; i++, offset += stride) {
      const value = channel[i]!;
      const valid = value > -32768 && value <= 32767;
      view.setInt16(offset, valid ? Math.round(value) : WFDB_INVALID_SAMPLE, true);
    }
  }
  return bytes;
}

/** WFDB's 16-bit checksum of a signal (sum of samples, modulo 2^16, as a signed value). */
export function wfdbChecksum(samples: ArrayLike<number>): number {
  return wfdbChecksumUpdate(0, samples);
}

/**
 * Adds `samples` to a running checksum (start from 0), so a record written block by block gets
 * the same checksum as {@link wfdbChecksum} of the whole signal.
 */
export function wfdbChecksumUpdate(checksum: number, samples: ArrayLike<number>): number {
  let sum = checksum & 0xffff;
  for (let i = 0; i < samples.length; i++) sum = (sum + samples[i]!) & 0xffff;
  return sum >= 0x8000 ? sum - 0x10000 : sum;
}
