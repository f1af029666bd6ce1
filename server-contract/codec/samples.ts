/**
 * Payload of a sampled chunk: one mode byte, then either the predicted, entropy-coded form
 * ({@link encodeCodedSamples}) or, when strictly smaller, the plain bit-packed form
 * ({@link encodePackedSamples}). The decoder checks that the mode is the one the encoder would
 * have chosen, so every decodable payload is canonical.
 */
import { ByteWriter, type ByteReader } from './byte-io.js';
import { ChunkDecodeError } from './errors.js';
import { decodeCodedSamples, encodeCodedSamples } from './sample-coder.js';
import { decodePackedSamples, encodePackedSamples, packedSize } from './sample-packing.js';

const MODE_CODED = 1;
const MODE_PACKED = 2;

function codedForm(channels: readonly Int32Array[], sampleCount: number): ByteWriter {
  const coded = new ByteWriter(Math.max(256, channels.length * sampleCount));
  encodeCodedSamples(channels, sampleCount, coded);
  return coded;
}

/** Writes the samples payload. Every channel holds exactly `sampleCount` samples. */
export function encodeSamples(channels: readonly Int32Array[], sampleCount: number, out: ByteWriter): void {
  const coded = codedForm(channels, sampleCount);
  if (packedSize(channels, sampleCount) < coded.length) {
    out.u8(MODE_PACKED);
    encodePackedSamples(channels, sampleCount, out);
  } else {
    out.u8(MODE_CODED);
    out.bytes(coded.written());
  }
}

/** Reads the samples payload; the caller has bounded `channelCount × sampleCount`. */
export function decodeSamples(input: ByteReader, channelCount: number, sampleCount: number): Int32Array[] {
  const at = input.offset;
  const mode = input.u8('sample coding mode');
  if (mode === MODE_CODED) {
    const start = input.offset;
    const channels = decodeCodedSamples(input, channelCount, sampleCount);
    if (packedSize(channels, sampleCount) < input.offset - start) {
      throw new ChunkDecodeError('corrupt', 'coded samples where the packed form is smaller', at);
    }
    return channels;
  }
  if (mode === MODE_PACKED) {
    const start = input.offset;
    const channels = decodePackedSamples(input, channelCount, sampleCount);
    if (codedForm(channels, sampleCount).length <= input.offset - start) {
      throw new ChunkDecodeError('corrupt', 'packed samples where the coded form is no larger', at);
    }
    return channels;
  }
  throw new ChunkDecodeError('corrupt', `unknown sample coding mode ${mode}`, at);
}
