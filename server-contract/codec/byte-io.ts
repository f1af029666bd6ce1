/**
 * Growable byte writer and bounds-checked byte reader for the chunk format: fixed-width
 * little-endian fields, LEB128 varints (canonical, safe-integer range) and length-prefixed UTF-8.
 * The reader throws ChunkDecodeError (`truncated`, `corrupt`) and never reads past its end.
 */
import { ChunkDecodeError } from './errors.js';
import { utf8Decode, utf8Encode } from './utf8.js';

/** Appends bytes to a buffer that doubles when full. */
export class ByteWriter {
  private buffer: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(initialBytes = 256) {
    this.buffer = new Uint8Array(initialBytes);
    this.view = new DataView(this.buffer.buffer);
  }

  /** Makes room for `extra` more bytes. */
  reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
    this.view = new DataView(next.buffer);
  }

  u8(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  f64(value: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  bytes(data: Uint8Array): void {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }

  /** Unsigned LEB128 of a non-negative safe integer. */
  varuint(value: number): void {
    this.reserve(8);
    let v = value;
    while (v >= 128) {
      this.buffer[this.length++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    this.buffer[this.length++] = v;
  }

  /** Zig-zag LEB128 of a safe integer with |value| ≤ 2^51. */
  varint(value: number): void {
    this.varuint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  /** A varuint byte length followed by the UTF-8 bytes. */
  string(text: string): void {
    const encoded = utf8Encode(text);
    this.varuint(encoded.length);
    this.bytes(encoded);
  }

  /** The bytes written, as a view that later writes may invalidate. */
  written(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  /** Copy of the bytes written. */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

/** Reads fields from a byte array, throwing ChunkDecodeError instead of reading past the end. */
export class ByteReader {
  private readonly view: DataView;
  offset = 0;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  /** Throws `truncated` unless `count` more bytes are available. */
  need(count: number, what: string): void {
    if (count > this.remaining) {
      throw new ChunkDecodeError('truncated', `input ends inside ${what}`, this.offset);
    }
  }

  u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.offset++]!;
  }

  f64(what: string): number {
    this.need(8, what);
    const value = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return value;
  }

  /** A view (not a copy) of the next `count` bytes. */
  bytesView(count: number, what: string): Uint8Array {
    this.need(count, what);
    const view = this.bytes.subarray(this.offset, this.offset + count);
    this.offset += count;
    return view;
  }

  /** Canonical unsigned LEB128 no larger than Number.MAX_SAFE_INTEGER. */
  varuint(what: string): number {
    const start = this.offset;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const byte = this.u8(what);
      value += (byte & 127) * scale;
      if (byte < 128) {
        if (byte === 0 && i > 0) throw new ChunkDecodeError('corrupt', `over-long varint in ${what}`, start);
        if (value > Number.MAX_SAFE_INTEGER) break;
        return value;
      }
      scale *= 128;
    }
    throw new ChunkDecodeError('corrupt', `varint out of range in ${what}`, start);
  }

  /** Zig-zag varint (inverse of ByteWriter.varint). */
  varint(what: string): number {
    const u = this.varuint(what);
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  /** A length-prefixed UTF-8 string of at most `maxBytes` bytes. */
  string(what: string, maxBytes: number): string {
    const start = this.offset;
    const length = this.varuint(what);
    if (length > maxBytes)
      throw new ChunkDecodeError('too_large', `${what} is ${length} bytes, limit ${maxBytes}`, start);
    const raw = this.bytesView(length, what);
    try {
      return utf8Decode(raw);
    } catch {
      throw new ChunkDecodeError('corrupt', `${what} is not valid UTF-8`, start);
    }
  }
}
