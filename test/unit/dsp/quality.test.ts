import { describe, expect, it } from 'vitest';
import { assessLeadQuality, isStretchGood, LeadQuality, QualityMonitor } from '../../../main/dsp/quality.js';
import { suspectElectrodes } from '../../../main/dsp/quality-electrodes.js';
import { resample } from '../../../main/dsp/resample.js';
import { SyntheticEcg } from '../../../main/dsp/synthetic.js';
import { stressNoiseRms, syntheticNoise } from '../../../main/dsp/synthetic-noise.js';
import { gaussian, loadDspFixture, seededRandom } from '../../fixtures/dsp/load.js';

const normal = loadDspFixture('mitdb-100-normal.json');
const fs = normal.sampleRateHz;
const uvPerUnit = 1000 / normal.adcGainPerMv;
const options = { sampleRateHz: fs, microvoltsPerUnit: uvPerUnit, mainsHz: 60 as const };

function count(codes: Uint8Array, code: number): number {
  return codes.filter((c) => c === code).length;
}

describe('lead quality', () => {
  it('rates a clean real lead good in every window', () => {
    const codes = assessLeadQuality(normal.samples, options);
    expect(codes.length).toBe(10);
    expect(count(codes, LeadQuality.good)).toBe(10);
  });

  it('flags a flat line (lead off) and only those windows', () => {
    const x = Float64Array.from(normal.samples);
    x.fill(x[3 * fs]!, 3 * fs, 6 * fs);
    const codes = assessLeadQuality(x, options);
    expect(Array.from(codes.subarray(3, 6))).toEqual([LeadQuality.flat, LeadQuality.flat, LeadQuality.flat]);
    expect(codes[0]).toBe(LeadQuality.good);
    expect(codes[8]).toBe(LeadQuality.good);
    // a beat measured over 0.5–1.5 s may be shown; one touching 2.8–3.4 s is withheld
    expect(isStretchGood(codes, fs, 0.5 * fs, 1.5 * fs)).toBe(true);
    expect(isStretchGood(codes, fs, 2.8 * fs, 3.4 * fs)).toBe(false);
  });

  it('flags saturation: a clipped (flat-topped) signal, with or without known limits', () => {
    // a baseline shift drives the signal into the converter's top rail for 2 s
    const x = Float64Array.from(normal.samples);
    const top = 1250; // ADC units; this stretch's baseline is ≈ 960
    for (let n = 2 * fs; n < 4 * fs; n++) x[n] = Math.min(x[n]! + 300, top);
    const codes = assessLeadQuality(x, options);
    expect(Array.from(codes.subarray(2, 4))).toEqual([LeadQuality.saturated, LeadQuality.saturated]);
    expect(codes[5]).toBe(LeadQuality.good);
    const known = assessLeadQuality(x, { ...options, clipLimitsUnits: [-1024, top] });
    expect(known[2]).toBe(LeadQuality.saturated);
  });

  it('flags muscle-like noise (200 µV RMS white noise added, ≈ 95 µV of it in the 0.5–40 Hz display band)', () => {
    const random = seededRandom(11);
    const x = Float64Array.from(normal.samples, (v) => v + (200 / uvPerUnit) * gaussian(random));
    expect(count(assessLeadQuality(x, options), LeadQuality.noisy)).toBe(10);
    // 50 µV RMS (≈ 24 µV on the display) is no noise to speak of
    const quiet = seededRandom(11);
    const y = Float64Array.from(normal.samples, (v) => v + (50 / uvPerUnit) * gaussian(quiet));
    expect(count(assessLeadQuality(y, options), LeadQuality.good)).toBe(10);
  });

  it('rates muscle noise alike at every rate the unit offers, 80 Hz included', () => {
    // NST-type muscle noise (synthetic-noise.ts) at 6 dB, added at the record's 360 Hz; the
    // noisy record then resampled as a unit sampling at a lower rate would take it. The rating
    // above 40 Hz found it in every window at 360 Hz and in 5 of 10 at 80 Hz; now 9 and 7.
    const microvolts = Float64Array.from(normal.samples, (v) => v * uvPerUnit);
    const noise = syntheticNoise('ma', microvolts.length, fs, 3);
    const rms = stressNoiseRms(1400, 6);
    const noisy = microvolts.map((v, i) => v + rms * noise[i]!);
    const rated = (rate: number): Uint8Array =>
      assessLeadQuality(rate === fs ? noisy : resample(noisy, fs, rate), {
        sampleRateHz: rate,
        microvoltsPerUnit: 1,
        mainsHz: 60,
      });
    const native = rated(fs);
    expect(count(native, LeadQuality.noisy)).toBeGreaterThanOrEqual(8);
    for (const rate of [80, 128, 250]) {
      const codes = rated(rate);
      const both = codes.filter((c, w) => c === LeadQuality.noisy && native[w] === LeadQuality.noisy).length;
      expect(both, `${rate} Hz`).toBeGreaterThanOrEqual(count(native, LeadQuality.noisy) - 2);
      expect(count(codes, LeadQuality.good), `${rate} Hz`).toBeLessThanOrEqual(
        count(native, LeadQuality.good) + 2,
      );
    }
    // and the clean lead stays good at each of them
    for (const rate of [80, 128, 250])
      expect(
        count(
          assessLeadQuality(resample(microvolts, fs, rate), { sampleRateHz: rate, microvoltsPerUnit: 1 }),
          LeadQuality.good,
        ),
      ).toBe(10);
  });

  it('does not take a fast rhythm’s QRS complexes for noise (180/min, every lead, 500 and 80 Hz)', () => {
    for (const rate of [500, 80]) {
      const block = new SyntheticEcg({ sampleRateHz: rate, heartRateBpm: 180, seed: 2 }).nextBlock(10 * rate);
      for (const lead of block.microvolts) {
        const codes = assessLeadQuality(lead, { sampleRateHz: rate, microvoltsPerUnit: 1 });
        expect(count(codes, LeadQuality.good), `${rate} Hz`).toBe(10);
      }
    }
  });

  it('does not call mains interference noise when the notch removes it', () => {
    const x = Float64Array.from(
      normal.samples,
      (v, n) => v + (200 / uvPerUnit) * Math.sin((2 * Math.PI * 60 * n) / fs),
    );
    const codes = assessLeadQuality(x, options);
    expect(count(codes, LeadQuality.noisy)).toBeLessThanOrEqual(1); // the notch's settling window
  });

  it('flags baseline excursions (4 mV electrode-motion swing at 0.5 Hz)', () => {
    const x = Float64Array.from(
      normal.samples,
      (v, n) => v + (2000 / uvPerUnit) * Math.sin((2 * Math.PI * 0.5 * n) / fs),
    );
    const codes = assessLeadQuality(x, options);
    expect(count(codes, LeadQuality.wander)).toBeGreaterThanOrEqual(8);
  });

  it('finds noise in the real noisy stretch of mitdb 105', () => {
    const noisy = loadDspFixture('mitdb-105-noise.json');
    const codes = assessLeadQuality(noisy.samples, {
      ...options,
      microvoltsPerUnit: 1000 / noisy.adcGainPerMv,
    });
    expect(codes.length - count(codes, LeadQuality.good)).toBeGreaterThanOrEqual(1);
  });

  it('judges each lead of a frame independently', () => {
    const monitor = new QualityMonitor({ ...options, leadCount: 2 });
    for (let n = 0; n < fs; n++) monitor.step([normal.samples[n]!, 0]);
    expect(Array.from(monitor.status)).toEqual([LeadQuality.good, LeadQuality.flat]);
    expect(monitor.windows).toBe(1);
  });
});

describe('electrodes to check', () => {
  const good = LeadQuality.good;
  const flat = LeadQuality.flat;
  it.each([
    [[good, good, good, good, good, good, good, good], []],
    [[flat, flat, good, good, good, good, good, good], ['RA']],
    [[flat, good, good, good, good, good, good, good], ['LA']],
    [[good, flat, good, good, good, good, good, good], ['LL']],
    [[good, good, good, good, flat, good, good, good], ['V3']],
    [
      [good, good, LeadQuality.saturated, good, good, good, good, flat],
      ['V1', 'V6'],
    ],
    [[LeadQuality.noisy, good, good, good, good, good, good, good], []],
  ])('statuses %j point at %j', (status, electrodes) => {
    expect(suspectElectrodes(status)).toEqual(electrodes);
  });
});
