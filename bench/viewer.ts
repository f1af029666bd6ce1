/**
 * `npm run bench -- viewer [--hours 24] [--pages 200] [--trends 40] [--draw-pages 30]
 *  [--stores sqlite,postgres]`
 *
 * Stores one gateway-day (a 24-h 12-lead 500 Hz recording of real LUDB signal with the watch's
 * streams, see _viewer-day.ts) in each store, serves it over HTTP on 127.0.0.1, and times as a
 * researcher: one 10-s ECG page at random places (`recordings.page`), the whole-recording trend
 * (`recordings.trends`, 1-min buckets) cold (a range not asked before: every partial merged) and
 * warm (the viewer's own request repeated: the trend cache), and as a baseline the raw
 * measurements the trend would otherwise be computed from (`recordings.measurements`, every 2-s
 * snapshot). Times are request times on loopback with the body read (an upper bound of server
 * time), with this process's CPU time beside them. Then, on the first store, the built viewer in
 * Chromium pages through the recording (_viewer-draw.ts): `drawMs` is the p95 script time of one
 * page's draw (`--draw-pages 0` skips it). Also prints the bytes one gateway-day takes in each
 * database, by table. Targets: page p95 < 100 ms, trend < 200 ms, draw < 50 ms.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { EcgPage, Trend } from '../server-contract/api/index.js';
import { createApp, type AppSettings } from '../server/app.js';
import { createLogger } from '../server/ops/logger.js';
import { Metrics } from '../server/ops/metrics.js';
import type { KyselyStore } from '../server/store/kysely-store.js';
import { openPostgresStore } from '../server/store/postgres.js';
import { openSqliteStore } from '../server/store/sqlite.js';
import { ensureViewerBuilt, VIEWER_DIST } from '../test/e2e/viewer-server.js';
import { startPostgres, type RunningPostgres } from '../test/integration/server/embedded-pg.js';
import { databaseDir, parseOptions, printHeadline } from './_common.js';
import { buildSignal } from './_ludb.js';
import { CHUNK_MS, encodeEcgDay, minuteChunks } from './_viewer-day.js';
import { measureDraw, type DrawFigures } from './_viewer-draw.js';

const SETTINGS: AppSettings = {
  corsOrigins: [],
  trustProxy: false,
  bodyLimitBytes: 10 * 1024 * 1024,
  jsonLimitBytes: 1024 * 1024,
  rateLimitPerMin: 1_000_000,
  anonRateLimitPerMin: 1_000_000,
  accessTokenTtlS: 3600,
  refreshTokenTtlS: 86_400,
  maxFailedLogins: 5,
  lockoutBaseS: 60,
};
const ANCHOR_MS = Date.UTC(2026, 10, 20, 8, 0, 0);
const PASSWORD = 'viewer-bench-password';

interface StoreFigures {
  store: string;
  loadS: number;
  bytes: number;
  pageP50Ms: number;
  pageP95Ms: number;
  trendP50Ms: number;
  trendP95Ms: number;
  rawMeasurementsP95Ms: number;
  pageCpuP95Ms: number;
  trendCpuP95Ms: number;
  warmTrendP95Ms: number;
  warmTrendCpuP95Ms: number;
  sequentialPageP95Ms: number;
  draw: DrawFigures | null;
}

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;
};

async function load(
  store: KyselyStore,
  recordingId: string,
  minutes: number,
  ecg: ReturnType<typeof encodeEcgDay>,
) {
  const patientId = uuidv7();
  await store.createPatient({
    ...{ id: patientId, studyCode: 'B001', ageYears: 60, sex: 'male', studyGroup: null, notes: null },
    ...{ identitySealed: null, gatewayId: null, createdAtMs: ANCHOR_MS, updatedAtMs: ANCHOR_MS },
  });
  await store.createRecording({
    ...{ id: recordingId, patientId, gatewayId: uuidv7(), operatorId: uuidv7(), operatorName: 'Nurse B' },
    ...{ devices: [], simulated: false, startedAtMs: ANCHOR_MS, ecgSampleRateHz: 500, mainsHz: 50 },
    createdAtMs: ANCHOR_MS,
  });
  const started = performance.now();
  const batch = store.dialect === 'sqlite' ? 10 : 4;
  for (let m = 0; m < minutes; m += batch) {
    const inputs = [];
    for (let k = m; k < Math.min(minutes, m + batch); k++)
      inputs.push(...minuteChunks(recordingId, ANCHOR_MS, k, ecg[k]!));
    const outcomes = await Promise.all(inputs.map((c) => store.putChunk(c)));
    if (outcomes.some((o) => o !== 'stored')) throw new Error(`minute ${m}: ${outcomes.join(',')}`);
  }
  await store.endRecording(recordingId, ANCHOR_MS + minutes * CHUNK_MS, {}, null);
  return (performance.now() - started) / 1000;
}

/** Bytes the database takes, with the largest tables. */
async function measureBytes(
  store: KyselyStore,
  file: string | undefined,
): Promise<{ total: number; tables: string }> {
  if (store.dialect === 'sqlite') {
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(store.db);
    const rows = await sql<{
      name: string;
      bytes: number;
    }>`select name, sum(pgsize) as bytes from dbstat group by name order by bytes desc limit 8`
      .execute(store.db)
      .catch(() => ({ rows: [] as { name: string; bytes: number }[] }));
    return {
      total: statSync(file!).size,
      tables: rows.rows.map((r) => `${r.name} ${(r.bytes / 1e6).toFixed(1)}`).join(', '),
    };
  }
  const total = await sql<{ bytes: number }>`select pg_database_size(current_database()) as bytes`.execute(
    store.db,
  );
  const rows = await sql<{ name: string; bytes: number }>`
    select coalesce(i.inhparent::regclass::text, c.relname) as name, sum(pg_total_relation_size(c.oid))::bigint as bytes
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    left join pg_inherits i on i.inhrelid = c.oid
    where n.nspname = 'public' and c.relkind = 'r' group by 1 order by 2 desc limit 8`.execute(store.db);
  return {
    total: total.rows[0]!.bytes,
    tables: rows.rows.map((r) => `${r.name} ${(r.bytes / 1e6).toFixed(1)}`).join(', '),
  };
}

