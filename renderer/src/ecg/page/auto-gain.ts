/**
 * Auto gain ("adaptive scaling"): the largest of the usual gains at which the page's biggest
 * deflection fills at most 90 % of half a standard 30-mm row. Small signals are magnified (the row
 * grows with the gain, so the 1-mV pulse is never clipped), large ones are reduced so the rows do
 * not overlap. The chosen gain is always printed ("AUTO 5 mm/mV") and the calibration pulse is
 * drawn at it, so the picture is never read at the wrong scale.
 */
import { MIN_ROW_MM } from './layout.js';
import type { EcgPageData, PageLeadName } from './types.js';

/** Gains auto gain chooses from, mm/mV. */
export const AUTO_GAINS_MM_PER_MV = [2.5, 5, 10, 20] as const;
/** Gain when the page holds no signal. */
export const AUTO_GAIN_DEFAULT_MM_PER_MV = 10;
/** Fraction of half a standard row the largest deflection may fill. */
const FILL = 0.9;

/**
 * Largest |µV| on the page over `leads` (default all present), NaN ignored; 0 without signal.
 * Reads only the first `sampleCount` samples of each lead when given.
 */
export function peakAmplitudeUv(
  page: EcgPageData,
  leads?: readonly PageLeadName[],
  sampleCount = Number.POSITIVE_INFINITY,
): number {
  let peak = 0;
  const names = leads ?? (Object.keys(page.samplesUv) as PageLeadName[]);
  for (const lead of names) {
    const samples = page.samplesUv[lead];
    if (samples === undefined) continue;
    const n = Math.min(samples.length, sampleCount);
    for (let k = 0; k < n; k++) {
      const v = Math.abs(samples[k] ?? Number.NaN);
      if (v > peak) peak = v;
    }
  }
  return peak;
}

/** The auto gain for a peak amplitude in µV (see the file comment). */
export function autoGainForPeakUv(peakUv: number): number {
  if (!(peakUv > 0)) return AUTO_GAIN_DEFAULT_MM_PER_MV;
  const limitMm = (FILL * MIN_ROW_MM) / 2;
  let chosen: number = AUTO_GAINS_MM_PER_MV[0];
  for (const gain of AUTO_GAINS_MM_PER_MV) if ((gain * peakUv) / 1000 <= limitMm) chosen = gain;
  return chosen;
}

/** The auto gain for a page (leads that are off can be left out with `leads`). */
export function autoGainMmPerMv(page: EcgPageData, leads?: readonly PageLeadName[]): number {
  return autoGainForPeakUv(peakAmplitudeUv(page, leads));
}
