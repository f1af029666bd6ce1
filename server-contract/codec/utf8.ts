/**
 * Strict UTF-8 (RFC 3629) without TextEncoder/TextDecoder, whose types are not part of the pure
 * ES2022 library this folder compiles against. Encoding rejects lone surrogates (they cannot
 * round-trip); decoding rejects over-long forms, surrogates, code points above U+10FFFF and
 * truncated sequences.
 */

/** True when `text` has no lone UTF-16 surrogate (so it survives a UTF-8 round trip). */
export function isWellFormedUtf16(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/** UTF-8 bytes of `text`; throws RangeError on a lone surrogate. */
export function utf8Encode(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 3);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) throw new RangeError('lone surrogate');
      c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
      i++;
    }
    if (c < 0x80) out[n++] = c;
    else if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 63);
    } else if (c < 0x10000) {
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 63);
      out[n++] = 0x80 | (c & 63);
    } else {
      out[n++] = 0xf0 | (c >> 18);
      out[n++] = 0x80 | ((c >> 12) & 63);
      out[n++] = 0x80 | ((c >> 6) & 63);
      out[n++] = 0x80 | (c & 63);
    }
  }
  return out.slice(0, n);
}

/** Decodes one sequence starting at `i`; returns [code point, length] or undefined if invalid. */
function decodeOne(bytes: Uint8Array, i: number): [number, number] | undefined {
  const b0 = bytes[i]!;
  if (b0 < 0x80) return [b0, 1];
  const length = b0 >= 0xf0 ? 4 : b0 >= 0xe0 ? 3 : b0 >= 0xc0 ? 2 : 0;
  if (length === 0 || b0 > 0xf4 || i + length > bytes.length) return undefined;
  let c = b0 & (0x7f >> length);
  for (let k = 1; k < length; k++) {
    const b = bytes[i + k]!;
    if ((b & 0xc0) !== 0x80) return undefined;
    c = (c << 6) | (b & 63);
  }
  const minimum = length === 2 ? 0x80 : length === 3 ? 0x800 : 0x10000;
  if (c < minimum || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return undefined;
  return [c, length];
}

/** The text of strict UTF-8 `bytes`; throws RangeError on any invalid sequence. */
export function utf8Decode(bytes: Uint8Array): string {
  const parts: string[] = [];
  let units: number[] = [];
  for (let i = 0; i < bytes.length;) {
    const decoded = decodeOne(bytes, i);
    if (decoded === undefined) throw new RangeError(`invalid UTF-8 at byte ${i}`);
    const [c, length] = decoded;
    if (c < 0x10000) units.push(c);
    else units.push(0xd800 + ((c - 0x10000) >> 10), 0xdc00 + ((c - 0x10000) & 0x3ff));
    i += length;
    if (units.length >= 8192) {
      parts.push(String.fromCharCode(...units));
      units = [];
    }
  }
  parts.push(String.fromCharCode(...units));
  return parts.join('');
}
