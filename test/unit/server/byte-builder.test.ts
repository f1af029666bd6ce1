import { describe, expect, it } from 'vitest';
import { ByteBuilder, PIECE_BYTES, textBytes } from '../../../server/export/byte-builder.js';

const text = (b: ByteBuilder) => new TextDecoder().decode(b.view());

/** A deterministic spread of values (xorshift), so a failure names a reproducible input. */
function* spread(count: number): Generator<number> {
  let x = 0x2545f491;
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    yield x | 0;
  }
}

describe('ByteBuilder', () => {
  it('writes toFixed(3) byte for byte for ECG sample values, ties and extremes included', () => {
    // µV per count of the bench recording, halved for the derived leads, and a few other scales.
    const scales = [0.47684, 0.47684 / 2, 0.5, 1, 0.001, 2.5e-4, 1 / 3];
    const counts = [0, 1, -1, 25, -25, 2 ** 31 - 1, -(2 ** 31), ...spread(20_000)];
    const values = scales.flatMap((scale) => counts.flatMap((c) => [c * scale, (c % 4096) * scale]));
    values.push(-0, 0.0005, -0.0005, 0.0015, 1e9, -1e21, 0.0001, -0.0001);
    const b = new ByteBuilder(64);
    for (const value of values) {
      b.reserve(32);
      b.fixed3(value);
      b.text(' ');
    }
    const written = text(b).split(' ');
    values.forEach((value, i) => {
      if (written[i] !== value.toFixed(3)) expect(`${value}: ${written[i]}`).toBe(value.toFixed(3));
    });
  });

  it('writes integers as String() does and grows past its first capacity', () => {
    const b = new ByteBuilder(8);
    const values = [0, 9, 10, -10, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, ...spread(500)];
    for (const v of values) {
      b.reserve(24);
      b.integer(v);
      b.text(',');
    }
    expect(text(b)).toBe(values.map((v) => `${String(v)},`).join(''));
  });

  it('textBytes joins small pieces into pieces of about 256 kB and passes large byte pieces through', async () => {
    const large = new Uint8Array(PIECE_BYTES).fill(0x41);
    const pieces: string[] = [];
    const lengths: number[] = [];
    const input = ['é', ...Array.from({ length: 40_000 }, (_, i) => `${i},`), large, 'end'];
    for await (const piece of textBytes(input)) {
      lengths.push(piece.length);
      pieces.push(new TextDecoder().decode(piece));
    }
    const expected = input.map((p) => (typeof p === 'string' ? p : 'A'.repeat(PIECE_BYTES))).join('');
    expect(pieces.join('')).toBe(expected);
    expect(lengths).toContain(PIECE_BYTES);
    expect(lengths.length).toBeLessThan(6);
  });
});
