import { describe, expect, it } from 'vitest';
import { assessLeadQuality, isStretchGood, LeadQuality, QualityMonitor } from '../../../main/dsp/quality.js';
import { suspectElectrodes } from '../../../main/dsp/quality-electrodes.js';
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

  it('flags muscle-like noise (100 µV RMS white noise added)', () => {
    const random = seededRandom(11);
    const x = Float64Array.from(normal.samples, (v) => v + (100 / uvPerUnit) * gaussian(random));
    const codes = assessLeadQuality(x, options);
    expect(count(codes, LeadQuality.noisy)).toBe(10);
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
