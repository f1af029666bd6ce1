/**
 * Payload of a sampled chunk:
 * 1. per channel, its lattice: u8 0 (none) or u8 1 + float64 scale (lattice.ts); a lattice channel
 *    is coded as its indices k, decoded as round(k × scale);
 * 2. one mode byte, then either the predicted, entropy-coded form ({@link encodeCodedSamples}) or,
 *    when strictly smaller, the plain bit-packed form ({@link encodePackedSamples}).
 * The decoder checks that lattices and mode are the ones the encoder would have chosen, so every
 * decodable payload is canonical.
 */
import { ByteWriter, type ByteReader } from './byte-io.js';
import { ChunkDecodeError } from './errors.js';
import { detectLatticeScale, fromLattice, toLattice } from './lattice.js';
import { encodeCodedSamples } from './sample-coder.js';
import { decodeCodedSamples, type SampleDecodeScratch } from './sample-decoder.js';
import {
  decodePackedSamples,
  encodePackedSamples,
  packedSize,
  packedSizeOfRanges,
} from './sample-packing.js';

const MODE_CODED = 1;
const MODE_PACKED = 2;

function codedForm(channels: readonly Int32Array[], sampleCount: number): ByteWriter {
  const coded = new ByteWriter(Math.max(256, channels.length * sampleCount));
  encodeCodedSamples(channels, sampleCount, coded);
  return coded;
}

/** Writes the samples payload. Every channel holds exactly `sampleCount` samples. */
export function encodeSamples(channels: readonly Int32Array[], sampleCount: number, out: ByteWriter): void {
  const values = channels.map((x) => {
    const scale = detectLatticeScale(x);
    if (scale === undefined) {
      out.u8(0);
      return x;
    }
    out.u8(1);
    out.f64(scale);
    return toLattice(x, scale);
  });
  const coded = codedForm(values, sampleCount);
  if (packedSize(values, sampleCount) < coded.length) {
    out.u8(MODE_PACKED);
    encodePackedSamples(values, sampleCount, out);
  } else {
    out.u8(MODE_CODED);
    out.bytes(coded.written());
  }
}

function readLattices(input: ByteReader, channelCount: number): (number | undefined)[] {
  const scales: (number | undefined)[] = [];
  for (let c = 0; c < channelCount; c++) {
    const at = input.offset;
    const flag = input.u8('lattice flag');
    if (flag > 1) throw new ChunkDecodeError('corrupt', `lattice flag ${flag}`, at);
    scales.push(flag === 1 ? input.f64('lattice scale') : undefined);
  }
  return scales;
}

function readValues(
  input: ByteReader,
  channelCount: number,
  sampleCount: number,
  scratch: SampleDecodeScratch | undefined,
): Int32Array[] {
  const at = input.offset;
  const mode = input.u8('sample coding mode');
  const start = input.offset;
  if (mode === MODE_CODED) {
    const ranges = new Int32Array(2 * channelCount);
    const values = decodeCodedSamples(input, channelCount, sampleCount, scratch, ranges);
    if (packedSizeOfRanges(ranges, channelCount, sampleCount) < input.offset - start) {
      throw new ChunkDecodeError('corrupt', 'coded samples where the packed form is smaller', at);
    }
    return values;
  }
  if (mode === MODE_PACKED) {
    const values = decodePackedSamples(input, channelCount, sampleCount);
    if (codedForm(values, sampleCount).length <= input.offset - start) {
      throw new ChunkDecodeError('corrupt', 'packed samples where the coded form is no larger', at);
    }
    return values;
  }
  throw new ChunkDecodeError('corrupt', `unknown sample coding mode ${mode}`, at);
}

/**
 * Reads the samples payload; the caller has bounded `channelCount × sampleCount`. With `scratch`,
 * the channels returned are its buffers (valid until its next use).
 */
export function decodeSamples(
  input: ByteReader,
  channelCount: number,
  sampleCount: number,
  scratch?: SampleDecodeScratch,
): Int32Array[] {
  const at = input.offset;
  const scales = readLattices(input, channelCount);
  const values = readValues(input, channelCount, sampleCount, scratch);
  return values.map((v, c) => {
    const scale = scales[c];
    // In place: `v` is this decode's own array (or the scratch's), read nowhere else.
    const x = scale === undefined ? v : fromLattice(v, scale, v);
    if (detectLatticeScale(x) !== scale) {
      throw new ChunkDecodeError('corrupt', `channel ${c} lattice is not the one its samples have`, at);
    }
    return x;
  });
}
