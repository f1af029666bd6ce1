/**
 * P-wave onset and T-wave end, per lead and combined across leads (see delineate.ts for the overview).
 */

/** What the wave finders know about the beat (sample indexes, rates in Hz). */
export interface WaveContext {
  readonly sampleRateHz: number;
  readonly qrsOnset: number;
  readonly qrsOffset: number;
  /** RR interval before and after the beat, samples. */
  readonly rrPrev: number;
  readonly rrNext: number;
  /** Indexes of the leads usable for this beat. */
  readonly leads: readonly number[];
}

/** Smallest T wave (µV from the PR level) whose end is measured in a lead. */
const MIN_T_MICROVOLTS = 40;
/** Smallest P wave (µV) counted as present in a lead. */
const MIN_P_MICROVOLTS = 35;

function mean(y: Float64Array, from: number, to: number): number {
  let sum = 0;
  let count = 0;
  for (let i = Math.max(0, from); i < Math.min(y.length, to); i++) {
    sum += y[i]!;
    count++;
  }
  return count > 0 ? sum / count : 0;
}

/** Level of the PR segment just before the QRS (the isoelectric reference). */
export function prLevel(y: Float64Array, qrsOnset: number, fs: number): number {
  return mean(y, qrsOnset - Math.round(0.02 * fs), qrsOnset - Math.round(0.004 * fs) + 1);
}

function argMaxDeviation(y: Float64Array, level: number, from: number, to: number): number {
  let best = -1;
  let bestValue = -1;
  for (let i = Math.max(0, from); i < Math.min(y.length, to); i++) {
    const v = Math.abs(y[i]! - level);
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  return best;
}

/** T end in one lead (trapezium knee after the steepest descending slope), or null when the lead has no measurable T wave (< 40 µV). */
export function leadTEnd(y: Float64Array, ctx: WaveContext, limit: number): number | null {
  const fs = ctx.sampleRateHz;
  const level = prLevel(y, ctx.qrsOnset, fs);
  const rr = ctx.rrNext;
  const peakFrom = ctx.qrsOffset + Math.round(0.06 * fs);
  const peakTo = Math.min(limit, ctx.qrsOnset + Math.round(Math.min(0.6 * rr, 0.5 * fs)));
  const pk = argMaxDeviation(y, level, peakFrom, peakTo);
  if (pk < 0) return null;
  const amplitude = y[pk]! - level;
  if (Math.abs(amplitude) < MIN_T_MICROVOLTS) return null;
  const sign = Math.sign(amplitude);
  const end = Math.min(limit, y.length - 2, pk + Math.round(0.25 * fs));
  let best = -1;
  let bestSlope = 0;
  for (let i = pk + 1; i <= end; i++) {
    if ((y[i]! - level) * sign < 0) break;
    const slope = -sign * (y[i + 1]! - y[i - 1]!) * 0.5;
    if (slope > bestSlope) {
      bestSlope = slope;
      best = i;
    }
  }
  if (best < 0) return null;
  return trapeziumEnd(
    y,
    best,
    Math.min(limit, y.length - 1, best + Math.round(TRAPEZIUM_REACH_S * fs)),
    sign,
  );
}

/** How far past the steepest point the trapezium's far corner lies (s). */
const TRAPEZIUM_REACH_S = 0.12;

/**
 * Trapezium-area T end (Zhang et al., IEEE TBME 53(11):2153–2161, 2006): the point t in [xm, xr] that
 * maximises the area of the trapezium (xm, y(xm)), (t, y(t)), (xr, y(t)), (xr, y(xm)) — the "knee" where
 * the descending limb flattens out, less sensitive to noise than the tangent method.
 */
function trapeziumEnd(y: Float64Array, xm: number, xr: number, sign: number): number {
  const dir = xr >= xm ? 1 : -1;
  let best = xm;
  let bestArea = -Infinity;
  for (let t = xm; dir > 0 ? t <= xr : t >= xr; t += dir) {
    const area = 0.5 * sign * (y[xm]! - y[t]!) * Math.abs(2 * xr - t - xm);
    if (area > bestArea) {
      bestArea = area;
      best = t;
    }
  }
  return best;
}

/** The local extremum (a peak or a trough) farthest from level in [from, to), or −1. */
function largestLocalExtremum(y: Float64Array, level: number, from: number, to: number): number {
  let best = -1;
  let bestValue = -1;
  for (let i = Math.max(1, from); i < Math.min(y.length - 1, to); i++) {
    const isPeak = y[i]! >= y[i - 1]! && y[i]! > y[i + 1]!;
    const isTrough = y[i]! <= y[i - 1]! && y[i]! < y[i + 1]!;
    if (!isPeak && !isTrough) continue;
    const v = Math.abs(y[i]! - level);
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  return best;
}

/** P onset in one lead, or null when the lead shows no P wave. */
export function leadPOnset(y: Float64Array, ctx: WaveContext, from: number): number | null {
  const fs = ctx.sampleRateHz;
  const level = prLevel(y, ctx.qrsOnset, fs);
  const windowFrom = Math.max(from, ctx.qrsOnset - Math.round(0.3 * fs));
  const windowTo = ctx.qrsOnset - Math.round(0.03 * fs);
  const pk = largestLocalExtremum(y, level, windowFrom, windowTo);
  if (pk < 0) return null;
  const sign = Math.sign(y[pk]! - level) || 1;
  const limit = Math.max(1, pk - Math.round(0.1 * fs));
  let steepest = -1;
  let steepestSlope = 0;
  for (let i = pk - 1; i >= limit; i--) {
    const slope = sign * (y[i + 1]! - y[i - 1]!) * 0.5;
    if (slope > steepestSlope) {
      steepestSlope = slope;
      steepest = i;
    }
  }
  if (steepest < 0) return null;
  const onset = trapeziumEnd(y, steepest, Math.max(0, steepest - Math.round(P_REACH_S * fs)), sign);
  if (Math.abs(y[pk]! - y[onset]!) < MIN_P_MICROVOLTS) return null;
  return onset;
}

/** How far before the steepest P upstroke the onset knee is searched (s). */
const P_REACH_S = 0.06;

/** Values within a window of the median (rejects leads far from the consensus). */
function consensus(values: number[], toleranceSamples: number): number[] {
  if (values.length < 3) return values;
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1]!;
  return sorted.filter((v) => Math.abs(v - median) <= toleranceSamples);
}

/** Global T end: the latest lead T end among the leads that agree with the others. */
export function findTEnd(signals: readonly Float64Array[], ctx: WaveContext, limit: number): number | null {
  const ends: number[] = [];
  for (const l of ctx.leads) {
    const e = leadTEnd(signals[l]!, ctx, limit);
    if (e !== null) ends.push(e);
  }
  const kept = consensus(ends, Math.round(0.06 * ctx.sampleRateHz));
  if (kept.length === 0) return null;
  return Math.round(Math.max(...kept));
}

/** Global P onset: the earliest lead onset among the leads that agree; null when no lead has a P wave. */
export function findPOnset(signals: readonly Float64Array[], ctx: WaveContext, from: number): number | null {
  const onsets: number[] = [];
  for (const l of ctx.leads) {
    const o = leadPOnset(signals[l]!, ctx, from);
    if (o !== null) onsets.push(o);
  }
  const needed = ctx.leads.length >= 3 ? 2 : 1;
  if (onsets.length < needed) return null;
  const kept = consensus(onsets, Math.round(0.04 * ctx.sampleRateHz));
  if (kept.length === 0) return null;
  return Math.min(...kept);
}
