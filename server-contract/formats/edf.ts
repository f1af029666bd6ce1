/**
 * EDF+ writing (https://www.edfplus.info/specs/edfplus.html): the ASCII header, data records of
 * 16-bit little-endian samples, and the "EDF Annotations" signal of time-stamped annotation lists
 * (TALs). Pure code: the caller streams the bytes this returns.
 *
 * EDF+C is a contiguous recording (record n starts n record durations after the first); EDF+D
 * allows records to start anywhere later, which is how recordings with gaps are written: records
 * wholly inside a gap are left out, and each record's start is the onset of its first TAL.
 */
import { utf8Encode } from '../codec/utf8.js';

/** One ordinary (sampled) signal of the file. */
export interface EdfSignalSpec {
  label: string;
  transducer: string;
  physicalDimension: string;
  physicalMin: number;
  physicalMax: number;
  digitalMin: number;
  digitalMax: number;
  prefiltering: string;
  samplesPerRecord: number;
}

/** What the header says. Text fields are ASCII; EDF+ subfields are separated by spaces. */
export interface EdfHeaderSpec {
  /** EDF+ patient field: `code sex birthdate name` (`X` for unknown), e.g. `P001 X X X`. */
  patient: string;
  /** EDF+ recording field after the start date: `admincode technician equipment`. */
  recording: string;
  /** Start of the file (UTC epoch ms); the header holds whole seconds, the first TAL the rest. */
  startMs: number;
  recordCount: number;
  recordDurationS: number;
  signals: readonly EdfSignalSpec[];
  /** Bytes of the annotation signal per record (even). */
  annotationBytesPerRecord: number;
  continuous: boolean;
}

/** A value does not fit an EDF header field (stable `code`). */
export class EdfError extends Error {
  readonly code = 'edf_field';
  constructor(message: string) {
    super(message);
    this.name = 'EdfError';
  }
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

function ascii(text: string, width: number, what: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '_');
  if (clean.length > width) throw new EdfError(`${what} "${clean}" is longer than ${width} characters`);
  return clean.padEnd(width, ' ');
}

/** The shortest decimal of `value` in at most `width` characters (EDF number fields). */
export function edfNumber(value: number, width = 8): string {
  if (!Number.isFinite(value)) throw new EdfError(`not a finite number: ${value}`);
  for (let decimals = 6; decimals >= 0; decimals--) {
    const text = value
      .toFixed(decimals)
      .replace(/(\.\d*?)0+$/, '$1')
      .replace(/\.$/, '');
    if (text.length <= width) return text;
  }
  throw new EdfError(`${value} does not fit in ${width} characters`);
}

/**
 * The largest digital maximum (≤ 32767, ≥ 30000) whose physical value `digital × perDigit` an
 * 8-character field holds exactly, so readers recover the scale without rounding error (e.g.
 * 0.47684 µV per digit → 32500, 15497.3 µV). Falls back to 32767 when none is exact.
 */
export function edfExactDigitalMax(perDigit: number): number {
  for (let digital = 32767; digital >= 30000; digital--) {
    const physical = digital * perDigit;
    const written = Number(edfNumber(physical));
    if (Math.abs(written - physical) <= 1e-9 * Math.abs(physical)) return digital;
  }
  return 32767;
}

/** Whole seconds of the start (the header's start date and time). */
export function edfStartSecondMs(startMs: number): number {
  return Math.floor(startMs / 1000) * 1000;
}

