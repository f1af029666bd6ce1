/**
 * Turns NUS notifications (which split lines anywhere) into lines, and takes the
 * XON/XOFF flow-control bytes out of the stream.
 *
 * Rules (`../shared/specs/bangle-stream.md` "Transport"; the same in Gadgetbridge and
 * Espruino's own tutorial, `domain-notes.md` §1.3): append each notification, split on
 * `\n`, keep the trailing partial line, strip `\r`, decode latin1 (Espruino strings are
 * byte strings), cap the buffer. Bytes 0x13 (XOFF) and 0x11 (XON) are flow control, never data.
 */

/** XOFF: the watch's input buffer is filling; stop writing. */
export const XOFF = 0x13;
/** XON: the watch can take input again. */
export const XON = 0x11;
/** Default cap on a partial line, bytes (a longer line is junk). */
export const DEFAULT_MAX_LINE_BYTES = 8192;

/** What one notification produced. */
export interface ReassembledChunk {
  /** Complete lines, `\r` removed, latin1-decoded, in arrival order. */
  lines: string[];
  /** Flow-control state after this chunk: `true` after an XOFF not yet followed by XON. */
  paused: boolean;
  /** Whether this chunk contained any XON/XOFF byte. */
  flowChanged: boolean;
  /** Bytes discarded because a line exceeded the cap (0 when none). */
  overflowBytes: number;
}

/** Stateful reassembler for one connection; create a new one per connection. */
export class LineReassembler {
  private partial = '';
  private paused = false;
  /** True while discarding the rest of an over-long line up to its `\n`. */
  private skipping = false;

  /** @param maxLineBytes cap on a partial line (default 8192). */
  constructor(private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES) {}

  /** Whether the watch has asked us to stop writing (XOFF seen, no XON since). */
  get isPaused(): boolean {
    return this.paused;
  }

  /** Feeds one notification's payload. */
  push(bytes: Uint8Array): ReassembledChunk {
    const lines: string[] = [];
    let text = '';
    let flowChanged = false;
    let overflowBytes = 0;
    for (const byte of bytes) {
      if (byte === XOFF || byte === XON) {
        this.paused = byte === XOFF;
        flowChanged = true;
        continue;
      }
      text += String.fromCharCode(byte);
    }
    const pieces = (this.partial + text).split('\n');
    this.partial = pieces.pop() ?? '';
    for (const piece of pieces) {
      if (this.skipping) {
        this.skipping = false;
        continue;
      }
      lines.push(piece.replace(/\r/g, ''));
    }
    if (this.partial.length > this.maxLineBytes) {
      overflowBytes = this.partial.length;
      this.partial = '';
      this.skipping = true;
    }
    return { lines, paused: this.paused, flowChanged, overflowBytes };
  }

  /** Forgets the partial line and flow state (new connection). */
  reset(): void {
    this.partial = '';
    this.paused = false;
    this.skipping = false;
  }
}
