import { describe, expect, it } from 'vitest';
import { delineateBeats } from '../../../main/dsp/delineate.js';
import { deriveLeads } from '../../../main/dsp/leads.js';
import {
  DEFAULT_LSB_NANOVOLTS,
  SyntheticEcg,
  SyntheticEcgError,
  type SyntheticBeat,
} from '../../../main/dsp/synthetic.js';

/** Index of the largest |value| within ±halfWidth of centre. */
function argMaxAbs(x: Float64Array, centre: number, halfWidth: number): number {
  let best = centre;
  for (let i = centre - halfWidth; i <= centre + halfWidth; i++)
    if (Math.abs(x[i]!) > Math.abs(x[best]!)) best = i;
  return best;
}

describe('synthetic ECG', () => {
  it.each([250, 500, 1000])('puts each normal R peak exactly on the returned beat sample at %s Hz', (fs) => {
    const block = new SyntheticEcg({ seed: 7, sampleRateHz: fs }).nextBlock(fs * 20);
    expect(block.beats.length).toBeGreaterThan(18);
    for (const beat of block.beats) {
      if (beat.sampleIndex < 0.05 * fs || beat.sampleIndex > 19.9 * fs) continue;
      // lead II, the R wave dominates ±20 ms
      expect(argMaxAbs(block.microvolts[1]!, beat.sampleIndex, Math.round(0.02 * fs))).toBe(beat.sampleIndex);
      expect(beat.timeMs).toBe((beat.sampleIndex * 1000) / fs);
    }
  });

  it('produces the configured mean heart rate and RR variability', () => {
    const fs = 250;
    const block = new SyntheticEcg({ seed: 3, sampleRateHz: fs, heartRateBpm: 75, rrStdMs: 40 }).nextBlock(
      fs * 300,
    );
    const rr = block.beats
      .slice(1)
      .map((b, k) => (b.sampleIndex - block.beats[k]!.sampleIndex) * (1000 / fs));
    const mean = rr.reduce((a, b) => a + b, 0) / rr.length;
    const sd = Math.sqrt(rr.reduce((a, b) => a + (b - mean) ** 2, 0) / (rr.length - 1));
    expect(60_000 / mean).toBeGreaterThan(73);
    expect(60_000 / mean).toBeLessThan(77);
    expect(sd).toBeGreaterThan(25);
    expect(sd).toBeLessThan(55);
  });

  it('gives the same samples sample by sample as in blocks, and the same for the same seed', () => {
    const a = new SyntheticEcg({
      seed: 11,
      noise: { baselineWanderMicrovolts: 100, mainsHz: 50, mainsMicrovolts: 20, emgMicrovolts: 15 },
    });
    const b = new SyntheticEcg({
      seed: 11,
      noise: { baselineWanderMicrovolts: 100, mainsHz: 50, mainsMicrovolts: 20, emgMicrovolts: 15 },
    });
    const whole = a.nextBlock(3000);
    const frame = new Float64Array(8);
    const beats: SyntheticBeat[] = [];
    for (let n = 0; n < 3000; n++) {
      const beat = b.step(frame);
      if (beat !== undefined) beats.push(beat);
      for (let l = 0; l < 8; l++) expect(frame[l]).toBe(whole.microvolts[l]![n]);
    }
    expect(beats).toEqual(whole.beats);
    const c = new SyntheticEcg({ seed: 12 }).nextBlock(3000);
    expect(c.beats).not.toEqual(whole.beats);
  });

  it('converts to device counts with the given scale, in blocks or sample by sample', () => {
    const block = new SyntheticEcg({ seed: 1 }).nextBlock(1000);
    for (let n = 0; n < 1000; n += 37) {
      expect(block.counts[1]![n]).toBe(Math.round((block.microvolts[1]![n]! * 1000) / DEFAULT_LSB_NANOVOLTS));
    }
    const live = new SyntheticEcg({ seed: 1 });
    const counts = new Int32Array(8);
    for (let n = 0; n < 1000; n++) {
      live.stepCounts(counts);
      for (let l = 0; l < 8; l++) expect(counts[l]).toBe(block.counts[l]![n]);
    }
    const coarse = new SyntheticEcg({ seed: 1, lsbNanovolts: 1000 }).nextBlock(1000);
    expect(coarse.counts[1]![400]).toBe(Math.round(coarse.microvolts[1]![400]!));
  });

  it('keeps beat times unchanged when noise is added, and noise changes the samples', () => {
    const clean = new SyntheticEcg({ seed: 5 }).nextBlock(5000);
    const noisy = new SyntheticEcg({
      seed: 5,
      noise: { baselineWanderMicrovolts: 200, mainsHz: 60, mainsMicrovolts: 50, emgMicrovolts: 30 },
    }).nextBlock(5000);
    expect(noisy.beats).toEqual(clean.beats);
    let diff = 0;
    for (let n = 0; n < 5000; n++) diff += (noisy.microvolts[0]![n]! - clean.microvolts[0]![n]!) ** 2;
    expect(Math.sqrt(diff / 5000)).toBeGreaterThan(30);
  });

  it('inserts PVCs early, with a compensatory pause and a wider QRS', () => {
    const fs = 500;
    const block = new SyntheticEcg({
      seed: 2,
      sampleRateHz: fs,
      rrStdMs: 0,
      heartRateBpm: 60,
      forcedClasses: { 6: 'V', 12: 'V' },
    }).nextBlock(fs * 16);
    const classes = block.beats.map((b) => b.beatClass).join('');
    expect(classes.slice(0, 14)).toBe('NNNNNNVNNNNNVN');
    const s = block.beats.map((b) => b.sampleIndex);
    expect(s[6]! - s[5]!).toBe(0.6 * fs); // coupling 0.6 × RR
    expect(s[7]! - s[5]!).toBe(2 * fs); // full compensatory pause
    const leads = deriveLeads(block.microvolts);
    const d = delineateBeats(leads, s, { sampleRateHz: fs });
    const width = (k: number): number => d[k]!.qrsOffset! - d[k]!.qrsOnset!;
    expect(width(6) - width(4)).toBeGreaterThan(0.03 * fs);
    expect(width(12) - width(10)).toBeGreaterThan(0.03 * fs);
  });

  it("plays a run of PVCs at the coupling interval, the sinus beat after it on the sinus node's pace", () => {
    const fs = 500;
    const block = new SyntheticEcg({
      seed: 2,
      sampleRateHz: fs,
      rrStdMs: 0,
      heartRateBpm: 60,
      forcedClasses: { 6: 'V', 7: 'V', 8: 'V', 9: 'V' },
    }).nextBlock(fs * 16);
    expect(
      block.beats
        .map((b) => b.beatClass)
        .join('')
        .slice(0, 12),
    ).toBe('NNNNNNVVVVNN');
    const s = block.beats.map((b) => b.sampleIndex);
    for (let k = 6; k <= 9; k++) expect(s[k]! - s[k - 1]!).toBe(0.6 * fs);
    // the run ends 2.4 cycles after the last sinus beat: the next sinus beat is due at 3
    expect(s[10]! - s[5]!).toBe(3 * fs);
    expect(s[11]! - s[10]!).toBe(fs);
  });

  it('inserts PACs early without a compensatory pause', () => {
    const fs = 500;
    const block = new SyntheticEcg({
      seed: 2,
      sampleRateHz: fs,
      rrStdMs: 0,
      heartRateBpm: 60,
      forcedClasses: { 5: 'S' },
    }).nextBlock(fs * 10);
    const s = block.beats.map((b) => b.sampleIndex);
    expect(block.beats[5]!.beatClass).toBe('S');
    expect(s[5]! - s[4]!).toBe(0.72 * fs);
    expect(s[6]! - s[5]!).toBe(fs);
  });

  it('inserts ectopic beats at the configured probability', () => {
    const block = new SyntheticEcg({ seed: 9, pvcProbability: 0.1, pacProbability: 0.05 }).nextBlock(
      500 * 600,
    );
    const n = block.beats.length;
    const v = block.beats.filter((b) => b.beatClass === 'V').length / n;
    const s = block.beats.filter((b) => b.beatClass === 'S').length / n;
    // ectopics never follow each other, so the realised fractions are a little below the probabilities
    expect(v).toBeGreaterThan(0.06);
    expect(v).toBeLessThan(0.11);
    expect(s).toBeGreaterThan(0.025);
    expect(s).toBeLessThan(0.06);
  });

  it.each([
    { sampleRateHz: 10 },
    { heartRateBpm: 0 },
    { rrStdMs: -1 },
    { pvcProbability: 0.8, pacProbability: 0.3 },
    { lsbNanovolts: 0 },
  ])('rejects bad settings %o', (options) => {
    expect(() => new SyntheticEcg(options)).toThrow(SyntheticEcgError);
  });
});
