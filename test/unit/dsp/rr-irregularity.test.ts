import { describe, expect, it } from 'vitest';
import { AF_WINDOW_BEATS, RrIrregularity } from '../../../main/dsp/rr-irregularity.js';
import { gaussian, seededRandom } from '../../fixtures/dsp/load.js';

/** Feeds the RR series and returns the share of beats (after the first window) called AF. */
function afShare(rr: readonly number[]): number {
  const detector = new RrIrregularity();
  let af = 0;
  rr.forEach((v, k) => {
    if (detector.push(v) && k >= 2 * AF_WINDOW_BEATS) af++;
  });
  return af / (rr.length - 2 * AF_WINDOW_BEATS);
}

describe('RR irregularity (atrial fibrillation)', () => {
  const random = seededRandom(13);
  const beats = 400;

  it('calls an irregularly irregular rhythm (independent RR, 0.45–1.1 s) atrial fibrillation', () => {
    const rr = Array.from({ length: beats }, () => 0.45 + 0.65 * random());
    expect(afShare(rr)).toBeGreaterThan(0.95);
  });

  it('does not call marked respiratory sinus arrhythmia (±10 % over ~5 beats) atrial fibrillation', () => {
    const rr = Array.from(
      { length: beats },
      (_, k) => 0.8 * (1 + 0.1 * Math.sin((2 * Math.PI * k) / 5)) + 0.01 * gaussian(random),
    );
    expect(afShare(rr)).toBe(0);
  });

  it('does not call bigeminy (alternating short and long RR) atrial fibrillation', () => {
    const rr = Array.from({ length: beats }, (_, k) => (k % 2 === 0 ? 0.55 : 1.1) + 0.01 * gaussian(random));
    expect(afShare(rr)).toBe(0);
  });

  it('does not call sinus rhythm with an occasional premature beat and its pause atrial fibrillation', () => {
    const rr = Array.from({ length: beats }, (_, k) => {
      if (k % 15 === 7) return 0.5;
      if (k % 15 === 8) return 1.05;
      return 0.8 + 0.015 * gaussian(random);
    });
    expect(afShare(rr)).toBe(0);
  });

  it('ignores intervals that are not positive numbers', () => {
    const detector = new RrIrregularity();
    for (const v of [Number.NaN, -1, 0]) expect(detector.push(v)).toBe(false);
    expect(Number.isNaN(detector.nrmssd)).toBe(true);
  });
});
