/**
 * Writing MIT-format annotation files (`annot(5)`), block by block, so a day of beats never has
 * to be in memory. `parseMitAnnotations` in `wfdb.ts` reads what this writes.
 *
 * Each annotation is one little-endian 16-bit word: 6-bit code, 10-bit time delta (samples since
 * the previous annotation). A delta above 1023 is sent as a SKIP word (code 59) followed by the
 * 32-bit delta in PDP-11 order (high 16 bits first, each half little-endian), then the annotation
 * with delta 0. An AUX pseudo-annotation (code 63) after an annotation carries its text. The file
 * ends with a zero word.
 */
import { MIT_AUX, MIT_SKIP, WFDB_ANNOTATION_SYMBOLS, WfdbError } from './wfdb.js';

const MAX_DELTA = 1023;
const MAX_AUX_BYTES = 255;

/** One annotation to write: sample index at the record's frequency and its mnemonic (`N`, `V`, …). */
export interface MitAnnotationInput {
  sample: number;
  symbol: string;
  /** Optional text (ASCII, at most 255 bytes), e.g. a rhythm label. */
  aux?: string | undefined;
}

/** The MIT code of a mnemonic symbol (`ecgcodes.h`), or throws for an unknown one. */
export function mitCodeOf(symbol: string): number {
  const code = WFDB_ANNOTATION_SYMBOLS.indexOf(symbol);
  if (code <= 0 || symbol === '') throw new WfdbError('bad_annotation', `no MIT code for symbol "${symbol}"`);
  return code;
}

/** Encodes annotations in order; call {@link MitAnnotationWriter.end} for the terminating word. */
export class MitAnnotationWriter {
  private lastSample = 0;

  /** Encodes one batch (samples ascending, not before the previous batch's last). */
  write(annotations: readonly MitAnnotationInput[]): Uint8Array {
    const words: number[] = [];
    for (const a of annotations) {
      if (!Number.isInteger(a.sample) || a.sample < this.lastSample) {
        throw new WfdbError(
          'bad_annotation',
          `annotation at sample ${a.sample} is out of order or not an integer`,
        );
      }
      const code = mitCodeOf(a.symbol);
      let delta = a.sample - this.lastSample;
      if (delta > MAX_DELTA) {
        words.push(MIT_SKIP << 10, (delta >>> 16) & 0xffff, delta & 0xffff);
        delta = 0;
      }
      words.push((code << 10) | delta);
      this.lastSample = a.sample;
      if (a.aux !== undefined && a.aux !== '') words.push(...auxWords(a.aux));
    }
    const bytes = new Uint8Array(words.length * 2);
    const view = new DataView(bytes.buffer);
    words.forEach((w, i) => view.setUint16(i * 2, w, true));
    return bytes;
  }

  /** The terminating zero word. */
  end(): Uint8Array {
    return new Uint8Array(2);
  }
}

function auxWords(aux: string): number[] {
  const codes = Array.from(aux, (c) => c.charCodeAt(0));
  if (codes.length > MAX_AUX_BYTES || codes.some((c) => c > 0x7e || c < 0x20)) {
    throw new WfdbError('bad_annotation', `aux text must be printable ASCII, at most ${MAX_AUX_BYTES} bytes`);
  }
  const words = [(MIT_AUX << 10) | codes.length];
  for (let i = 0; i < codes.length; i += 2) words.push(codes[i]! | ((codes[i + 1] ?? 0) << 8));
  return words;
}
