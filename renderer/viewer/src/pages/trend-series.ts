/**
 * Turns the viewer routes' records into plot series: HR and QTc, ST per lead and signal quality
 * from the measurements; the watch's heart rate, movement and battery.
 */
import type { z } from 'zod';
import {
  STANDARD_LEAD_NAMES,
  type MeasurementRecord,
  type WatchSeriesSchema,
} from '../../../../server-contract/api/index.js';
import type { TrendSeries } from '../components/TrendPlot.js';

type WatchSeries = z.output<typeof WatchSeriesSchema>;

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

export function heartRateAndQtc(items: readonly MeasurementRecord[]): Trend {
  return {
    timesMs: items.map((m) => m.tMs),
    series: [
      { label: 'Heart rate (bpm)', colour: '#b3001b', values: items.map((m) => m.heartRateBpm) },
      {
        label: 'QTc Bazett (ms)',
        colour: '#0b4fa8',
        values: items.map((m) => m.qtcBazettMs),
        scale: 'right',
      },
      {
        label: 'QTc Fridericia (ms)',
        colour: '#0f6b2f',
        values: items.map((m) => m.qtcFridericiaMs),
        scale: 'right',
      },
    ],
  };
}

export function stPerLead(items: readonly MeasurementRecord[]): Trend {
  return {
    timesMs: items.map((m) => m.tMs),
    series: STANDARD_LEAD_NAMES.map((lead, k) => ({
      label: lead,
      colour: LEAD_COLOURS[k]!,
      values: items.map((m) => m.stUv[lead] ?? null),
    })),
  };
}

/** Measurements whose values were withheld for a poor signal or an electrode off count as unusable. */
function usable(m: MeasurementRecord): boolean {
  return !Object.values(m.withheld).some((r) => r === 'poor_signal' || r === 'lead_off');
}

/** Share of measurement windows with a usable signal, per bucket (about 300 over the recording). */
export function signalQuality(items: readonly MeasurementRecord[], spanMs: number): Trend {
  const bucketMs = Math.max(10_000, Math.ceil(spanMs / 300 / 10_000) * 10_000);
  const buckets = new Map<number, { good: number; all: number }>();
  for (const m of items) {
    const key = Math.floor(m.tMs / bucketMs) * bucketMs;
    const b = buckets.get(key) ?? { good: 0, all: 0 };
    b.all++;
    if (usable(m)) b.good++;
    buckets.set(key, b);
  }
  const keys = [...buckets.keys()].sort((a, b) => a - b);
  return {
    timesMs: keys,
    series: [
      {
        label: 'Usable signal (%)',
        colour: '#0f6b2f',
        values: keys.map((k) => {
          const b = buckets.get(k)!;
          return Math.round((100 * b.good) / b.all);
        }),
      },
    ],
  };
}

export function watchHeartRate(series: WatchSeries | undefined): Trend {
  const items = series?.series === 'hr' ? series.items : [];
  return {
    timesMs: items.map((r) => r.tMs),
    series: [{ label: 'Watch heart rate (bpm)', colour: '#b3001b', values: items.map((r) => r.bpm) }],
  };
}

/** Movement: mean |‖a‖ − 1 g| per bucket of about 300 over the span, milli-g. */
export function watchMovement(series: WatchSeries | undefined, spanMs: number): Trend {
  const items = series?.series === 'accel' ? series.items : [];
  const bucketMs = Math.max(1000, Math.ceil(spanMs / 300 / 1000) * 1000);
  const sums = new Map<number, { sum: number; n: number }>();
  for (const a of items) {
    const key = Math.floor(a.tMs / bucketMs) * bucketMs;
    const s = sums.get(key) ?? { sum: 0, n: 0 };
    s.sum += Math.abs(Math.hypot(a.xMg, a.yMg, a.zMg) - 1000);
    s.n++;
    sums.set(key, s);
  }
  const keys = [...sums.keys()].sort((a, b) => a - b);
  return {
    timesMs: keys,
    series: [
      {
        label: 'Movement (mg)',
        colour: '#9467bd',
        values: keys.map((k) => Math.round(sums.get(k)!.sum / sums.get(k)!.n)),
      },
    ],
  };
}

export function watchBattery(series: WatchSeries | undefined): Trend {
  const items = series?.series === 'battery' ? series.items : [];
  return {
    timesMs: items.map((r) => r.tMs),
    series: [{ label: 'Battery (%)', colour: '#0b4fa8', values: items.map((r) => r.pct) }],
  };
}