/** CPU ms of this process (server and client) per timed request, beside the wall times. */
const cpuMs: number[] = [];

async function timed(url: string, token: string, check: (body: unknown) => void): Promise<number> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  cpuMs.push((used.user + used.system) / 1000);
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${text.slice(0, 200)}`);
  check(JSON.parse(text));
  return ms;
}

async function measure(
  store: KyselyStore,
  recordingId: string,
  minutes: number,
  o: Map<string, string>,
  drawPages: number,
) {
  const app = createApp({
    ...{ store, settings: SETTINGS, jwtSecret: randomBytes(32), fieldKey: randomBytes(32) },
    viewerDir: VIEWER_DIST,
    ...{
      metricsToken: 'bench',
      logger: createLogger('silent'),
      metrics: new Metrics({ defaultMetrics: false }),
    },
  });
  const callback = app.callback();
  const server: Server = createServer((req, res) => {
    void callback(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  try {
    await app.services.auth.createUser({
      username: 'res',
      displayName: 'R',
      role: 'researcher',
      password: PASSWORD,
    });
    const login = await fetch(`${base}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'res', password: PASSWORD }),
    });
    const token = ((await login.json()) as { tokens: { accessToken: string } }).tokens.accessToken;
    const rec = `${base}/v1/recordings/${recordingId}`;
    let seed = 12345;
    const nextPage = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return ANCHOR_MS + Math.floor((seed / 2 ** 31) * (minutes * CHUNK_MS - 10_000));
    };
    const checkPage = (b: unknown) => {
      const p = b as EcgPage;
      if (p.ecg?.runs.reduce((n, r) => n + r.sampleCount, 0) !== 5000) throw new Error('page lacks samples');
    };
    const checkTrend = (b: unknown) => {
      if ((b as Trend).ecg.length < minutes - 1)
        throw new Error(`trend has ${(b as Trend).ecg.length} points`);
    };
    for (let i = 0; i < 5; i++) await timed(`${rec}/page?fromMs=${nextPage()}`, token, checkPage);
    const pages: number[] = [];
    cpuMs.length = 0;
    for (let i = 0; i < Number(o.get('pages') ?? 200); i++)
      pages.push(await timed(`${rec}/page?fromMs=${nextPage()}`, token, checkPage));
    const pageCpu = [...cpuMs];
    // Paging forward page by page from a random place: 5 of 6 pages find their chunk decoded.
    const sequential: number[] = [];
    const from = nextPage() - (nextPage() % 60_000);
    for (let i = 0; i < 60 && from + (i + 1) * 10_000 <= ANCHOR_MS + minutes * CHUNK_MS; i++)
      sequential.push(await timed(`${rec}/page?fromMs=${from + i * 10_000}`, token, checkPage));
    cpuMs.length = 0;
    // Cold: each request a range no earlier request asked for (the end 1 ms later each time, still
    // 1-min buckets), so the server merges every partial again; warm: the viewer's own request,
    // repeated, answered from the trend cache after one read of the partials' version.
    const endMs = ANCHOR_MS + minutes * CHUNK_MS;
    const trends: number[] = [];
    const trendCount = Number(o.get('trends') ?? 40);
    for (let i = 0; i < trendCount; i++)
      trends.push(await timed(`${rec}/trends?bucketMs=60000&toMs=${endMs + 1 + i}`, token, checkTrend));
    const trendCpu = [...cpuMs];
    cpuMs.length = 0;
    const warmTrends: number[] = [];
    for (let i = 0; i < trendCount; i++) warmTrends.push(await timed(`${rec}/trends`, token, checkTrend));
    const warmTrendCpu = [...cpuMs];
    const raw: number[] = [];
    for (let i = 0; i < 10; i++)
      raw.push(await timed(`${rec}/measurements?limit=100000`, token, () => undefined));
    // the browser pages forward from the middle of the recording
    const draw =
      drawPages > 0
        ? await measureDraw({
            ...{ baseUrl: base, username: 'res', password: PASSWORD, recordingId },
            firstStartMs: ANCHOR_MS + Math.floor(minutes / 2) * CHUNK_MS,
            turns: Math.min(drawPages, Math.floor((minutes * CHUNK_MS) / 2 / 10_000) - 2),
          })
        : null;
    return { pages, pageCpu, sequential, trends, trendCpu, warmTrends, warmTrendCpu, raw, draw };
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}

