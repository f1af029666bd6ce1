import { describe, expect, it } from 'vitest';
import { arrayLiteral } from '../../../server/store/series-inserts.js';

describe('arrayLiteral (PostgreSQL array text for the row inserts)', () => {
  it('writes numbers bare, as String() would, whether or not the array holds only numbers', () => {
    const numbers = [0, -0, 1, -17, 2 ** 31, 1767225600000, 12.5, -0.25, 1e21, Number.NaN];
    const expected = '{0,0,1,-17,2147483648,1767225600000,12.5,-0.25,1e+21,NaN}';
    expect(arrayLiteral(numbers)).toBe(expected);
    expect(arrayLiteral([...numbers, null])).toBe(`${expected.slice(0, -1)},NULL}`);
  });

  it('writes null and undefined as NULL and quotes strings with backslash and quote escaped', () => {
    expect(arrayLiteral([null, 'a', undefined, 'say "hi" \\ {x,y}', ''])).toBe(
      '{NULL,"a",NULL,"say \\"hi\\" \\\\ {x,y}",""}',
    );
  });

  it('writes an empty array as {}', () => {
    expect(arrayLiteral([])).toBe('{}');
  });
});
