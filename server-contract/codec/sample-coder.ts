/**
 * Lossless coding of integer channels: second-order prediction per channel, zig-zag mapping,
 * context-modelled rANS (Duda 2013; byte-wise renormalisation after Giesen's ryg_rans) for the
 * residual tokens and a separate little-endian-first bit stream for their raw low bits.
 *
 * Prediction (a damped linear extrapolation; on LUDB it beats plain second differences by ~1 %):
 * with a = x[i−1], b = x[i−2] (both taken as 0 before the start, and b = a = x[0] at i = 1),
 * d = (a − b) wrapped to int32, p[i] = a + ((3·d wrapped to int32) >> 2) (arithmetic shift), wrapped
 * to int32; the residual is (x[i] − p[i]) wrapped to int32. All arithmetic is modulo 2^32, so every
 * Int32Array round-trips exactly whatever its values.
 *
 * Context of sample i of channel c: s = (u[i−1] >>> 1) + (u[i−2] >>> 1) + (u_{c−1}[i] >>> 1), where u are
 * the zig-zag residuals of this channel and u_{c−1} those of the previous channel at the same
 * instant (0 where absent); magnitude class m = bit length of s, capped at MAGNITUDE_CLASSES − 1;
 * context = 4m + 2·(u_{c−1}[i] & 1) + (u[i−1] & 1), i.e. with the signs of both neighbours (the damped
 * predictor leaves residuals that are correlated in sign). Using the neighbouring lead captures that
 * QRS complexes and artefacts hit all leads at once; on LUDB the sign bits save ~2.5 % but cost
 * up to ~1 kB more of tables, so they are used only in chunks of at least SIGN_CONTEXT_MIN_SAMPLES
 * samples (all channels); smaller chunks use context = 4m.
 *
 * Channels are coded one after the other through one rANS stream. Hot loops use typed arrays and
 * int32 arithmetic only. The decoder is in sample-decoder.ts.
 */
import type { ByteWriter } from './byte-io.js';
import {
  CONTEXT_COUNT,
  MAGNITUDE_CLASSES,
  PROB_BITS,
  PROB_SCALE,
  TOKEN_COUNT,
  cumulativeStarts,
  normaliseFrequencies,
  writeFrequencies,
} from './rans-tables.js';

/** Lower bound of the rANS state interval [RANS_L, 256·RANS_L). */
export const RANS_L = 1 << 23;
/** (RANS_L >> PROB_BITS) << 8: a state at or above freq × this must shed a byte before encoding. */
const RANS_XMAX_PER_FREQ = (RANS_L >>> PROB_BITS) << 8;
/** Chunks with at least this many samples (all channels together) use the sign bits in their contexts. */
export const SIGN_CONTEXT_MIN_SAMPLES = 1 << 15;
const MAX_MAGNITUDE = MAGNITUDE_CLASSES - 1;
/** Magnitude sums at or above this all map to MAX_MAGNITUDE. */
const MAX_MAGNITUDE_SUM = 1 << (MAX_MAGNITUDE - 1);

/** Working buffers of one encode call (allocated per call: nothing is retained between chunks). */
interface EncoderBuffers {
  /** context × TOKEN_COUNT + token, per sample. */
  symbols: Uint16Array;
  /** Raw low bits; at most 30 bits per sample. */
  raw: Uint8Array;
  /** rANS output, written backwards from the end; at most 2 bytes per sample plus the state. */
  rans: Uint8Array;
}

/** Mask applied to the two sign bits of a context: 3 in large chunks, 0 in small ones. */
export function signMaskFor(totalSamples: number): number {
  return totalSamples >= SIGN_CONTEXT_MIN_SAMPLES ? 3 : 0;
}

/** Residual buffers for the previous and current channel (previous starts as zeros). */
function residualBuffers(n: number): [Int32Array, Int32Array] {
  return [new Int32Array(n), new Int32Array(n)];
}

/**
 * Appends the coded samples to `out`: frequency tables, rANS stream (varuint length + bytes),
 * raw-bit stream (varuint length + bytes). Every channel must hold `sampleCount` samples.
 */
export function encodeCodedSamples(
  channels: readonly Int32Array[],
  sampleCount: number,
  out: ByteWriter,
): void {
  const total = channels.length * sampleCount;
  const buffers: EncoderBuffers = {
    symbols: new Uint16Array(total),
    raw: new Uint8Array(total * 4 + 8),
    rans: new Uint8Array(total * 2 + 8),
  };
  const counts = new Uint32Array(CONTEXT_COUNT * TOKEN_COUNT);
  const rawLength = tokenise(channels, sampleCount, counts, buffers, signMaskFor(total));
  const freq = normaliseFrequencies(counts);
  const ransStart = ransEncode(total, freq, cumulativeStarts(freq), buffers);
  writeFrequencies(freq, out);
  out.varuint(buffers.rans.length - ransStart);
  out.bytes(buffers.rans.subarray(ransStart));
  out.varuint(rawLength);
  out.bytes(buffers.raw.subarray(0, rawLength));
}

