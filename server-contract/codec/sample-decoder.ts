/**
 * Decoder of the coded sample form written by `encodeCodedSamples` (sample-coder.ts, where the
 * prediction, contexts and token alphabet are defined). Two implementations of one loop, accepting
 * exactly the same bytes: the WebAssembly kernel (sample-kernel.ts, sample-kernel.wat), used where
 * WebAssembly exists, and this module's JS loop, the reference and the fallback (decode-scratch.ts
 * chooses). Built for speed, byte for byte the same acceptance as before:
 * - tables rebuilt in place per chunk (decode-tables.ts): a byte per (context, slot) for the token,
 *   then frequency and start of that token in one Int32 load;
 * - the raw-bit stream is read from a copy with zero bytes after its end, two bytes per refill
 *   with no test for the end (the final checks still see exactly how much was consumed);
 * - working memory (tables, stream copies, residuals, counts, the kernel) is kept in a
 *   {@link SampleDecodeScratch}: the caller's, or this module's own when the caller passes none
 *   (decoding is synchronous, so one per thread is enough); only the returned samples are new then.
 */
import type { ByteReader } from './byte-io.js';
import { ChunkDecodeError } from './errors.js';
import { CONTEXT_SHIFT, checkStreamEnd, NO_TABLE, type StreamEnd } from './decode-tables.js';
import { SampleDecodeScratch } from './decode-scratch.js';
import { MAGNITUDE_CLASSES, PROB_BITS, PROB_SCALE, readFrequencies } from './rans-tables.js';
import { RANS_L, signMaskFor } from './sample-coder.js';
import { SampleKernel } from './sample-kernel.js';

export { SampleDecodeScratch } from './decode-scratch.js';

const SLOT_MASK = PROB_SCALE - 1;
/** Magnitude sums at or above this all map to the top class, MAGNITUDE_CLASSES − 1 (its bit length). */
const MAX_MAGNITUDE_SUM = 1 << (MAGNITUDE_CLASSES - 2);

/** Used when the caller brings no scratch (its output buffers are never handed out). */
const ownScratch = new SampleDecodeScratch();

function readU32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

/**
 * Reads what `encodeCodedSamples` wrote and returns the channels. Rejects (`corrupt`) any stream
 * the encoder would not have produced: bad tables, a state that does not return to its start,
 * bytes left over or missing, non-zero padding, tables that differ from the decoded counts. The
 * caller bounds `channelCount × sampleCount` before calling. With `scratch`, the channels are the
 * scratch's buffers (see {@link SampleDecodeScratch}); without, they are new arrays. With `ranges`
 * (2 × channelCount entries), each channel's minimum and maximum go to ranges[2c] and ranges[2c + 1]
 * (0 and 0 for empty channels), found in the decoding loop, where they cost next to nothing.
 */
export function decodeCodedSamples(
  input: ByteReader,
  channelCount: number,
  sampleCount: number,
  scratch?: SampleDecodeScratch,
  ranges?: Int32Array,
): Int32Array[] {
  const at = input.offset;
  const freq = readFrequencies(input);
  const ransLength = input.varuint('rANS length');
  const ransBytes = input.bytesView(ransLength, 'rANS stream');
  const rawBytes = input.bytesView(input.varuint('raw-bit length'), 'raw-bit stream');
  if (ransBytes.length < 8)
    throw new ChunkDecodeError('corrupt', 'rANS stream shorter than its states', input.offset);
  const work = scratch ?? ownScratch;
  const x0 = readU32(ransBytes, 0);
  const x1 = readU32(ransBytes, 4);
  for (const x of [x0, x1]) {
    if (x < RANS_L || x >= RANS_L * 256) throw new ChunkDecodeError('corrupt', 'rANS state out of range');
  }
  const job = {
    at,
    freq,
    rans: ransBytes,
    raw: rawBytes,
    channelCount,
    sampleCount,
    signMask: signMaskFor(channelCount * sampleCount),
    x0,
    x1,
    fresh: scratch === undefined,
    ranges,
  };
  const kernel = work.kernel();
  if (kernel !== undefined) {
    const channels = decodeWithKernel(kernel, work, job);
    if (channels !== undefined) return channels;
  }
  return decodeWithJs(work, job);
}

/** One chunk's coded samples, ready to decode (the states checked). */
type Job = Parameters<SampleKernel['decode']>[0] & { freq: Uint16Array };

/** Decodes with the kernel; undefined when it could not (memory would not grow, or it failed). */
function decodeWithKernel(
  kernel: SampleKernel,
  work: SampleDecodeScratch,
  job: Job,
): Int32Array[] | undefined {
  try {
    if (
      !kernel.reserve(SampleKernel.layout(job.rans.length, job.raw.length, job.channelCount, job.sampleCount))
    )
      return undefined;
    kernel.tables.build(job.freq);
    const { channels, end } = kernel.decode(job);
    checkStreamEnd(end, kernel.tables, job.freq, {
      at: job.at,
      ransLength: job.rans.length,
      rawLength: job.raw.length,
    });
    work.settleKernel();
    return channels;
  } catch (error) {
    if (error instanceof ChunkDecodeError) {
      work.settleKernel();
      throw error;
    }
    // Not the input's fault (e.g. a trap would be a kernel bug): the reference decides.
    work.settleKernel(true);
    return undefined;
  }
}

