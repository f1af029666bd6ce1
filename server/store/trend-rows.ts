/**
 * Per-minute partial sums of the trend values, computed from a chunk's expanded rows when it is
 * stored, so that a whole-recording trend reads ~1 row per minute and source instead of every
 * measurement snapshot and accelerometer sample (a 24-h recording has 43 200 snapshots and
 * 1.08 M accelerometer rows). A minute split between two chunks has a partial from each; the
 * reader merges partials by summing.
 */
import type { ExpandedRows } from './store.js';

/** Minutes: the partial sums' bucket. */
export const TREND_BUCKET_MS = 60_000;

/** Which series a partial comes from. */
export type TrendSource = 'measurements' | 'hr' | 'accel' | 'battery';

/** Sum and count of one value (sums merge by addition). */
export type SumCount = [sum: number, count: number];

/** Mergeable partial of one bucket of one source. Every field is optional: absent means no data. */
export interface TrendPartial {
  /** Measurement snapshots in the bucket. */
  n?: number;
  /** Snapshots whose heart rate was not withheld for poor signal or lead-off. */
  good?: number;
  hr?: SumCount;
  hrMin?: number;
  hrMax?: number;
  qtcB?: SumCount;
  qtcF?: SumCount;
  st?: Record<string, SumCount>;
  /** Watch heart rate. */
  whr?: SumCount;
  /** ENMO (mg) of accelerometer samples. */
  enmo?: SumCount;
  /** Last battery reading: time, percent, charging. */
  bat?: [tMs: number, pct: number, charging: boolean];
}

export interface TrendRowInput {
  source: TrendSource;
  bucketMs: number;
  data: TrendPartial;
}

const bucketOf = (tMs: number) => Math.floor(tMs / TREND_BUCKET_MS) * TREND_BUCKET_MS;

function add(target: SumCount | undefined, value: unknown): SumCount | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return target;
  if (target === undefined) return [value, 1];
  target[0] += value;
  target[1] += 1;
  return target;
}

function bucketFor(map: Map<number, TrendPartial>, tMs: number): TrendPartial {
  const key = bucketOf(tMs);
  let p = map.get(key);
  if (p === undefined) {
    p = {};
    map.set(key, p);
  }
  return p;
}

const BAD_SIGNAL = new Set(['poor_signal', 'lead_off']);

function measurementPartials(rows: NonNullable<ExpandedRows['measurements']>): Map<number, TrendPartial> {
  const map = new Map<number, TrendPartial>();
  for (const row of rows) {
    const p = bucketFor(map, row.tMs);
    const d = row.data;
    p.n = (p.n ?? 0) + 1;
    const withheld = (d.withheld ?? {}) as Record<string, unknown>;
    if (!BAD_SIGNAL.has(String(withheld.heartRateBpm))) p.good = (p.good ?? 0) + 1;
    const hr = d.heartRateBpm;
    if (typeof hr === 'number') {
      p.hr = add(p.hr, hr);
      p.hrMin = Math.min(p.hrMin ?? hr, hr);
      p.hrMax = Math.max(p.hrMax ?? hr, hr);
    }
    p.qtcB = add(p.qtcB, d.qtcBazettMs);
    p.qtcF = add(p.qtcF, d.qtcFridericiaMs);
    const st = d.stUv;
    if (st !== null && typeof st === 'object') {
      for (const [lead, uv] of Object.entries(st as Record<string, unknown>)) {
        p.st ??= {};
        const next = add(p.st[lead], uv);
        if (next) p.st[lead] = next;
      }
    }
  }
  return map;
}

function watchPartials(rows: ExpandedRows): Map<number, TrendPartial> {
  const map = new Map<number, TrendPartial>();
  for (const r of rows.hr ?? []) {
    const p = bucketFor(map, r.tMs);
    p.whr = add(p.whr, r.bpm);
  }
  for (const r of rows.accel ?? []) {
    const p = bucketFor(map, r.tMs);
    const norm = Math.sqrt(r.xMg * r.xMg + r.yMg * r.yMg + r.zMg * r.zMg);
    p.enmo = add(p.enmo, Math.max(0, norm - 1000));
  }
  for (const r of rows.battery ?? []) {
    const p = bucketFor(map, r.tMs);
    if (p.bat === undefined || r.tMs >= p.bat[0]) p.bat = [r.tMs, r.pct, r.charging];
  }
  return map;
}

/** The trend partials of one chunk's rows (a chunk holds one stream, so one source). */
export function trendRowsOf(rows: ExpandedRows): TrendRowInput[] {
  const out: TrendRowInput[] = [];
  const push = (source: TrendSource, map: Map<number, TrendPartial>) => {
    for (const [bucketMs, data] of map) out.push({ source, bucketMs, data });
  };
  if (rows.measurements?.length) push('measurements', measurementPartials(rows.measurements));
  if (rows.hr?.length) push('hr', watchPartials({ hr: rows.hr }));
  if (rows.accel?.length) push('accel', watchPartials({ accel: rows.accel }));
  if (rows.battery?.length) push('battery', watchPartials({ battery: rows.battery }));
  return out;
}

function mergeSum(a: SumCount | undefined, b: SumCount | undefined): SumCount | undefined {
  if (a === undefined) return b && [b[0], b[1]];
  if (b !== undefined) {
    a[0] += b[0];
    a[1] += b[1];
  }
  return a;
}

/** Merges `from` into `into` (both partials of the same bucket). */
export function mergePartial(into: TrendPartial, from: TrendPartial): void {
  if (from.n !== undefined) into.n = (into.n ?? 0) + from.n;
  if (from.good !== undefined) into.good = (into.good ?? 0) + from.good;
  into.hr = mergeSum(into.hr, from.hr);
  if (from.hrMin !== undefined) into.hrMin = Math.min(into.hrMin ?? from.hrMin, from.hrMin);
  if (from.hrMax !== undefined) into.hrMax = Math.max(into.hrMax ?? from.hrMax, from.hrMax);
  into.qtcB = mergeSum(into.qtcB, from.qtcB);
  into.qtcF = mergeSum(into.qtcF, from.qtcF);
  for (const [lead, sc] of Object.entries(from.st ?? {})) {
    into.st ??= {};
    into.st[lead] = mergeSum(into.st[lead], sc)!;
  }
  into.whr = mergeSum(into.whr, from.whr);
  into.enmo = mergeSum(into.enmo, from.enmo);
  if (from.bat !== undefined && (into.bat === undefined || from.bat[0] >= into.bat[0])) into.bat = from.bat;
}

/** Mean of a sum-count, rounded to 0.1; null when empty. */
export function meanOf(sc: SumCount | undefined): number | null {
  return sc === undefined || sc[1] === 0 ? null : Math.round((sc[0] / sc[1]) * 10) / 10;
}
