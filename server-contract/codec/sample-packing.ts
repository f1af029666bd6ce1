/**
 * The fallback sample coding: per channel, its minimum and a fixed bit width, then every
 * `x − min` in that width, least significant bit first. Used when it is smaller than the
 * predicted/entropy-coded form (white noise, full-scale random data), so that no input grows
 * by more than a few bytes per channel over its plain bit-packed size.
 */
import type { ByteReader, ByteWriter } from './byte-io.js';
import { ChunkDecodeError } from './errors.js';

function minMax(x: Int32Array): [number, number] {
  // Started from the first sample, not ±2^31: the loop then stays in int32 (small-integer) arithmetic.
  let min = x[0] ?? 0;
  let max = min;
  for (let i = 1; i < x.length; i++) {
    const v = x[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}

function bitLength(value: number): number {
  return value >= 2 ** 31 ? 32 : 32 - Math.clz32(value);
}

function varuintLength(value: number): number {
  let length = 1;
  for (let v = value; v >= 128; v = Math.floor(v / 128)) length++;
  return length;
}

interface ChannelPacking {
  min: number;
  width: number;
}

function packingOf(x: Int32Array): ChannelPacking {
  if (x.length === 0) return { min: 0, width: 0 };
  const [min, max] = minMax(x);
  return { min, width: bitLength(max - min) };
}

/** Size in bytes of one packed channel of `sampleCount` samples from `min` to `max`. */
function channelPackedSize(min: number, max: number, sampleCount: number): number {
  const width = sampleCount === 0 ? 0 : bitLength(max - min);
  return varuintLength(min >= 0 ? min * 2 : -min * 2 - 1) + 1 + Math.ceil((sampleCount * width) / 8);
}

/** Exact size in bytes of the packed form of these channels. */
export function packedSize(channels: readonly Int32Array[], sampleCount: number): number {
  let size = 0;
  for (const x of channels) {
    const [min, max] = x.length === 0 ? [0, 0] : minMax(x);
    size += channelPackedSize(min, max, sampleCount);
  }
  return size;
}

/** {@link packedSize} from each channel's minimum and maximum (ranges[2c], ranges[2c + 1]). */
export function packedSizeOfRanges(ranges: Int32Array, channelCount: number, sampleCount: number): number {
  let size = 0;
  for (let c = 0; c < channelCount; c++)
    size += channelPackedSize(ranges[2 * c]!, ranges[2 * c + 1]!, sampleCount);
  return size;
}

/** Writes the packed form. */
export function encodePackedSamples(
  channels: readonly Int32Array[],
  sampleCount: number,
  out: ByteWriter,
): void {
  for (const x of channels) {
    const { min, width } = packingOf(x);
    out.varint(min);
    out.u8(width);
    const bytes = new Uint8Array(Math.ceil((sampleCount * width) / 8));
    let pos = 0;
    let acc = 0;
    let bits = 0;
    for (let i = 0; i < sampleCount; i++) {
      const value = x[i]! - min;
      for (let done = 0; done < width; done += 16) {
        const take = Math.min(16, width - done);
        acc |= ((done === 0 ? value : value >>> 16) & ((1 << take) - 1)) << bits;
        bits += take;
        while (bits >= 8) {
          bytes[pos++] = acc & 255;
          acc >>>= 8;
          bits -= 8;
        }
      }
    }
    if (bits > 0) bytes[pos] = acc & 255;
    out.bytes(bytes);
  }
}

/** Reads the packed form; rejects a minimum or width the encoder would not have chosen. */
export function decodePackedSamples(
  input: ByteReader,
  channelCount: number,
  sampleCount: number,
): Int32Array[] {
  const channels: Int32Array[] = [];
  for (let c = 0; c < channelCount; c++) {
    const at = input.offset;
    const min = input.varint('packed minimum');
    const width = input.u8('packed width');
    if (min < -(2 ** 31) || min >= 2 ** 31 || width > 32)
      throw new ChunkDecodeError('corrupt', 'packed minimum or width out of range', at);
    const bytes = input.bytesView(Math.ceil((sampleCount * width) / 8), 'packed samples');
    const x = unpack(bytes, sampleCount, width, min);
    const expected = packingOf(x);
    if (expected.min !== min || expected.width !== width || !paddingIsZero(bytes, sampleCount * width)) {
      throw new ChunkDecodeError('corrupt', 'packed channel is not in canonical form', at);
    }
    channels.push(x);
  }
  return channels;
}

function unpack(bytes: Uint8Array, n: number, width: number, min: number): Int32Array {
  const x = new Int32Array(n);
  let pos = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < n; i++) {
    let value = 0;
    for (let done = 0; done < width; done += 16) {
      const take = Math.min(16, width - done);
      while (bits < take) {
        acc |= bytes[pos++]! << bits;
        bits += 8;
      }
      value |= (acc & ((1 << take) - 1)) << done;
      acc >>>= take;
      bits -= take;
    }
    x[i] = (value + min) | 0;
  }
  return x;
}

function paddingIsZero(bytes: Uint8Array, usedBits: number): boolean {
  const spare = bytes.length * 8 - usedBits;
  return spare === 0 || bytes[bytes.length - 1]! >>> (8 - spare) === 0;
}