function decodeWithJs(work: SampleDecodeScratch, job: Job): Int32Array[] {
  const { channelCount, sampleCount, ranges } = job;
  work.tables.build(job.freq);
  const state = new DecoderState(work, job);
  const channels = work.outputs(channelCount, sampleCount, job.fresh);
  let [previous, current] = work.residuals(sampleCount);
  for (let c = 0; c < channelCount; c++) {
    state.channel(sampleCount, previous, current, channels[c]!);
    if (ranges !== undefined) {
      ranges[2 * c] = state.min;
      ranges[2 * c + 1] = state.max;
    }
    [previous, current] = [current, previous];
  }
  checkStreamEnd(state, work.tables, job.freq, {
    at: job.at,
    ransLength: job.rans.length,
    rawLength: job.raw.length,
  });
  return channels;
}

/** State of the entropy decoder across channels. */
class DecoderState implements StreamEnd {
  private readonly slots: Uint8Array;
  private readonly symbols: Int32Array;
  private readonly counts: Uint32Array;
  private readonly rans: Uint8Array;
  private readonly raw: Uint8Array;
  private readonly signMask: number;
  /** The state that decodes the next symbol, and the other one (they take turns). */
  x0: number;
  x1: number;
  ransPos = 8;
  acc = 0;
  bits = 0;
  rawPos = 0;
  /** Smallest and largest sample of the channel decoded last. */
  min = 0;
  max = 0;

  /** Over `work`'s tables, built for the job. */
  constructor(work: SampleDecodeScratch, job: Job) {
    ({ slots: this.slots, symbols: this.symbols, counts: this.counts } = work.tables);
    this.rans = work.ransStream(job.rans);
    this.raw = work.rawStream(job.raw);
    this.signMask = job.signMask;
    this.x0 = job.x0;
    this.x1 = job.x1;
  }

  /**
   * Decodes one channel of `n` samples into `out`, given the previous channel's residuals; fills
   * `current` with its own. Long on purpose: the hot loop keeps all state in locals and makes no
   * calls. Prediction and contexts exactly as in `tokenise` (sample-coder.ts).
   */
  channel(n: number, previous: Int32Array, current: Int32Array, out: Int32Array): void {
    const { slots, symbols, counts, rans, raw, signMask } = this;
    let { x0, x1, ransPos, acc, bits, rawPos } = this;
    let a = 0;
    let b = 0;
    let u1 = 0;
    let u2 = 0;
    let min = 0x7fffffff;
    let max = -0x80000000;
    for (let i = 0; i < n; i++) {
      const neighbour = previous[i]!;
      const sum = (u1 >>> 1) + (u2 >>> 1) + (neighbour >>> 1);
      // = (sum ≥ MAX_MAGNITUDE_SUM ? MAX_MAGNITUDE : bit length of sum) without a branch; the clamp
      // comes first because sum may exceed 2^32, which clz32 would wrap.
      const magnitude = 32 - Math.clz32(Math.min(sum, MAX_MAGNITUDE_SUM));
      const ctx = (magnitude << 2) | ((((neighbour & 1) << 1) | (u1 & 1)) & signMask);
      let x = x0;
      const slot = x & SLOT_MASK;
      const token = slots[(ctx << PROB_BITS) | slot]!;
      if (token === NO_TABLE) throw new ChunkDecodeError('corrupt', 'token in a context without a table');
      const id = (ctx << CONTEXT_SHIFT) | token;
      const symbol = symbols[id]!;
      // imul: the product is below 2^31 (frequency ≤ 2^11, x >>> 11 < 2^20), so no overflow check is needed.
      x = Math.imul(symbol >>> 16, x >>> PROB_BITS) + slot - (symbol & 0xffff);
      // Branch-free renormalisation: x ≥ 2^12 here, so 0, 1 or 2 bytes (k) are due; both are read
      // as one word (the stream copy has zero bytes after its end).
      const k = ((x - RANS_L) >>> 31) + ((x - (RANS_L >>> 8)) >>> 31);
      const word = (rans[ransPos]! << 8) | rans[ransPos + 1]!;
      x = (x << (k << 3)) | (word >>> (16 - (k << 3)));
      ransPos += k;
      // The two states take turns: x0 always holds the one that decodes the next symbol.
      x0 = x1;
      x1 = x;
      counts[id]!++;
      let u = token;
      if (token >= 16) {
        const rawBits = ((token - 16) >> 1) + 3;
        // At most 23 bits are held, so one refill of up to two bytes gives at least 16.
        if (bits < 16) {
          const take = (23 - bits) >> 3;
          acc |= ((raw[rawPos]! | (raw[rawPos + 1]! << 8)) & ((1 << (take << 3)) - 1)) << bits;
          bits += take << 3;
          rawPos += take;
        }
        let value: number;
        if (rawBits > 16) {
          const low = acc & 0xffff;
          acc >>>= 16;
          bits -= 16;
          const rest = rawBits - 16;
          while (bits < rest) {
            acc |= raw[rawPos++]! << bits;
            bits += 8;
          }
          value = low | ((acc & ((1 << rest) - 1)) << 16);
          acc >>>= rest;
          bits -= rest;
        } else {
          value = acc & ((1 << rawBits) - 1);
          acc >>>= rawBits;
          bits -= rawBits;
        }
        u = ((2 + ((token - 16) & 1)) << rawBits) | value;
      }
      current[i] = u;
      u2 = u1;
      u1 = u;
      const v = (((u >>> 1) ^ -(u & 1)) + ((a + ((((a - b) | 0) * 3) >> 2)) | 0)) | 0;
      out[i] = v;
      min = Math.min(min, v);
      max = Math.max(max, v);
      b = i === 0 ? v : a;
      a = v;
    }
    this.min = n > 0 ? min : 0;
    this.max = n > 0 ? max : 0;
    this.x0 = x0;
    this.x1 = x1;
    this.ransPos = ransPos;
    this.acc = acc;
    this.bits = bits;
    this.rawPos = rawPos;
  }
}