async function benchStore(
  name: string,
  open: () => Promise<{ store: KyselyStore; file?: string }>,
  day: { recordingId: string; minutes: number; ecg: ReturnType<typeof encodeEcgDay> },
  o: Map<string, string>,
  drawPages: number,
): Promise<StoreFigures> {
  const { store, file } = await open();
  try {
    const loadS = await load(store, day.recordingId, day.minutes, day.ecg);
    const bytes = await measureBytes(store, file);
    console.log(
      `${name}: loaded in ${loadS.toFixed(1)} s; ${(bytes.total / 1e6).toFixed(1)} MB (MB by table: ${bytes.tables})`,
    );
    const m = await measure(store, day.recordingId, day.minutes, o, drawPages);
    const f: StoreFigures = {
      store: name,
      loadS: Math.round(loadS * 10) / 10,
      bytes: bytes.total,
      pageP50Ms: percentile(m.pages, 50),
      pageP95Ms: percentile(m.pages, 95),
      trendP50Ms: percentile(m.trends, 50),
      trendP95Ms: percentile(m.trends, 95),
      warmTrendP95Ms: percentile(m.warmTrends, 95),
      rawMeasurementsP95Ms: percentile(m.raw, 95),
      pageCpuP95Ms: percentile(m.pageCpu, 95),
      trendCpuP95Ms: percentile(m.trendCpu, 95),
      warmTrendCpuP95Ms: percentile(m.warmTrendCpu, 95),
      sequentialPageP95Ms: percentile(m.sequential, 95),
      draw: m.draw,
    };
    console.log(
      `${name}: page p50 ${f.pageP50Ms} ms p95 ${f.pageP95Ms} ms (${m.pages.length}, CPU p95 ${f.pageCpuP95Ms} ms); paging forward p95 ${f.sequentialPageP95Ms} ms (${m.sequential.length}); trend cold p50 ${f.trendP50Ms} ms p95 ${f.trendP95Ms} ms (${m.trends.length}, CPU p95 ${f.trendCpuP95Ms} ms), warm p95 ${f.warmTrendP95Ms} ms (CPU p95 ${f.warmTrendCpuP95Ms} ms); raw measurements (baseline) p95 ${f.rawMeasurementsP95Ms} ms; load average ${loadavg()[0]!.toFixed(1)}`,
    );
    if (m.draw !== null)
      console.log(
        `browser (Chromium): page draw script p50 ${percentile(m.draw.drawMs, 50)} ms p95 ${percentile(m.draw.drawMs, 95)} ms; whole page turn (fetch handling, validation, derivation, draw, next-page prefetch) script p50 ${percentile(m.draw.turnScriptMs, 50)} ms p95 ${percentile(m.draw.turnScriptMs, 95)} ms (${m.draw.drawMs.length} turns)`,
      );
    return f;
  } finally {
    await store.close();
  }
}

