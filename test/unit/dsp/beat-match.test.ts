import { describe, expect, it } from 'vitest';
import { confusion, matchBeats, ppvPct, sePct } from '../../../bench/_beats-match.js';

describe('EC57 beat matcher of the beat-class benchmarks', () => {
  it('pairs each reference beat with the nearest unpaired detection within the window', () => {
    // an extra detection 40 samples before the beat (inside the window) does not take the match
    // from the one 2 samples after it; a detection 200 samples off pairs with nothing
    expect(Array.from(matchBeats([1000, 2000], [960, 1002, 2200], 54))).toEqual([1, -1]);
    // a detection already paired is not paired again: the second beat takes the next nearest
    expect(Array.from(matchBeats([1000, 1040], [1010, 1060], 54))).toEqual([0, 1]);
  });

  it('scores missed beats against Se and leaves extra detections out of a class +P', () => {
    const m = confusion(
      [
        { sample: 1000, cls: 'S' },
        { sample: 2000, cls: 'S' },
        { sample: 3000, cls: 'N' },
      ],
      [
        { sample: 1003, cls: 'S' },
        { sample: 2500, cls: 'S' },
        { sample: 3001, cls: 'N' },
      ],
      360,
    );
    expect(m.S!['-']).toBe(1);
    expect(m['-']!.S).toBe(1);
    expect(sePct(m, 'S')).toBe(50);
    expect(ppvPct(m, 'S')).toBe(100);
  });
});