/**
 * Fills `symbols` with context×token ids and `raw` with raw bits; returns the raw byte length.
 * One long function on purpose: the per-sample loop keeps its state in locals (registers) and makes
 * no calls, which is what lets it run at tens of millions of samples per second.
 */
function tokenise(
  channels: readonly Int32Array[],
  n: number,
  counts: Uint32Array,
  { symbols, raw }: EncoderBuffers,
  signMask: number,
): number {
  let k = 0;
  let pos = 0;
  let acc = 0;
  let bits = 0;
  let [previous, current] = residualBuffers(n);
  for (const x of channels) {
    let a = 0;
    let b = 0;
    let u1 = 0;
    let u2 = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      const r = (v - ((a + ((((a - b) | 0) * 3) >> 2)) | 0)) | 0;
      b = i === 0 ? v : a;
      a = v;
      const u = (r << 1) ^ (r >> 31);
      const neighbour = previous[i]!;
      const sum = (u1 >>> 1) + (u2 >>> 1) + (neighbour >>> 1);
      const magnitude = sum >= MAX_MAGNITUDE_SUM ? MAX_MAGNITUDE : 32 - Math.clz32(sum);
      const ctx = (magnitude << 2) | ((((neighbour & 1) << 1) | (u1 & 1)) & signMask);
      current[i] = u;
      u2 = u1;
      u1 = u;
      const e = 31 - Math.clz32(u);
      let token = u;
      if (e >= 4) {
        const rawBits = e - 1;
        token = 16 + ((e - 4) << 1) + ((u >>> rawBits) & 1);
        let value = u & ((1 << rawBits) - 1);
        let width = rawBits;
        if (width > 16) {
          acc |= (value & 0xffff) << bits;
          bits += 16;
          while (bits >= 8) {
            raw[pos++] = acc & 255;
            acc >>>= 8;
            bits -= 8;
          }
          value >>>= 16;
          width -= 16;
        }
        acc |= value << bits;
        bits += width;
        while (bits >= 8) {
          raw[pos++] = acc & 255;
          acc >>>= 8;
          bits -= 8;
        }
      }
      const id = ctx * TOKEN_COUNT + token;
      symbols[k++] = id;
      counts[id]!++;
    }
    [previous, current] = [current, previous];
  }
  if (bits > 0) raw[pos++] = acc & 255;
  return pos;
}

/**
 * rANS-encodes symbols[0..total) backwards into the end of `rans`; returns the start offset.
 * Two interleaved states (Giesen 2014, "Interleaved entropy coders"): symbol k uses state k & 1,
 * which halves the serial dependency through the state; both share one byte stream. Unrolled by two
 * so that the two chains stay independent. The stream starts with state 0 then state 1 (LE u32 each).
 */
function ransEncode(
  total: number,
  freq: Uint16Array,
  start: Uint16Array,
  { symbols, rans: out }: EncoderBuffers,
): number {
  let p = out.length;
  let x0 = RANS_L;
  let x1 = RANS_L;
  let i = total - 1;
  if ((total & 1) === 1) {
    const id = symbols[i--]!;
    const f = freq[id]!;
    while (x0 >= f * RANS_XMAX_PER_FREQ) {
      out[--p] = x0 & 255;
      x0 >>>= 8;
    }
    const q = Math.floor(x0 / f);
    x0 = q * PROB_SCALE + (x0 - q * f) + start[id]!;
  }
  for (; i > 0; i -= 2) {
    const id1 = symbols[i]!;
    const f1 = freq[id1]!;
    while (x1 >= f1 * RANS_XMAX_PER_FREQ) {
      out[--p] = x1 & 255;
      x1 >>>= 8;
    }
    const q1 = Math.floor(x1 / f1);
    x1 = q1 * PROB_SCALE + (x1 - q1 * f1) + start[id1]!;
    const id0 = symbols[i - 1]!;
    const f0 = freq[id0]!;
    while (x0 >= f0 * RANS_XMAX_PER_FREQ) {
      out[--p] = x0 & 255;
      x0 >>>= 8;
    }
    const q0 = Math.floor(x0 / f0);
    x0 = q0 * PROB_SCALE + (x0 - q0 * f0) + start[id0]!;
  }
  p -= 8;
  writeU32(out, p, x0);
  writeU32(out, p + 4, x1);
  return p;
}

function writeU32(out: Uint8Array, at: number, value: number): void {
  out[at] = value & 255;
  out[at + 1] = (value >>> 8) & 255;
  out[at + 2] = (value >>> 16) & 255;
  out[at + 3] = value >>> 24;
}
