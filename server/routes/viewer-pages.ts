/** The web viewer's page-sized reads: an ECG page with beats and events, trends, enrollment codes. */
import {
  MAX_TREND_BUCKETS,
  TREND_BASE_BUCKET_MS,
  type EcgPage,
  type Trend,
} from '../../server-contract/api/index.js';
import { ValidationError } from '../errors.js';
import type { Handlers } from '../http/router.js';
import { ecgSegment } from '../ingest/ecg-segment.js';
import type { Services } from '../services.js';
import type { RecordingRecord, TrendPartialRow } from '../store/store.js';
import { meanOf, mergePartial, type TrendPartial } from '../store/trend-rows.js';
import { DecodedChunkCache } from './decoded-chunks.js';
import { loadRecording } from './shared.js';
import { TrendCache } from './viewer-trend-cache.js';

/** Events that began this long before a page and last into it are shown on it. */
const EVENT_LOOKBACK_MS = 10 * 60_000;
/** Most beats one page may return (a 60-s page at 300 bpm is 300). */
const MAX_PAGE_BEATS = 2_000;
const MAX_PAGE_EVENTS = 1_000;
/** Buckets a default trend aims at: a day at one minute. */
const DEFAULT_TREND_BUCKETS = 1_440;

async function recordingEndMs(s: Services, recording: RecordingRecord): Promise<number | null> {
  if (recording.endedAtMs !== null) return recording.endedAtMs;
  return (await s.store.streamSpan(recording.id, 'ecg'))?.endMs ?? null;
}

async function ecgPage(
  s: Services,
  cache: DecodedChunkCache,
  recording: RecordingRecord,
  fromMs: number,
  toMs: number,
) {
  const range = { fromMs, toMs };
  const [chunks, beats, events, endMs] = await Promise.all([
    s.store.chunksInRange(recording.id, 'ecg', range),
    s.store.seriesRows('beats', recording.id, range, MAX_PAGE_BEATS),
    s.store.seriesRows('events', recording.id, { fromMs: fromMs - EVENT_LOOKBACK_MS, toMs }, MAX_PAGE_EVENTS),
    recordingEndMs(s, recording),
  ]);
  const page: EcgPage = {
    recordingId: recording.id,
    simulated: recording.simulated,
    fromMs,
    toMs,
    recordingStartMs: recording.startedAtMs,
    recordingEndMs: endMs,
    ecg: chunks.length === 0 ? null : ecgSegment(recording, chunks, range, cache.decode),
    beats: beats.map((b) => ({
      tMs: b.tMs,
      beatClass: b.beatClass as EcgPage['beats'][number]['beatClass'],
    })),
    events: events
      .filter((e) => e.tMs >= fromMs || (e.endMs ?? e.tMs) > fromMs)
      .map((e) => ({ ...e.data, tMs: e.tMs, kind: e.kind }) as EcgPage['events'][number]),
  };
  return page;
}

function ecgPoint(tMs: number, p: TrendPartial): Trend['ecg'][number] {
  const stUv: Record<string, number> = {};
  for (const [lead, sc] of Object.entries(p.st ?? {})) {
    const mean = meanOf(sc);
    if (mean !== null) stUv[lead] = mean;
  }
  const n = p.n ?? 0;
  return {
    tMs,
    snapshots: n,
    heartRateBpm: meanOf(p.hr),
    heartRateMinBpm: p.hrMin ?? null,
    heartRateMaxBpm: p.hrMax ?? null,
    qtcBazettMs: meanOf(p.qtcB),
    qtcFridericiaMs: meanOf(p.qtcF),
    stUv,
    signalQualityPct: n === 0 ? null : Math.round(((p.good ?? 0) / n) * 1000) / 10,
  };
}

function watchPoint(tMs: number, p: TrendPartial): Trend['watch'][number] {
  return {
    tMs,
    heartRateBpm: meanOf(p.whr),
    movementMg: meanOf(p.enmo),
    batteryPct: p.bat?.[1] ?? null,
    charging: p.bat?.[2] ?? null,
  };
}

/**
 * Merges per-minute partials into buckets of `bucketMs` from `originMs`, ECG and watch apart. The
 * rows' partials are merged into in place (a bucket starts as its first partial, not a copy):
 * pass rows read for this call only.
 */
export function bucketTrend(rows: readonly TrendPartialRow[], originMs: number, bucketMs: number) {
  const ecg = new Map<number, TrendPartial>();
  const watch = new Map<number, TrendPartial>();
  for (const row of rows) {
    const key = originMs + Math.floor((row.tMs - originMs) / bucketMs) * bucketMs;
    const map = row.source === 'measurements' ? ecg : watch;
    const into = map.get(key);
    if (into === undefined) map.set(key, row.data);
    else mergePartial(into, row.data);
  }
  const sorted = <T>(map: Map<number, TrendPartial>, f: (t: number, p: TrendPartial) => T) =>
    [...map.entries()].sort((a, b) => a[0] - b[0]).map(([t, p]) => f(t, p));
  return { ecg: sorted(ecg, ecgPoint), watch: sorted(watch, watchPoint) };
}

export function viewerPageHandlers(
  s: Services,
): Pick<Handlers, 'recordings.page' | 'recordings.trends' | 'enrollment.listCodes'> {
  const cache = new DecodedChunkCache();
  const trends = new TrendCache();
  return {
    'recordings.page': async ({ params, query }, ctx) => {
      const recording = await loadRecording(s, ctx.principal, params.recordingId);
      const page = await ecgPage(s, cache, recording, query.fromMs, query.fromMs + query.durationMs);
      return { status: 200, body: page };
    },
    'recordings.trends': async ({ params, query }, ctx) => {
      const recording = await loadRecording(s, ctx.principal, params.recordingId);
      const start = query.fromMs ?? recording.startedAtMs;
      const fromMs = Math.floor(start / TREND_BASE_BUCKET_MS) * TREND_BASE_BUCKET_MS;
      const end = query.toMs ?? (await recordingEndMs(s, recording)) ?? s.now();
      const toMs = Math.max(end, fromMs + TREND_BASE_BUCKET_MS);
      const spanMinutes = Math.ceil((toMs - fromMs) / TREND_BASE_BUCKET_MS);
      const bucketMs =
        query.bucketMs ?? Math.max(1, Math.ceil(spanMinutes / DEFAULT_TREND_BUCKETS)) * TREND_BASE_BUCKET_MS;
      if ((toMs - fromMs) / bucketMs > MAX_TREND_BUCKETS) {
        throw new ValidationError([
          { path: 'query.bucketMs', message: `more than ${MAX_TREND_BUCKETS} buckets: use longer buckets` },
        ]);
      }
      const key = { recordingId: recording.id, fromMs, toMs, bucketMs };
      const buckets = await trends.get(key, await s.store.trendVersion(recording.id), async () =>
        bucketTrend(await s.store.trendPartials(recording.id, { fromMs, toMs }), fromMs, bucketMs),
      );
      const body: Trend = {
        recordingId: recording.id,
        simulated: recording.simulated,
        fromMs,
        toMs,
        bucketMs,
        ...buckets,
      };
      return { status: 200, body };
    },
    'enrollment.listCodes': async ({ query }) => {
      const nowMs = s.now();
      const codes = await s.store.listEnrollmentCodes(query.limit);
      const items = codes.map((c) => ({
        ...c,
        status:
          c.usedAtMs !== null
            ? ('used' as const)
            : c.expiresAtMs <= nowMs
              ? ('expired' as const)
              : ('unused' as const),
      }));
      return { status: 200, body: { items } };
    },
  };
}