/** Formats the header; its length is 256 × (signals + 2) bytes (the annotation signal included). */
export function formatEdfHeader(spec: EdfHeaderSpec): Uint8Array {
  const d = new Date(edfStartSecondMs(spec.startMs));
  const p = (n: number) => String(n).padStart(2, '0');
  const date = `${p(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]!}-${d.getUTCFullYear()}`;
  const annotation: EdfSignalSpec = {
    label: 'EDF Annotations',
    transducer: '',
    physicalDimension: '',
    physicalMin: -1,
    physicalMax: 1,
    digitalMin: -32768,
    digitalMax: 32767,
    prefiltering: '',
    samplesPerRecord: spec.annotationBytesPerRecord / 2,
  };
  const signals = [...spec.signals, annotation];
  const n = signals.length;
  let text =
    ascii('0', 8, 'version') +
    ascii(spec.patient, 80, 'patient') +
    ascii(`Startdate ${date} ${spec.recording}`, 80, 'recording') +
    `${p(d.getUTCDate())}.${p(d.getUTCMonth() + 1)}.${p(d.getUTCFullYear() % 100)}` +
    `${p(d.getUTCHours())}.${p(d.getUTCMinutes())}.${p(d.getUTCSeconds())}` +
    ascii(String(256 * (n + 1)), 8, 'header bytes') +
    ascii(spec.continuous ? 'EDF+C' : 'EDF+D', 44, 'reserved') +
    ascii(String(spec.recordCount), 8, 'record count') +
    ascii(edfNumber(spec.recordDurationS), 8, 'record duration') +
    ascii(String(n), 4, 'signal count');
  const field = (width: number, what: string, get: (s: EdfSignalSpec) => string) => {
    for (const s of signals) text += ascii(get(s), width, what);
  };
  field(16, 'label', (s) => s.label);
  field(80, 'transducer', (s) => s.transducer);
  field(8, 'physical dimension', (s) => s.physicalDimension);
  field(8, 'physical minimum', (s) => edfNumber(s.physicalMin));
  field(8, 'physical maximum', (s) => edfNumber(s.physicalMax));
  field(8, 'digital minimum', (s) => String(s.digitalMin));
  field(8, 'digital maximum', (s) => String(s.digitalMax));
  field(80, 'prefiltering', (s) => s.prefiltering);
  field(8, 'samples per record', (s) => String(s.samplesPerRecord));
  field(32, 'reserved', () => '');
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** An annotation: onset (s after the header's start second), optional duration (s), text. */
export interface EdfAnnotation {
  onsetS: number;
  durationS?: number | undefined;
  text: string;
}

function edfSeconds(s: number): string {
  const text = s.toFixed(3).replace(/\.?0+$/, '');
  return s >= 0 ? `+${text}` : text;
}

/** Control characters (the TAL separators among them) become spaces. */
function withoutControls(text: string): string {
  return Array.from(text, (c) => (c.charCodeAt(0) < 0x20 ? ' ' : c)).join('');
}

/** One TAL's bytes: `+onset[\x15duration]\x14text\x14\0`; an empty text list is a time-keeping TAL. */
export function formatEdfTal(
  onsetS: number,
  durationS: number | undefined,
  texts: readonly string[],
): Uint8Array {
  const head = edfSeconds(onsetS) + (durationS === undefined ? '' : `\x15${edfSeconds(durationS).slice(1)}`);
  const body = texts.length === 0 ? '\x14' : texts.map((t) => `${withoutControls(t)}\x14`).join('');
  return utf8Encode(`${head}\x14${body}\x00`);
}

/**
 * Fills one record's annotation signal: the time-keeping TAL of the record's onset, then as many
 * of `pending` as fit (taken from its front). Returns the bytes (zero-padded to `sizeBytes`),
 * written into `scratch` when it is that size.
 */
export function encodeEdfAnnotationBlock(
  recordOnsetS: number,
  pending: EdfAnnotation[],
  sizeBytes: number,
  scratch?: Uint8Array,
): Uint8Array {
  const out = scratch?.length === sizeBytes ? scratch.fill(0) : new Uint8Array(sizeBytes);
  const keeper = formatEdfTal(recordOnsetS, undefined, []);
  if (keeper.length > sizeBytes) throw new EdfError('annotation signal too small for its time-keeping TAL');
  out.set(keeper, 0);
  let at = keeper.length;
  while (pending.length > 0) {
    const a = pending[0]!;
    const tal = formatEdfTal(a.onsetS, a.durationS, [a.text.slice(0, 200)]);
    if (at + tal.length > sizeBytes) break;
    out.set(tal, at);
    at += tal.length;
    pending.shift();
  }
  return out;
}

/**
 * Encodes one data record: each signal's `samplesPerRecord` digital values (already in range;
 * anything else is clamped to the int16 range) as int16 LE, then the annotation bytes. With `out`
 * (exactly the record's size) the bytes are written there, so a writer can reuse one buffer.
 */
export function encodeEdfRecord(
  signals: readonly ArrayLike<number>[],
  annotations: Uint8Array,
  out?: Uint8Array,
): Uint8Array {
  let samples = 0;
  for (const s of signals) samples += s.length;
  const size = samples * 2 + annotations.length;
  if (out !== undefined && out.length !== size)
    throw new EdfError(`an EDF record of these signals is ${size} bytes, not ${out.length}`);
  const bytes = out ?? new Uint8Array(size);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  for (const s of signals) {
    for (let i = 0; i < s.length; i++) {
      const v = s[i]!;
      view.setInt16(offset, v > 32767 ? 32767 : v < -32768 ? -32768 : v, true);
      offset += 2;
    }
  }
  bytes.set(annotations, offset);
  return bytes;
}
