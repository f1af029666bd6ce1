/**
 * Organisation features of an ECG window that separate ventricular flutter/fibrillation (VF)
 * from beating rhythms, as compared by Amann, Tratnig & Unterkofler ("Reliability of old and
 * new ventricular fibrillation detection algorithms for automated external defibrillators",
 * BioMed Eng OnLine 4:60, 2005):
 * - **VF-filter leakage** (Kuo & Dillman, "Computer detection of ventricular fibrillation",
 *   Computers in Cardiology 1978, 347–349): the mean period T = 2π Σ|x| / Σ|Δx| of the window
 *   and the leakage l = Σ|x[i] + x[i−N]| / Σ(|x[i]| + |x[i−N]|), N = round(T/2). A sinusoid
 *   cancels against itself half a period later (l → 0); beats with flat baselines between them
 *   do not (l → 1).
 * - **Spectral concentration** (Barro et al., "Algorithmic sequential decision-making in the
 *   frequency domain for life threatening ventricular arrhythmias and imitative artefacts: a
 *   diagnostic system", J Biomed Eng 11:320–328, 1989, as Amann et al. describe it): amplitude
 *   spectrum of the Hamming-windowed segment, components under 5 % of the largest zeroed, peak
 *   frequency Ω in 0.5–9 Hz; normalised first moment M = (1/Ω)·Σ aⱼfⱼ / Σ aⱼ up to min(20Ω,
 *   100 Hz) (≈ 1 for a sinusoid, ≫ 1 for narrow QRS complexes and their harmonics) and the
 *   share A2 of the amplitude within 0.7–1.4 Ω (high when the energy sits at one frequency).
 * - **Threshold-crossing interval** (Thakor, Zhu & Pan, IEEE TBME 37(9):837–843, 1990): in 1-s
 *   blocks, pulses above 20 % of the block's maximum; TCI = 1000 / ((N − 1) + t2/(t1 + t2) +
 *   t3/(t3 + t4)) ms; sinus rhythm gives TCI ≈ RR, VF < 400 ms.
 */
import { fftMagnitude } from './fft.js';

/** Features of one window. */
export interface VfWindowFeatures {
  /** VF-filter leakage, 0..1 (low = sinusoid-like). */
  readonly leakage: number;
  /** Normalised first spectral moment M (≈ 1 sinusoid, > 2 beating rhythms). */
  readonly spectralMoment: number;
  /** Share of the spectral amplitude within 0.7–1.4 × the peak frequency, 0..1. */
  readonly peakShare: number;
  /** Peak frequency Ω in 0.5–9 Hz, Hz. */
  readonly peakHz: number;
  /** Mean threshold-crossing interval over the window's 1-s blocks, ms. */
  readonly tciMs: number;
  /** Peak-to-peak amplitude (5th–95th percentile span), input units. */
  readonly spanP5P95: number;
}

/** Kuo & Dillman's VF-filter leakage of `x` (mean removed by the caller). */
export function vfLeakage(x: ArrayLike<number>): number {
  let sumAbs = 0;
  let sumDiff = 0;
  for (let i = 0; i < x.length; i++) {
    sumAbs += Math.abs(x[i]!);
    if (i > 0) sumDiff += Math.abs(x[i]! - x[i - 1]!);
  }
  if (sumDiff === 0) return 1;
  const half = Math.round((Math.PI * sumAbs) / sumDiff);
  if (half < 1 || half >= x.length) return 1;
  let num = 0;
  let den = 0;
  for (let i = half; i < x.length; i++) {
    num += Math.abs(x[i]! + x[i - half]!);
    den += Math.abs(x[i]!) + Math.abs(x[i - half]!);
  }
  return den > 0 ? num / den : 1;
}

