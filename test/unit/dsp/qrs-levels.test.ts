import { describe, expect, it } from 'vitest';
import { QrsLevels } from '../../../main/dsp/qrs-levels.js';

/** Levels started at a QRS level of `qrs` (signal 0.5 of it, noise 0.1 of it). */
function started(qrs: number): QrsLevels {
  const levels = new QrsLevels();
  levels.start({ initialLevels: () => ({ qrs, signal: 0.5 * qrs, noise: 0.1 * qrs }) });
  return levels;
}

describe('QrsLevels small-beat cap', () => {
  it('normal beats between large PVCs cap the signal level at 3 times their level', () => {
    const levels = started(1000);
    for (const value of [1000, 20000, 1000, 20000, 1100, 20000]) {
      levels.beatAboveThreshold(value, false);
      levels.recordBeat(value, false);
    }
    expect(levels.smallBeatLevel()).toBe(1000);
    expect(levels.threshold1()).toBeCloseTo(levels.noise + 0.25 * (3000 - levels.noise), 6);
  });

  it('beats found by search-back do not set the cap: two noise peaks taken so do not hold threshold 1 at their level', () => {
    const levels = started(2000);
    for (let k = 0; k < 4; k++) {
      levels.beatAboveThreshold(2000, false);
      levels.recordBeat(2000, false);
    }
    const threshold = levels.threshold1();
    for (const value of [150, 130]) levels.recordBeat(value, true);
    expect(levels.smallBeatLevel()).toBe(2000);
    expect(levels.threshold1()).toBe(threshold);
    // counted, they would have capped threshold 1 near their own level
    const counted = started(2000);
    for (const value of [2000, 2000, 2000, 2000, 150, 130]) counted.recordBeat(value, false);
    expect(counted.smallBeatLevel()).toBe(150);
  });
});

describe('QrsLevels QRS size', () => {
  it('a peak is a QRS by its size alone at half the QRS level and 8 times the noise level', () => {
    const levels = started(1000); // noise 100
    expect(levels.hasQrsSize(800)).toBe(true);
    expect(levels.hasQrsSize(499)).toBe(false); // search-back's threshold 2 would take it
    expect(levels.threshold2()).toBeLessThan(499);
    // a noisy lead: half its QRS level is not enough within 8 times its noise
    const noisy = started(1000);
    for (let k = 0; k < 10; k++) noisy.noisePeak(200);
    expect(noisy.noise).toBeGreaterThan(100);
    expect(noisy.hasQrsSize(800)).toBe(false);
    expect(noisy.hasQrsSize(Math.max(500, 8 * noisy.noise))).toBe(true);
    expect(new QrsLevels().hasQrsSize(1)).toBe(false); // not started
  });
});
