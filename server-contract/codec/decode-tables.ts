/**
 * The rANS decoder's tables (sample-decoder.ts), rebuilt per chunk from its frequency tables
 * (rans-tables.ts) into buffers kept from chunk to chunk:
 * - `slots`: the token of each (context, slot), a byte each (PROB_SCALE per context; NO_TABLE in
 *   every slot of a context without a table), and `symbols`: frequency and cumulative start of each
 *   (context, token), one Int32 each, 128 per context so that the index is a shift;
 * - `counts`: the tokens decoded, and `countsMatch`, the check that the chunk's tables are the
 *   canonical ones for those counts;
 * - {@link checkStreamEnd}: the final checks of a decode, shared by the JS loop and the WebAssembly
 *   kernel (whose tables live in its memory: {@link TableStorage}).
 */
import { ChunkDecodeError } from './errors.js';
import { CONTEXT_COUNT, PROB_BITS, PROB_SCALE, TOKEN_COUNT, normaliseRow } from './rans-tables.js';
import { RANS_L } from './sample-coder.js';

/** Stride of a context's row in `counts` and `symbols`: (context << 7) | token indexes both. */
export const CONTEXT_SHIFT = 7;
/** Slot-table value of every slot of a context that has no table. */
export const NO_TABLE = 255;

/** Arrays the tables live in: CONTEXT_COUNT << PROB_BITS slots, CONTEXT_COUNT << CONTEXT_SHIFT others. */
export interface TableStorage {
  slots: Uint8Array;
  symbols: Int32Array;
  counts: Uint32Array;
}

/** Decoding tables and token counts of one chunk at a time. */
export class DecodeTables {
  /** Token of each (context, slot): index (context << PROB_BITS) | slot. */
  readonly slots: Uint8Array;
  /** Frequency << 16 | cumulative start of each (context, token): index (context << 7) | token. */
  readonly symbols: Int32Array;
  /** Decoded tokens per (context, token), indexed as `symbols`. Zeroed by {@link build}. */
  readonly counts: Uint32Array;
  /** One context's canonical frequencies, for {@link countsMatch}. */
  private readonly row = new Uint16Array(TOKEN_COUNT);

  /** Whether each context's slots hold NO_TABLE (so that a chunk without it need not refill them). */
  private readonly empty = new Uint8Array(CONTEXT_COUNT);

  /** Tables in `storage` (e.g. views of a WebAssembly memory; overwritten) or in arrays of their own. */
  constructor(storage?: TableStorage) {
    this.slots = storage?.slots ?? new Uint8Array(CONTEXT_COUNT << PROB_BITS);
    this.symbols = storage?.symbols ?? new Int32Array(CONTEXT_COUNT << CONTEXT_SHIFT);
    this.counts = storage?.counts ?? new Uint32Array(CONTEXT_COUNT << CONTEXT_SHIFT);
    this.slots.fill(NO_TABLE);
    this.empty.fill(1);
  }

  /**
   * Fills the tables for `freq` (validated by readFrequencies) and zeroes the counts. Only the
   * contexts the chunk uses are written, plus those a previous chunk used and this one does not:
   * a small chunk (few contexts) does not pay for all CONTEXT_COUNT × PROB_SCALE slots.
   */
  build(freq: Uint16Array): void {
    const { slots, symbols, empty } = this;
    for (let c = 0; c < CONTEXT_COUNT; c++) {
      const first = c << PROB_BITS;
      let slot = first;
      for (let s = 0; s < TOKEN_COUNT; s++) {
        const f = freq[c * TOKEN_COUNT + s]!;
        symbols[(c << CONTEXT_SHIFT) | s] = (f << 16) | (slot - first);
        if (f > 0) slots.fill(s, slot, slot + f);
        slot += f;
      }
      // A used context fills all PROB_SCALE of its slots, an unused one none.
      const unused = slot === first ? 1 : 0;
      if (unused === 1 && empty[c] === 0) slots.fill(NO_TABLE, first, first + PROB_SCALE);
      empty[c] = unused;
    }
    this.counts.fill(0);
  }

  /**
   * Whether `freq` is exactly what the encoder derives from the counts decoded since `build`
   * (normaliseFrequencies, row by row). A context without a table is skipped: no token can have
   * been decoded in it (both decoders refuse one), so its counts and its row are all zero.
   */
  countsMatch(freq: Uint16Array): boolean {
    const { row, counts, empty } = this;
    for (let c = 0; c < CONTEXT_COUNT; c++) {
      if (empty[c] === 1) continue;
      normaliseRow(counts, c << CONTEXT_SHIFT, row, 0);
      const base = c * TOKEN_COUNT;
      for (let s = 0; s < TOKEN_COUNT; s++) if (row[s] !== freq[base + s]) return false;
    }
    return true;
  }
}

/** The decoder's state after the last channel (both implementations). */
export interface StreamEnd {
  x0: number;
  x1: number;
  ransPos: number;
  rawPos: number;
  /** Raw bits read but not consumed, and how many. */
  acc: number;
  bits: number;
}

/**
 * Checks that both streams were consumed exactly and that the tables are the canonical ones for
 * the tokens decoded (`at`: offset of the coded samples, for the message).
 */
export function checkStreamEnd(
  end: StreamEnd,
  tables: DecodeTables,
  freq: Uint16Array,
  lengths: { at: number; ransLength: number; rawLength: number },
): void {
  const { at, ransLength, rawLength } = lengths;
  // `acc` holds the bits read but not consumed: the last byte's padding and any zeros past the end.
  const consumedBits = end.rawPos * 8 - end.bits;
  const rawOk = end.acc === 0 && consumedBits <= rawLength * 8 && rawLength === Math.ceil(consumedBits / 8);
  if (!rawOk) throw new ChunkDecodeError('corrupt', 'raw-bit stream length or padding is wrong', at);
  if (end.ransPos !== ransLength || end.x0 !== RANS_L || end.x1 !== RANS_L) {
    throw new ChunkDecodeError('corrupt', 'rANS stream does not end where it should', at);
  }
  if (!tables.countsMatch(freq))
    throw new ChunkDecodeError('corrupt', 'frequency tables do not match the data', at);
}
