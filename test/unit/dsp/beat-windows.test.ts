import { describe, expect, it } from 'vitest';
import { BeatWindows } from '../../../main/dsp/beat-windows.js';

/** One lead's QRS window (80 ms before R to 120 ms after) of a biphasic QRS lasting about `qrsS`, sampled at `fs`. */
function qrsWindow(fs: number, qrsS: number, offsetS: number): { win: BeatWindows; w: Float64Array } {
  const before = Math.round(0.08 * fs);
  const after = Math.round(0.12 * fs);
  const win = new BeatWindows(1, before, after, Math.round(0.3 * fs));
  const sigma = qrsS / 6;
  const w = Float64Array.from({ length: before + after }, (_, j) => {
    const t = (j - before) / fs - offsetS;
    // a Gaussian R with an S wave after it: the slope spreads over about the QRS duration
    return Math.exp(-((t / sigma) ** 2) / 2) - 0.4 * Math.exp(-(((t - 1.5 * sigma) / sigma) ** 2) / 2);
  });
  return { win, w };
}

describe('beat windows: QRS width from the spread of its slope', () => {
  it('reads a QRS the same width at 80, 128 and 360 Hz, wherever its peak falls between samples', () => {
    for (const qrsS of [0.08, 0.1, 0.14]) {
      const reference = (() => {
        const { win, w } = qrsWindow(1000, qrsS, 0);
        return win.spread(w) / 1000;
      })();
      for (const fs of [80, 128, 360]) {
        for (const offsetS of [0, 0.25 / fs, 0.5 / fs, 0.75 / fs]) {
          const { win, w } = qrsWindow(fs, qrsS, offsetS);
          const widthS = win.spread(w) / fs;
          // in whole samples the width read up to 31 % off at 80 Hz and 17 % at 128 Hz; interpolated
          // within the sample, 9 % and 7 % (what is left is the slope sampled coarsely)
          expect({ qrsS, fs, offsetS, error: Math.abs(widthS / reference - 1) < 0.1 }).toEqual({
            qrsS,
            fs,
            offsetS,
            error: true,
          });
        }
      }
    }
  });

  it('orders widths as the QRS durations, and a flat window reads 0', () => {
    const narrow = qrsWindow(128, 0.08, 0);
    const wide = qrsWindow(128, 0.14, 0);
    expect(wide.win.spread(wide.w)).toBeGreaterThan(1.5 * narrow.win.spread(narrow.w));
    const flat = new Float64Array(narrow.w.length);
    expect(narrow.win.spread(flat)).toBe(0);
  });
});
