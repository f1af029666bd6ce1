/**
 * Turns the server's whole-recording trends (`recordings.trends`: per-minute or coarser buckets,
 * decimated on the server so a 24-hour recording is one small answer) into plot series: HR and
 * QTc, ST per lead and signal quality from the ECG; the watch's heart rate, movement and battery.
 */
import {
  STANDARD_LEAD_NAMES,
  type EcgTrendPointSchema,
  type WatchTrendPointSchema,
} from '../../../../server-contract/api/index.js';
import type { z } from 'zod';
import type { TrendSeries } from '../components/TrendPlot.js';

type EcgPoint = z.output<typeof EcgTrendPointSchema>;
type WatchPoint = z.output<typeof WatchTrendPointSchema>;

export interface Trend {
  timesMs: number[];
  series: TrendSeries[];
}

/** Twelve colours that stay apart on white (Tableau 10 + two). */
const LEAD_COLOURS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#393b79',
  '#637939',
];

/** Mean heart rate per bucket with its lowest and highest, and mean QTc (right axis). */
export function heartRateAndQtc(points: readonly EcgPoint[]): Trend {
  return {
    timesMs: points.map((p) => p.tMs),
    series: [
      { label: 'Heart rate (bpm)', colour: '#b3001b', values: points.map((p) => p.heartRateBpm) },
      { label: 'Lowest (bpm)', colour: '#e8a0a8', values: points.map((p) => p.heartRateMinBpm) },
      { label: 'Highest (bpm)', colour: '#7a0012', values: points.map((p) => p.heartRateMaxBpm) },
      {
        label: 'QTc Bazett (ms)',
        colour: '#0b4fa8',
        values: points.map((p) => p.qtcBazettMs),
        scale: 'right',
      },
      {
        label: 'QTc Fridericia (ms)',
        colour: '#0f6b2f',
        values: points.map((p) => p.qtcFridericiaMs),
        scale: 'right',
      },
    ],
  };
}

export function stPerLead(points: readonly EcgPoint[]): Trend {
  return {
    timesMs: points.map((p) => p.tMs),
    series: STANDARD_LEAD_NAMES.map((lead, k) => ({
      label: lead,
      colour: LEAD_COLOURS[k]!,
      values: points.map((p) => p.stUv[lead] ?? null),
    })),
  };
}

/** Share of measurement snapshots with a usable signal (not withheld for poor signal or lead-off). */
export function signalQuality(points: readonly EcgPoint[]): Trend {
  return {
    timesMs: points.map((p) => p.tMs),
    series: [
      { label: 'Usable signal (%)', colour: '#0f6b2f', values: points.map((p) => p.signalQualityPct) },
    ],
  };
}

export function watchHeartRate(points: readonly WatchPoint[]): Trend {
  const withHr = points.filter((p) => p.heartRateBpm !== null);
  return {
    timesMs: withHr.map((p) => p.tMs),
    series: [
      { label: 'Watch heart rate (bpm)', colour: '#b3001b', values: withHr.map((p) => p.heartRateBpm) },
    ],
  };
}

/** Movement as ENMO (mean ‖a‖ − 1 g, negatives clipped; van Hees et al. 2013), milli-g. */
export function watchMovement(points: readonly WatchPoint[]): Trend {
  const moved = points.filter((p) => p.movementMg !== null);
  return {
    timesMs: moved.map((p) => p.tMs),
    series: [{ label: 'Movement, ENMO (mg)', colour: '#9467bd', values: moved.map((p) => p.movementMg) }],
  };
}

export function watchBattery(points: readonly WatchPoint[]): Trend {
  const read = points.filter((p) => p.batteryPct !== null);
  return {
    timesMs: read.map((p) => p.tMs),
    series: [{ label: 'Battery (%)', colour: '#0b4fa8', values: read.map((p) => p.batteryPct) }],
  };
}