export async function run(args: string[]): Promise<void> {
  const o = parseOptions(args);
  const hours = Number(o.get('hours') ?? 24);
  const stores = (o.get('stores') ?? 'sqlite,postgres').split(',');
  const minutes = Math.round(hours * 60);
  console.log(`viewer bench: ${hours} h recording, 8 acquired channels (12 leads) at 500 Hz in 60-s chunks`);
  console.log(
    `machine: ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `inputs: pages ${o.get('pages') ?? 200}, trends ${o.get('trends') ?? 40}, stores ${stores.join(', ')}`,
  );
  const signal = buildSignal(join(databaseDir(o, 'ludb'), 'data'), 500_000);
  const recordingId = uuidv7();
  const encodeStarted = performance.now();
  const ecg = encodeEcgDay(recordingId, ANCHOR_MS, minutes, signal);
  const ecgBytes = ecg.reduce((n, c) => n + c.bytes.byteLength, 0);
  console.log(
    `encoded ${minutes} ECG chunks (${(ecgBytes / 1e6).toFixed(1)} MB) in ${((performance.now() - encodeStarted) / 1000).toFixed(1)} s`,
  );
  const day = { recordingId, minutes, ecg };
  // the browser pages on the first store only (drawing does not depend on the store)
  const drawPages = Number(o.get('draw-pages') ?? 30);
  if (drawPages > 0) ensureViewerBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'pulsewatch-viewer-bench-'));
  const figures: StoreFigures[] = [];
  let pg: RunningPostgres | undefined;
  try {
    if (stores.includes('sqlite')) {
      const file = join(dir, 'viewer.sqlite');
      figures.push(
        await benchStore(
          'sqlite',
          async () => ({ store: await openSqliteStore(file), file }),
          ...([day, o, drawPages] as const),
        ),
      );
    }
    if (stores.includes('postgres')) {
      pg = await startPostgres();
      const url = await pg.createDatabase('viewer_bench');
      figures.push(
        await benchStore(
          'postgres',
          async () => ({ store: await openPostgresStore(url) }),
          ...([day, o, figures.length === 0 ? drawPages : 0] as const),
        ),
      );
    }
  } finally {
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const draw = figures.find((f) => f.draw !== null)?.draw ?? undefined;
  const worst = (k: keyof StoreFigures) => Math.max(...figures.map((f) => Number(f[k])));
  const per = Object.fromEntries(
    figures.flatMap((f) => [
      [`${f.store}PageP95Ms`, f.pageP95Ms],
      [`${f.store}TrendP95Ms`, f.trendP95Ms],
      [`${f.store}RawMeasurementsP95Ms`, f.rawMeasurementsP95Ms],
      [`${f.store}PageCpuP95Ms`, f.pageCpuP95Ms],
      [`${f.store}TrendCpuP95Ms`, f.trendCpuP95Ms],
      [`${f.store}WarmTrendP95Ms`, f.warmTrendP95Ms],
      [`${f.store}WarmTrendCpuP95Ms`, f.warmTrendCpuP95Ms],
      [`${f.store}SequentialPageP95Ms`, f.sequentialPageP95Ms],
      [`${f.store}BytesPerGatewayDay`, Math.round((f.bytes * 24) / hours)],
    ]),
  );
  printHeadline({
    pageP95Ms: worst('pageP95Ms'),
    trendP95Ms: worst('trendP95Ms'),
    drawMs: draw === undefined ? 'n/a' : percentile(draw.drawMs, 95),
    pageTurnScriptP95Ms: draw === undefined ? 'n/a' : percentile(draw.turnScriptMs, 95),
    hours,
    loadAverage1m: Math.round(loadavg()[0]! * 10) / 10,
    ecgMbPerDay: Math.round((ecgBytes / 1e6) * (24 / hours) * 10) / 10,
    ...per,
  });
}
