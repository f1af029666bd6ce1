import { describe, expect, it } from 'vitest';
import { csvCell } from '../../../server/export/csv.js';
import { missingRanges, toRanges } from '../../../server/routes/recordings.js';

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1 234', "'+1 234"],
    ['@SUM(A1)', "'@SUM(A1)"],
  ])('quotes %j as %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it('writes numbers, booleans and blanks as they are', () => {
    expect([csvCell(-12.5), csvCell(true), csvCell(null), csvCell(undefined)]).toEqual([
      '-12.5',
      'true',
      '',
      '',
    ]);
  });
});

describe('chunk index ranges', () => {
  it('compresses indexes into inclusive ranges', () => {
    expect(toRanges([0, 1, 2, 5, 7, 8])).toEqual([
      [0, 2],
      [5, 5],
      [7, 8],
    ]);
    expect(toRanges([])).toEqual([]);
  });

  it('lists the missing indexes below a limit', () => {
    expect(missingRanges([0, 1, 2, 5, 7, 8], 10)).toEqual([
      [3, 4],
      [6, 6],
      [9, 9],
    ]);
    expect(missingRanges([], 3)).toEqual([[0, 2]]);
    expect(missingRanges([0, 1, 2], 3)).toEqual([]);
    expect(missingRanges([4], 2)).toEqual([[0, 1]]);
  });
});
