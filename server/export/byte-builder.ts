/**
 * One reusable buffer that the export writers fill with bytes, text and decimal numbers, and hand
 * on as a view ({@link ByteBuilder.view}) when it holds a piece's worth. Export pieces are
 * transient: a piece is valid until the consumer asks for the next one (the route writes each
 * piece to the socket before pulling the next, `server/http/stream-body.ts`), so the buffer is
 * reset and refilled, and an export allocates no memory per piece, whatever its length.
 */

const encoder = new TextEncoder();

const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;

/** A piece is handed on once the builder holds this many bytes. */
export const PIECE_BYTES = 256 * 1024;

/** A growable byte buffer written from the front; see the module comment for the reuse rule. */
export class ByteBuilder {
  private buf: Uint8Array;
  /** Bytes written so far. */
  length = 0;

  constructor(capacityBytes = PIECE_BYTES + 64 * 1024) {
    this.buf = new Uint8Array(capacityBytes);
  }

  /** True when the builder holds a piece's worth ({@link PIECE_BYTES}). */
  get full(): boolean {
    return this.length >= PIECE_BYTES;
  }

  /** Makes room for `bytes` more bytes, keeping what is written. */
  reserve(bytes: number): void {
    const need = this.length + bytes;
    if (need <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(need, this.buf.length * 2));
    grown.set(this.buf.subarray(0, this.length));
    this.buf = grown;
  }

  /** Appends text as UTF-8. */
  text(text: string): void {
    this.reserve(text.length * 3);
    this.length += encoder.encodeInto(text, this.buf.subarray(this.length)).written;
  }

  /** Appends bytes. */
  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Appends `bytes` bytes for the caller to fill, returned as a view. */
  claim(bytes: number): Uint8Array {
    this.reserve(bytes);
    const at = this.length;
    this.length += bytes;
    return this.buf.subarray(at, at + bytes);
  }

  /** Appends one byte (the caller has reserved room). */
  byte(value: number): void {
    this.buf[this.length++] = value;
  }

  /** Appends a non-negative safe integer in decimal (the caller has reserved 16 bytes). */
  digits(value: number): void {
    const buf = this.buf;
    let end = this.length;
    let v = value;
    do {
      end++;
      v = Math.floor(v / 10);
    } while (v > 0);
    this.length = end;
    v = value;
    do {
      buf[--end] = ZERO + (v % 10);
      v = Math.floor(v / 10);
    } while (v > 0);
  }

  /** Appends an integer as `String(value)` writes it (the caller has reserved 17 bytes). */
  integer(value: number): void {
    if (value < 0) {
      this.buf[this.length++] = MINUS;
      this.digits(-value);
    } else this.digits(value);
  }

  /**
   * Appends `value.toFixed(3)`, byte for byte, without making a string: integer arithmetic where
   * the rounding is unambiguous (always, but within 10^-6 of a tie or above 10^6), else toFixed.
   * The caller has reserved 24 bytes.
   */
  fixed3(value: number): void {
    const negative = value < 0;
    const m = (negative ? -value : value) * 1000;
    if (m < 1e9) {
      const whole = Math.floor(m);
      const fraction = m - whole;
      // m is within 6e-8 of |value| × 1000, so away from a tie the rounding is that of toFixed.
      if (Math.abs(fraction - 0.5) > 1e-6) {
        const n = fraction > 0.5 ? whole + 1 : whole;
        if (negative) this.buf[this.length++] = MINUS;
        const units = Math.floor(n / 1000);
        const thousandths = n - units * 1000;
        this.digits(units);
        const buf = this.buf;
        const at = this.length;
        buf[at] = DOT;
        buf[at + 1] = ZERO + Math.floor(thousandths / 100);
        buf[at + 2] = ZERO + (Math.floor(thousandths / 10) % 10);
        buf[at + 3] = ZERO + (thousandths % 10);
        this.length = at + 4;
        return;
      }
    }
    this.text(value.toFixed(3));
  }

  /** The bytes written so far, as a view valid until the builder is written again. */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  /** Forgets what is written (after its view has been consumed). */
  reset(): void {
    this.length = 0;
  }
}

/**
 * Text and byte pieces as UTF-8 pieces of about {@link PIECE_BYTES}, built in one reused buffer:
 * each yielded piece is valid until the next is asked for. Small input pieces are copied in and
 * large ones passed on as they are, so input pieces may be transient too.
 */
export async function* textBytes(
  pieces: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
): AsyncGenerator<Uint8Array> {
  const out = new ByteBuilder();
  for await (const piece of pieces) {
    if (typeof piece !== 'string' && piece.length >= PIECE_BYTES / 2) {
      // A large piece goes on as it is (after what is pending): no copy.
      if (out.length > 0) {
        yield out.view();
        out.reset();
      }
      yield piece;
      continue;
    }
    if (typeof piece === 'string') out.text(piece);
    else out.bytes(piece);
    if (out.full) {
      yield out.view();
      out.reset();
    }
  }
  if (out.length > 0) yield out.view();
}