/** Barro's spectral features M, A2 and Ω of `x` (any length; zero-padded to a power of two). */
export function spectralFeatures(
  x: ArrayLike<number>,
  sampleRateHz: number,
): { spectralMoment: number; peakShare: number; peakHz: number } {
  const n = x.length;
  const windowed = new Float64Array(n);
  for (let i = 0; i < n; i++) windowed[i] = x[i]! * (0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (n - 1)));
  const amp = fftMagnitude(windowed);
  const binHz = sampleRateHz / (2 * (amp.length - 1));
  let peakBin = 0;
  for (let j = Math.ceil(0.5 / binHz); j * binHz <= 9 && j < amp.length; j++) {
    if (amp[j]! > amp[peakBin]! || peakBin === 0) peakBin = j;
  }
  let maxAmp = 0;
  for (let j = 1; j < amp.length; j++) maxAmp = Math.max(maxAmp, amp[j]!);
  const peakHz = peakBin * binHz;
  if (peakBin === 0 || maxAmp === 0) return { spectralMoment: Infinity, peakShare: 0, peakHz: 0 };
  const topHz = Math.min(20 * peakHz, 100, sampleRateHz / 2);
  let sum = 0;
  let moment = 0;
  let near = 0;
  for (let j = Math.ceil(0.5 / binHz); j < amp.length && j * binHz <= topHz; j++) {
    const a = amp[j]! < 0.05 * maxAmp ? 0 : amp[j]!;
    sum += a;
    moment += a * j * binHz;
    if (j * binHz >= 0.7 * peakHz && j * binHz <= 1.4 * peakHz) near += a;
  }
  return { spectralMoment: moment / sum / peakHz, peakShare: near / sum, peakHz };
}

/**
 * Thakor's TCI over the inner 1-s blocks of `x` (the outer blocks supply the neighbouring
 * pulses), mean over blocks, ms. Each block is binarised at 20 % of its own maximum; N pulses in
 * the block, t1 from the last fall before the block to its start, t2 from its start to the first
 * rise, t3 from the last fall to its end, t4 from its end to the next rise.
 */
export function thresholdCrossingIntervalMs(x: ArrayLike<number>, sampleRateHz: number): number {
  const block = Math.round(sampleRateHz);
  const blocks = Math.floor(x.length / block);
  if (blocks < 3) return 1000;
  const high = new Uint8Array(blocks * block);
  for (let b = 0; b < blocks; b++) {
    let max = 0;
    for (let i = b * block; i < (b + 1) * block; i++) max = Math.max(max, x[i]!);
    for (let i = b * block; i < (b + 1) * block; i++) high[i] = max > 0 && x[i]! >= 0.2 * max ? 1 : 0;
  }
  const values: number[] = [];
  for (let b = 1; b < blocks - 1; b++) {
    const from = b * block;
    const to = from + block;
    let pulses = 0;
    let firstRise = -1;
    let lastFall = -1;
    for (let i = from; i < to; i++) {
      if (high[i] === 1 && high[i - 1] === 0) {
        pulses++;
        if (firstRise < 0) firstRise = i;
      }
      if (high[i] === 0 && high[i - 1] === 1) lastFall = i;
    }
    if (pulses < 1 || firstRise < 0 || lastFall < 0) {
      values.push(1000);
      continue;
    }
    let prevFall = from - 1;
    while (prevFall > 0 && !(high[prevFall] === 0 && high[prevFall - 1] === 1)) prevFall--;
    let nextRise = to;
    while (nextRise < high.length - 1 && !(high[nextRise] === 1 && high[nextRise - 1] === 0)) nextRise++;
    const t1 = from - prevFall;
    const t2 = firstRise - from;
    const t3 = to - lastFall;
    const t4 = nextRise - to;
    const part = (a: number, b2: number): number => (a + b2 > 0 ? a / (a + b2) : 0);
    values.push(1000 / Math.max(0.5, pulses - 1 + part(t2, t1) + part(t3, t4)));
  }
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Span between the 5th and 95th percentiles. */
function span(x: ArrayLike<number>): number {
  const sorted = Float64Array.from(x).sort();
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return sorted.length === 0 ? 0 : at(0.95) - at(0.05);
}

/** All features of a window `x` (band-limited, e.g. 1–30 Hz, mean removed). */
export function vfWindowFeatures(x: ArrayLike<number>, sampleRateHz: number): VfWindowFeatures {
  return {
    leakage: vfLeakage(x),
    ...spectralFeatures(x, sampleRateHz),
    tciMs: thresholdCrossingIntervalMs(x, sampleRateHz),
    spanP5P95: span(x),
  };
}
