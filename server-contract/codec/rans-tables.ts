/**
 * Frequency tables of the context-modelled rANS coder used for sample residuals.
 *
 * Alphabet: a residual is zig-zag mapped to an unsigned 32-bit `u`; `u < 16` is its own token,
 * larger `u` with bit length e+1 (e = 4…31) becomes token `16 + 2(e − 4) + (next bit below the top)`
 * followed by `e − 1` raw bits (the "hybrid integer" split of JPEG XL, ISO/IEC 18181-1 §C.2.4).
 * Contexts: the bit length of a local residual magnitude, capped at {@link MAGNITUDE_CLASSES} − 1 (the
 * idea of LOCO-I / JPEG-LS, Weinberger et al. 2000), combined with the signs of two neighbouring
 * residuals; exact definition in sample-coder.ts.
 * One table per context, quantised to 2^{@link PROB_BITS}, shared by all channels of a chunk.
 */
import type { ByteReader, ByteWriter } from './byte-io.js';
import { ChunkDecodeError } from './errors.js';

/** Probability resolution of the rANS coder: frequencies sum to 2^PROB_BITS. */
export const PROB_BITS = 11;
/** 2^PROB_BITS. */
export const PROB_SCALE = 1 << PROB_BITS;
/** Number of magnitude classes. */
export const MAGNITUDE_CLASSES = 12;
/** Number of contexts: magnitude class × sign of the previous residual × sign of the neighbouring lead's residual. */
export const CONTEXT_COUNT = MAGNITUDE_CLASSES * 4;
/** Number of tokens (see the module comment). */
export const TOKEN_COUNT = 72;

/**
 * Quantises `counts` (CONTEXT_COUNT × TOKEN_COUNT, row per context) to frequencies summing to
 * PROB_SCALE per used context (all zero for an unused one); every counted token keeps frequency ≥ 1.
 * Deterministic integer arithmetic: the decoder recomputes it to check a table is canonical.
 */
export function normaliseFrequencies(counts: Uint32Array): Uint16Array {
  const freq = new Uint16Array(CONTEXT_COUNT * TOKEN_COUNT);
  for (let c = 0; c < CONTEXT_COUNT; c++) normaliseRow(counts, c * TOKEN_COUNT, freq, c * TOKEN_COUNT);
  return freq;
}

/**
 * One context's row of {@link normaliseFrequencies}: the TOKEN_COUNT counts from `countsAt` to
 * frequencies from `freqAt` (all written; all zero when the counts are).
 */
export function normaliseRow(counts: Uint32Array, countsAt: number, freq: Uint16Array, freqAt: number): void {
  freq.fill(0, freqAt, freqAt + TOKEN_COUNT);
  let total = 0;
  for (let s = 0; s < TOKEN_COUNT; s++) total += counts[countsAt + s]!;
  if (total === 0) return;
  let sum = 0;
  let largest = freqAt;
  for (let s = 0; s < TOKEN_COUNT; s++) {
    const count = counts[countsAt + s]!;
    if (count === 0) continue;
    const f = Math.max(1, Math.floor((count * PROB_SCALE) / total));
    freq[freqAt + s] = f;
    sum += f;
    if (f > freq[largest]!) largest = freqAt + s;
  }
  rebalance(freq, freqAt, largest, PROB_SCALE - sum);
}

/** Moves `diff` units onto the largest frequencies so that a context's row sums to PROB_SCALE. */
function rebalance(freq: Uint16Array, base: number, largest: number, diff: number): void {
  if (diff >= 0) {
    freq[largest] = freq[largest]! + diff;
    return;
  }
  let owed = -diff;
  while (owed > 0) {
    let max = base;
    for (let s = base; s < base + TOKEN_COUNT; s++) if (freq[s]! > freq[max]!) max = s;
    const take = Math.min(owed, freq[max]! - 1);
    freq[max] = freq[max]! - take;
    owed -= take;
  }
}

/** Cumulative start of each token within its context's row. */
export function cumulativeStarts(freq: Uint16Array): Uint16Array {
  const start = new Uint16Array(freq.length);
  for (let c = 0; c < CONTEXT_COUNT; c++) {
    let acc = 0;
    for (let s = 0; s < TOKEN_COUNT; s++) {
      start[c * TOKEN_COUNT + s] = acc;
      acc += freq[c * TOKEN_COUNT + s]!;
    }
  }
  return start;
}

/** Writes the tables: per context the number of tokens up to the last used one, then their frequencies. */
export function writeFrequencies(freq: Uint16Array, out: ByteWriter): void {
  for (let c = 0; c < CONTEXT_COUNT; c++) {
    const base = c * TOKEN_COUNT;
    let used = TOKEN_COUNT;
    while (used > 0 && freq[base + used - 1] === 0) used--;
    out.varuint(used);
    for (let s = 0; s < used; s++) out.varuint(freq[base + s]!);
  }
}

/** Reads tables written by {@link writeFrequencies}; each used context must sum to PROB_SCALE. */
export function readFrequencies(input: ByteReader): Uint16Array {
  const freq = new Uint16Array(CONTEXT_COUNT * TOKEN_COUNT);
  for (let c = 0; c < CONTEXT_COUNT; c++) {
    const at = input.offset;
    const used = input.varuint('frequency table');
    if (used > TOKEN_COUNT) throw new ChunkDecodeError('corrupt', `frequency table of ${used} tokens`, at);
    let sum = 0;
    for (let s = 0; s < used; s++) {
      const f = input.varuint('frequency table');
      if (f > PROB_SCALE) throw new ChunkDecodeError('corrupt', 'frequency above the probability scale', at);
      freq[c * TOKEN_COUNT + s] = f;
      sum += f;
    }
    if (used > 0 && (sum !== PROB_SCALE || freq[c * TOKEN_COUNT + used - 1] === 0)) {
      throw new ChunkDecodeError('corrupt', `frequency table of context ${c} is not normalised`, at);
    }
  }
  return freq;
}
