import { describe, expect, it } from 'vitest';
import { avBlockRhythm, BLOCK_PATTERNS } from '../../../main/dsp/synthetic-block.js';

const FS = 250;

/** Mean of `xs`. */
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('synthetic AV block strips', () => {
  it.each([1, 2, 3])(
    '2:1 block: every other P wave conducts, at one PR; the ventricular rate is half the atrial (seed %d)',
    (seed) => {
      const strip = avBlockRhythm({ pattern: 'block-2to1', seed, sampleRateHz: FS, durationS: 120 });
      const beats = strip.beats.map((b) => b.sample);
      expect(strip.beats.every((b) => b.beatClass === 'N')).toBe(true);
      // between two beats lie the conducted P of the second and one blocked P
      const prs: number[] = [];
      for (let k = 1; k < beats.length; k++) {
        const between = strip.pWaves.filter((p) => p > beats[k - 1]! && p < beats[k]!);
        expect(between).toHaveLength(2);
        prs.push((beats[k]! - between[1]!) / FS);
      }
      expect(Math.max(...prs) - Math.min(...prs)).toBeLessThan(0.01);
      const rateBpm = 60 / mean(beats.slice(1).map((b, k) => (b - beats[k]!) / FS));
      expect(rateBpm).toBeGreaterThanOrEqual(29);
      expect(rateBpm).toBeLessThanOrEqual(46);
    },
  );

  it.each([
    ['chb-junctional', 'N', 39, 56],
    ['chb-ventricular', 'V', 24, 41],
  ] as const)(
    '%s: the escape rhythm is regular at its rate and the P waves land anywhere in its cycle',
    (pattern, cls, lo, hi) => {
      for (const seed of [1, 2, 3]) {
        const strip = avBlockRhythm({ pattern, seed, sampleRateHz: FS, durationS: 120 });
        const beats = strip.beats.map((b) => b.sample);
        expect(strip.beats.every((b) => b.beatClass === cls)).toBe(true);
        const rrs = beats.slice(1).map((b, k) => (b - beats[k]!) / FS);
        const rateBpm = 60 / mean(rrs);
        expect(rateBpm).toBeGreaterThanOrEqual(lo);
        expect(rateBpm).toBeLessThanOrEqual(hi);
        expect(Math.max(...rrs) / Math.min(...rrs)).toBeLessThan(1.2);
        // AV dissociation: the interval from each beat back to the P before it takes every value
        const pr = beats
          .map((b) => (b - Math.max(...strip.pWaves.filter((p) => p <= b))) / FS)
          .filter(Number.isFinite);
        expect(Math.min(...pr)).toBeLessThan(0.15);
        expect(Math.max(...pr)).toBeGreaterThan(0.5);
        // more P waves than beats
        expect(strip.pWaves.length).toBeGreaterThan(beats.length);
      }
    },
  );

  it('draws V2 and V5: an rS in V2 and a tall R in V5, and P waves under a fifth of the QRS', () => {
    // junctional escape: every QRS normally conducted below the block
    const strip = avBlockRhythm({ pattern: 'chb-junctional', seed: 3, sampleRateHz: FS, durationS: 60 });
    const half = Math.round(0.06 * FS);
    const [v2, v5] = strip.chest;
    expect(v2).toHaveLength(strip.leads[0].length);
    // deflections from the median of the window around (baseline wander cancels)
    const extremes = (lead: Float64Array, at: number): [number, number] => {
      const around = Array.from(lead.subarray(at - 4 * half, at + 4 * half)).sort((a, b) => a - b);
      const base = around[around.length >> 1]!;
      const window = lead.subarray(at - half, at + half + 1);
      return [Math.max(...window) - base, Math.min(...window) - base];
    };
    const beats = strip.beats.map((b) => b.sample).filter((b) => b > 4 * half && b < v2.length - 4 * half);
    const qrsSizes: [number[], number[]] = [[], []];
    for (const sample of beats) {
      const [v2Up, v2Down] = extremes(v2, sample);
      const [v5Up, v5Down] = extremes(v5, sample);
      expect(-v2Down).toBeGreaterThan(2 * v2Up); // S-dominant
      expect(v5Up).toBeGreaterThan(3 * -v5Down); // R-dominant
      qrsSizes[0].push(v2Up - v2Down);
      qrsSizes[1].push(v5Up - v5Down);
    }
    // P waves clear of every QRS and T wave
    const clear = strip.pWaves.filter((p) => beats.every((b) => p < b - 0.1 * FS || p > b + 0.5 * FS));
    expect(clear.length).toBeGreaterThan(10);
    strip.chest.forEach((lead, k) => {
      const qrs = mean(qrsSizes[k]!);
      for (const p of clear.filter((x) => x > 4 * half && x < lead.length - 4 * half)) {
        const [up, down] = extremes(lead, p + Math.round(0.01 * FS));
        expect(Math.max(up, -down)).toBeLessThan(0.2 * qrs);
        expect(up).toBeGreaterThan(0.02 * qrs);
      }
    });
  });

  it('is the same strip from the same seed', () => {
    for (const pattern of BLOCK_PATTERNS) {
      const a = avBlockRhythm({ pattern, seed: 4, sampleRateHz: FS, durationS: 30 });
      const b = avBlockRhythm({ pattern, seed: 4, sampleRateHz: FS, durationS: 30 });
      expect(a.leads[0]).toEqual(b.leads[0]);
      expect(a.chest).toEqual(b.chest);
      expect(a.pWaves).toEqual(b.pWaves);
    }
  });

  it.each([
    ['ma', 24],
    ['em', 18],
  ] as const)(
    'adds %s noise at %d dB against the strip’s own QRS peak-to-peak amplitude, on each lead',
    (kind, snrDb) => {
      const options = { pattern: 'chb-ventricular', seed: 2, sampleRateHz: FS, durationS: 60 } as const;
      const clean = avBlockRhythm(options);
      const noisy = avBlockRhythm({ ...options, noise: { kind, snrDb } });
      expect(noisy.beats).toEqual(clean.beats);
      const pairs = [
        [clean.leads[0], noisy.leads[0]],
        [clean.leads[1], noisy.leads[1]],
        [clean.chest[0], noisy.chest[0]],
        [clean.chest[1], noisy.chest[1]],
      ] as const;
      for (const [lead, noisyLead] of pairs) {
        const half = Math.round(0.06 * FS);
        const peakToPeak = clean.beats.map(({ sample }) => {
          const qrs = lead.subarray(sample - half, sample + half + 1);
          return Math.max(...qrs) - Math.min(...qrs);
        });
        peakToPeak.sort((a, b) => a - b);
        const signalPower = peakToPeak[peakToPeak.length >> 1]! ** 2 / 8;
        const noise = noisyLead.map((v, i) => v - lead[i]!);
        const noisePower = mean(Array.from(noise, (v) => v * v));
        expect(10 * Math.log10(signalPower / noisePower)).toBeCloseTo(snrDb, 0);
      }
    },
  );
});
