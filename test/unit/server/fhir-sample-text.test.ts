import { describe, expect, it } from 'vitest';
import { sampleBytes } from '../../../server/export/fhir-export.js';

/** The text the FHIR export wrote before it wrote bytes: `String(n)` joined by spaces, `E` for missing. */
function asStrings(values: Int32Array, present: Uint8Array, length: number): string {
  return Array.from({ length }, (_, i) => (present[i] === 1 ? String(values[i]) : 'E')).join(' ');
}

describe('FHIR SampledData text written as bytes', () => {
  it('equals the integers as String() writes them, E where missing, at the extremes of int32', () => {
    const values = Int32Array.from([0, 7, -7, 10, -10, 99, 100, 123456, -2147483648, 2147483647, -1, 42]);
    const present = Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1]);
    const scratch = new Uint8Array(values.length * 12);
    for (const length of [0, 1, 5, values.length]) {
      const bytes = sampleBytes(values, present, length, scratch);
      expect(new TextDecoder().decode(bytes)).toBe(asStrings(values, present, length));
    }
  });

  it('hands out a copy: the next lead written into the same scratch leaves it unchanged', () => {
    const scratch = new Uint8Array(64);
    const first = sampleBytes(Int32Array.from([1, 2, 3]), Uint8Array.from([1, 1, 1]), 3, scratch);
    sampleBytes(Int32Array.from([-9, -9, -9]), Uint8Array.from([1, 1, 1]), 3, scratch);
    expect(new TextDecoder().decode(first)).toBe('1 2 3');
  });
});
