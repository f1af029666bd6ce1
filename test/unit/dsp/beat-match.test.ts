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

  it('counts missed beats against Se and extra detections against +P, as bxb', () => {
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
    // bxb: SFP = Ns + Vs + Fs + Os + Xs, the extra detection called S (Os) is a false S
    expect(ppvPct(m, 'S')).toBe(50);
  });

  it('does not count fusion or unclassifiable beats called V, nor unclassifiable beats called S, as false (EC57)', () => {
    const ref = (cls: 'N' | 'S' | 'V' | 'F' | 'Q', k: number) => ({ sample: 1000 * (k + 1), cls });
    const m = confusion(
      [ref('V', 0), ref('F', 1), ref('Q', 2), ref('N', 3), ref('Q', 4), ref('S', 5), ref('F', 6)],
      [
        { sample: 1000, cls: 'V' },
        { sample: 2000, cls: 'V' }, // Fv: not a false V
        { sample: 3000, cls: 'V' }, // Qv: not a false V
        { sample: 4000, cls: 'V' }, // Nv: a false V
        { sample: 5000, cls: 'S' }, // Qs: not a false S
        { sample: 6000, cls: 'S' },
        { sample: 7000, cls: 'S' }, // Fs: a false S
      ],
      360,
    );
    expect(ppvPct(m, 'V')).toBe(50);
    expect(ppvPct(m, 'S')).toBe(50);
    expect(sePct(m, 'V')).toBe(100);
  });
});
