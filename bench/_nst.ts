/**
 * Noise added as EC57's noise stress test does it (NST protocol; Moody, Muldrow & Mark, Computers
 * in Cardiology 11:381, 1984): clean for the first 5 minutes, then noise in alternating 2-minute
 * segments, scaled to an SNR against the median QRS peak-to-peak amplitude. The noise itself is
 * synthesised from its published character (main/dsp/synthetic-noise.ts). Used by `qrs-noise`
 * and `vf`.
 */
import { stressNoiseRms, syntheticNoise, type NoiseKind } from '../main/dsp/synthetic-noise.js';
import type { ScoredRecord } from './_records.js';

/** Clean stretch at the start of every record, seconds. */
export const CLEAN_S = 300;
/** Length of each noisy and each clean segment after it, seconds. */
const SEGMENT_S = 120;

/** Whether sample i (at fs) lies in a noisy segment of the NST protocol. */
export function noisyAt(i: number, fs: number): boolean {
  const t = i / fs - CLEAN_S;
  return t >= 0 && Math.floor(t / SEGMENT_S) % 2 === 0;
}

/** Median QRS peak-to-peak (±50 ms around each reference beat) of one channel. */
function qrsPeakToPeak(signal: Float64Array, reference: readonly number[], fs: number): number {
  const half = Math.round(0.05 * fs);
  const pp = reference.map((r) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = Math.max(0, r - half); i <= Math.min(signal.length - 1, r + half); i++) {
      lo = Math.min(lo, signal[i]!);
      hi = Math.max(hi, signal[i]!);
    }
    return hi - lo;
  });
  pp.sort((a, b) => a - b);
  return pp[pp.length >> 1] ?? 0;
}

/** The record's channels with `kind` noise at `snrDb` in the NST segments (deterministic from `seed`). */
export function noisyChannels(
  record: ScoredRecord,
  kind: NoiseKind,
  snrDb: number,
  seed: number,
): Float64Array[] {
  const fs = record.sampleRateHz;
  return record.signals.map((signal, c) => {
    const pp = qrsPeakToPeak(signal, record.reference, fs);
    const noise = syntheticNoise(kind, signal.length, fs, seed * 10 + c);
    const gain = stressNoiseRms(pp, snrDb); // noise has unit power
    return Float64Array.from(signal, (v, i) => (noisyAt(i, fs) ? v + gain * noise[i]! : v));
  });
}
