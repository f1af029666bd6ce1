/**
 * Ingest benchmark: N concurrent simulated gateways (default 10, 50, 100) each upload 60-s chunks
 * of 8-channel 500 Hz ECG plus watch streams (hr records, 12.5 Hz accelerometer) to the real
 * server over loopback HTTP, against SQLite and against PostgreSQL (embedded, 15.x). The server runs
 * in a child process (its own event loop and decode workers, as in production); the gateways are
 * simulated in this one, each sending one request at a time, as the uploader does.
 *
 * The ECG is real: LUDB records (8 leads as ECG-12 counts, a different stretch per gateway and
 * round), or a synthetic signal when the data folder is absent (said so in the output).
 *
 * Two load shapes per gateway count, both measured after an untimed warm-up round:
 * - **backlog drain** (closed loop): every gateway uploads `--rounds` rounds back to back, as after
 *   an outage: all N gateways have a request in flight all the time, and all start at the same
 *   instant. Chunks/s, samples/s, p50/p99 (the p99 counts that first simultaneous round; the
 *   p99 after it is a detail), server CPU per chunk.
 * - **paced** (open loop): every gateway sends one round (its 3 chunks) every `--pace-seconds`,
 *   the gateways spread evenly over the period, for `--paced-rounds` periods. At 6 s that is 10×
 *   the real cadence of one round a minute. p50/p99.
 * Then the same chunks and expanded rows are written straight into the database (the store's
 * own bulk row insert, 20 chunks per transaction, in the server's process, no HTTP, hashing or
 * decoding) as the ceiling, and the drain rate is given as a ratio to it; then small
 * authenticated requests/s (gateway heartbeats).
 *
 * With --replicas N, first the same server as N processes on one PostgreSQL (bench/_replicas.ts).
 * Options: --gateways 10,50,100  --rounds 4  --pace-seconds 6  --paced-rounds 2 (0: no paced phase)
 *          --stores sqlite,postgres  --small 4000  --small-concurrency 50  --warmup 1 (rounds)
 *          --decode-workers N (server's decode threads; default as the server's configuration)
 *          --data DIR (LUDB folder; default ../shared/data/ludb or PULSEWATCH_DATA)
 * Last line keys (worst store, worst load shape): p99Ms50, sqliteDrainP99Ms50, postgresDrainP99Ms50,
 * pacedP99Ms50, errors, ratioToRawDb, cpuPerChunkRatio (server CPU per chunk ÷ the raw insert's, in
 * the same run), smallRps. On PostgreSQL the drain also says where the CPU went: ingest server,
 * database server (the postmaster and its backends, from /proc) and load generator.
 */
import { randomBytes } from 'node:crypto';
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { v7 as uuidv7 } from 'uuid';
import { createApp, type AppSettings } from '../server/app.js';
import { ConfigSchema } from '../server/config.js';
import { createLogger } from '../server/ops/logger.js';
import { Metrics } from '../server/ops/metrics.js';
import { serve } from '../server/serve.js';
import { openPostgresStore } from '../server/store/postgres.js';
import { openSqliteStore } from '../server/store/sqlite.js';
import { startPostgres, type RunningPostgres } from '../test/integration/server/embedded-pg.js';
import { databaseDir, parseOptions, printHeadline } from './_common.js';
import {
  ECG_RATE_HZ,
  ludbSource,
  roundChunks,
  syntheticSource,
  T0,
  toUpload,
  type EcgSource,
  type Upload,
} from './_ingest-chunks.js';
import { rawInsert, type RawItem } from './_ingest-raw.js';
import { drainProfiler, postmasterPid, treeCpuMs, usageMarks, type UsageMark } from './_proc-cpu.js';
import { replicaHeadline, runReplicas } from './_replicas.js';
import { withProductionRuntime } from '../server/ops/runtime-env.js';

const SETTINGS: AppSettings = {
  corsOrigins: [],
  trustProxy: false,
  bodyLimitBytes: 10 * 1024 * 1024,
  jsonLimitBytes: 1024 * 1024,
  rateLimitPerMin: 10_000_000,
  anonRateLimitPerMin: 10_000_000,
  accessTokenTtlS: 3600,
  refreshTokenTtlS: 86_400,
  maxFailedLogins: 5,
  lockoutBaseS: 60,
};

interface Client {
  port: number;
  agent: Agent;
}

function send(
  c: Client,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<{ status: number; body: string }> {
  return new Promise((resolveSend, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: c.port,
        method,
        path,
        agent: c.agent,
        headers: { ...headers, 'content-length': String(body.length) },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () =>
          resolveSend({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const json = (c: Client, method: string, path: string, value: unknown, token?: string) =>
  send(
    c,
    method,
    path,
    { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    Buffer.from(JSON.stringify(value)),
  );

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface GatewaySetup {
  token: string;
  recordingId: string;
  uploads: Upload[];
}

async function setupGateways(
  c: Client,
  adminToken: string,
  n: number,
  rounds: number,
  ecg: EcgSource,
): Promise<GatewaySetup[]> {
  const out: GatewaySetup[] = [];
  for (let g = 0; g < n; g++) {
    const code = JSON.parse(
      (await json(c, 'POST', '/v1/enrollment-codes', { label: `bench ${g}` }, adminToken)).body,
    ) as { code: string };
    const gatewayId = uuidv7();
    const creds = JSON.parse(
      (
        await json(c, 'POST', '/v1/gateways/enroll', {
          code: code.code,
          gatewayId,
          name: `bench ${g}`,
          platform: 'bench',
          appVersion: '0',
        })
      ).body,
    ) as { clientSecret: string };
    const token = (
      JSON.parse(
        (await json(c, 'POST', '/v1/gateways/token', { gatewayId, clientSecret: creds.clientSecret })).body,
      ) as { accessToken: string }
    ).accessToken;
    const patientId = uuidv7();
    await json(
      c,
      'POST',
      '/v1/patients',
      { id: patientId, studyCode: `B${patientId.slice(-10)}`, createdAtMs: T0 },
      token,
    );
    const recordingId = uuidv7();
    await json(
      c,
      'POST',
      '/v1/recordings',
      {
        id: recordingId,
        patientId,
        operator: { id: uuidv7(), name: 'bench' },
        devices: [],
        simulated: true,
        startedAtMs: T0,
        ecgSampleRateHz: ECG_RATE_HZ,
      },
      token,
    );
    const uploads: Upload[] = [];
    for (let r = 0; r < rounds; r++)
      uploads.push(...roundChunks(recordingId, r, g, ecg).map((chunk) => toUpload(r, chunk)));
    out.push({ token, recordingId, uploads });
  }
  return out;
}

/** Machine-wide CPU time (all cores, all processes: server, database, load generator) from /proc/stat; undefined off Linux. */
function machineCpu(): { busy: number; total: number } | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const idle = fields[3]! + (fields[4] ?? 0);
    const total = fields.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

function machineBusy(before: ReturnType<typeof machineCpu>): string {
  const after = machineCpu();
  if (!before || !after || after.total === before.total) return 'machine CPU use unknown';
  const share = (after.busy - before.busy) / (after.total - before.total);
  return `machine CPU ${(100 * share).toFixed(0)} % busy over ${availableParallelism()} cores`;
}

/** Latencies of one load shape, by stream. */
class Latencies {
  readonly all: number[] = [];
  /** Latencies of the uploads after each gateway's first round. */
  readonly afterFirstRound: number[] = [];
  private readonly byStream = new Map<string, number[]>();
  errors = 0;
  samples = 0;

  add(stream: string, ms: number, firstRound: boolean): void {
    this.all.push(ms);
    if (!firstRound) this.afterFirstRound.push(ms);
    const list = this.byStream.get(stream) ?? [];
    list.push(ms);
    this.byStream.set(stream, list);
  }

  p(p: number, list: number[] = this.all): number {
    return percentile(
      [...list].sort((a, b) => a - b),
      p,
    );
  }

  describe(): string {
    return [...this.byStream]
      .map(([stream, list]) => {
        const sorted = [...list].sort((a, b) => a - b);
        return `${stream} p50 ${percentile(sorted, 50).toFixed(0)} / p99 ${percentile(sorted, 99).toFixed(0)} ms`;
      })
      .join(', ');
  }
}

async function upload(
  c: Client,
  g: GatewaySetup,
  u: Upload,
  into: Latencies,
  firstRound: number,
): Promise<void> {
  const t0 = performance.now();
  const res = await send(
    c,
    'PUT',
    `/v1/recordings/${g.recordingId}/streams/${u.stream}/chunks/${u.index}`,
    {
      authorization: `Bearer ${g.token}`,
      'content-type': 'application/octet-stream',
      'x-chunk-sha256': u.sha256,
    },
    u.bytes,
  ).catch(() => ({ status: 0, body: '' }));
  into.add(u.stream, performance.now() - t0, u.round === firstRound);
  if (res.status !== 201) into.errors++;
  else into.samples += u.samples;
}

/** Closed loop: every gateway uploads its rounds [from, to) back to back. */
async function drain(c: Client, gateways: GatewaySetup[], from: number, to: number): Promise<Latencies> {
  const out = new Latencies();
  await Promise.all(
    gateways.map(async (g) => {
      for (const u of g.uploads) if (u.round >= from && u.round < to) await upload(c, g, u, out, from);
    }),
  );
  return out;
}

/**
 * Open loop: gateway k of n sends its round r at start + (k / n + r − from) × pace, whatever the
 * server is doing (a late answer delays only that gateway's next chunk of the same round).
 */
async function paced(
  c: Client,
  gateways: GatewaySetup[],
  from: number,
  to: number,
  paceMs: number,
): Promise<{ latencies: Latencies; lateSends: number }> {
  const out = new Latencies();
  const start = performance.now() + 50;
  let lateSends = 0;
  await Promise.all(
    gateways.map(async (g, k) => {
      for (let r = from; r < to; r++) {
        const due = start + (k / gateways.length + (r - from)) * paceMs;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        else lateSends++;
        for (const u of g.uploads) if (u.round === r) await upload(c, g, u, out, from);
      }
    }),
  );
  return { latencies: out, lateSends };
}

async function smallRequests(
  c: Client,
  token: string,
  total: number,
  concurrency: number,
): Promise<{ rps: number; errors: number }> {
  let next = 0;
  let errors = 0;
  const body = {
    appVersion: '0',
    backlogChunks: 3,
    backlogBytes: 1000,
    oldestPendingAtMs: null,
    sentAtMs: T0,
  };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const res = await json(c, 'POST', '/v1/gateways/heartbeat', body, token).catch(() => ({
          status: 0,
          body: '',
        }));
        if (res.status !== 200) errors++;
      }
    }),
  );
  return { rps: total / ((performance.now() - started) / 1000), errors };
}

interface StoreFigures {
  store: string;
  p99Ms50: number;
  drainP99Ms50: number;
  pacedP99Ms50: number;
  ratio50: number;
  /** Server CPU per chunk ÷ the raw bulk insert's CPU per chunk, at 50 gateways. */
  cpuRatio50: number;
  smallRps: number;
  errors: number;
}

/** Messages between this process and the server child. */
type ToServer = { type: 'raw'; recordings: RawItem[][] } | { type: 'mark' } | { type: 'stop' };
type FromServer =
  | { type: 'ready'; port: number }
  | { type: 'raw'; chunks: number; seconds: number; cpuMs: number }
  | ({ type: 'usage' } & UsageMark)
  | { type: 'stopped' }
  | { type: 'crashed'; code: number | null };

class ServerChild {
  private readonly waiting: ((m: FromServer) => void)[] = [];
  constructor(private readonly child: ChildProcess) {
    child.on('message', (m: FromServer) => this.waiting.shift()?.(m));
    // A crashed server must fail the run, not leave it waiting for a reply.
    child.on('exit', (code) => {
      if (code !== 0) for (const wake of this.waiting.splice(0)) wake({ type: 'crashed', code });
    });
  }
  static start(store: 'sqlite' | 'postgres', database: string, decodeWorkers: number): ServerChild {
    const child = fork(fileURLToPath(import.meta.url), [], {
      execArgv: process.execArgv,
      serialization: 'advanced',
      // the runtime settings production runs with (server/ops/runtime-env.ts)
      env: {
        ...withProductionRuntime(process.env),
        PULSEWATCH_BENCH_SERVER: `${store} ${database} ${decodeWorkers}`,
      },
    });
    return new ServerChild(child);
  }
  next(): Promise<FromServer> {
    return new Promise((r) => this.waiting.push(r));
  }
  async ask(message: ToServer): Promise<FromServer> {
    const reply = this.next();
    this.child.send(message);
    return reply;
  }
  /** Server usage since the previous call. */
  async usage(): Promise<UsageMark> {
    const reply = await this.ask({ type: 'mark' });
    if (reply.type !== 'usage') throw new Error(`server child: ${reply.type}`);
    return reply;
  }
}

/** Runs in the child: the real server over the store, plus the raw-insert ceiling on request. */
async function serverChild(spec: string): Promise<void> {
  const [kind, database, workers] = spec.split(' ') as ['sqlite' | 'postgres', string, string];
  const store = kind === 'sqlite' ? await openSqliteStore(database) : await openPostgresStore(database);
  const app = createApp({
    store,
    settings: SETTINGS,
    jwtSecret: randomBytes(32),
    fieldKey: randomBytes(32),
    metricsToken: randomBytes(24).toString('base64'),
    logger: createLogger('silent'),
    metrics: new Metrics({ defaultMetrics: false }),
    decodeWorkers: Number(workers),
  });
  await app.services.auth.createUser({
    username: 'bench-admin',
    displayName: 'Bench',
    role: 'admin',
    password: 'bench password 123',
  });
  const running = await serve(
    app,
    store,
    ConfigSchema.parse({ port: 0, host: '127.0.0.1' }),
    createLogger('silent'),
  );
  // Idle keep-alive sockets wait through the setup phases; the client closes them at the end.
  running.server.keepAliveTimeout = 600_000;
  const usage = usageMarks();
  const profile = drainProfiler(process.env.PULSEWATCH_BENCH_PROFILE, kind);
  process.on('message', (m: ToServer) => {
    if (m.type === 'raw')
      void rawInsert(store, m.recordings).then((r) => process.send?.({ type: 'raw', ...r }));
    else if (m.type === 'mark') {
      const marked = usage();
      void profile().then(() => process.send?.({ type: 'usage', ...marked }));
    } else void running.stop().then(() => process.send?.({ type: 'stopped' }, () => process.exit(0)));
  });
  process.send?.({ type: 'ready', port: Number(new URL(running.url).port) });
}

interface Plan {
  counts: number[];
  rounds: number;
  pacedRounds: number;
  paceMs: number;
  warmup: number;
  small: number;
  smallConcurrency: number;
  decodeWorkers: number;
  ecg: EcgSource;
}

/** Where one drain's time went: CPU ms per chunk of the server, the database server (PostgreSQL) and the load generator. */
function timeSplit(
  chunks: number,
  serverCpuMs: number,
  dbCpuMs: number | undefined,
  clientCpuMs: number,
): string {
  const per = (ms: number) => `${(ms / chunks).toFixed(2)} ms`;
  const db = dbCpuMs === undefined ? '' : `, database server ${per(dbCpuMs)}`;
  return `CPU per chunk: ingest server ${per(serverCpuMs)}${db}, load generator ${per(clientCpuMs)}`;
}

async function benchStore(
  name: 'sqlite' | 'postgres',
  database: string,
  plan: Plan,
  dbCpuMs: () => number | undefined = () => undefined,
): Promise<StoreFigures> {
  const server = ServerChild.start(name, database, plan.decodeWorkers);
  const ready = await server.next();
  if (ready.type !== 'ready') throw new Error('server child did not start');
  const c: Client = { port: ready.port, agent: new Agent({ keepAlive: true, maxSockets: 200 }) };
  const login = JSON.parse(
    (await json(c, 'POST', '/v1/auth/login', { username: 'bench-admin', password: 'bench password 123' }))
      .body,
  ) as { tokens: { accessToken: string } };
  const admin = login.tokens.accessToken;
  const figures: StoreFigures = {
    store: name,
    p99Ms50: 0,
    drainP99Ms50: 0,
    pacedP99Ms50: 0,
    ratio50: 0,
    cpuRatio50: 0,
    smallRps: 0,
    errors: 0,
  };
  if (plan.warmup > 0) {
    const warm = await drain(c, await setupGateways(c, admin, 10, plan.warmup, plan.ecg), 0, plan.warmup);
    figures.errors += warm.errors;
    console.log(`${name} warm-up (untimed): 10 gateways x ${plan.warmup} round(s), errors ${warm.errors}`);
  }
  for (const n of plan.counts) {
    const gateways = await setupGateways(c, admin, n, plan.rounds + plan.pacedRounds, plan.ecg);
    await server.usage();
    const clientCpu0 = process.cpuUsage();
    const machine0 = machineCpu();
    const db0 = dbCpuMs();
    const started = performance.now();
    const d = await drain(c, gateways, 0, plan.rounds);
    const seconds = (performance.now() - started) / 1000;
    const usage = await server.usage();
    const clientCpu = process.cpuUsage(clientCpu0);
    const db1 = dbCpuMs();
    const machine = machineBusy(machine0);
    const dbRaw0 = dbCpuMs();
    const raw = await server.ask({
      type: 'raw',
      recordings: gateways.map((g) =>
        g.uploads.map((u) => ({ stream: u.stream, index: u.index, bytes: u.bytes, sha256: u.sha256 })),
      ),
    });
    if (raw.type !== 'raw') throw new Error(`server child: ${raw.type}`);
    const dbRaw1 = dbCpuMs();
    const chunks = d.all.length;
    const serverRate = chunks / seconds;
    const rawRate = raw.chunks / raw.seconds;
    const cpuRatio = usage.cpuMs / chunks / (raw.cpuMs / raw.chunks);
    figures.errors += d.errors;
    console.log(
      `${name} gateways=${n} backlog drain: ${chunks} chunks in ${seconds.toFixed(2)} s = ${serverRate.toFixed(1)} chunks/s, ${(d.samples / seconds / 1e6).toFixed(2)} M samples/s, p50 ${d.p(50).toFixed(1)} ms, p99 ${d.p(99).toFixed(1)} ms (after each gateway's first round, when they no longer start at the same instant: p99 ${d.p(99, d.afterFirstRound).toFixed(1)} ms), errors ${d.errors} (${d.describe()})`,
    );
    console.log(
      `${name} gateways=${n} server CPU ${(usage.cpuMs / chunks).toFixed(2)} ms per chunk (all threads; ${(usage.systemMs / chunks).toFixed(2)} ms of it in the kernel${usage.mainCpuMs === undefined ? '' : `; main thread ${(usage.mainCpuMs / chunks).toFixed(2)} ms, decode workers and other threads ${((usage.cpuMs - usage.mainCpuMs) / chunks).toFixed(2)} ms (busiest: ${usage.otherThreadsMs.map((ms) => (ms / chunks).toFixed(2)).join(', ')})`}), main thread busy ${((100 * usage.mainBusyMs) / (seconds * 1000)).toFixed(0)} %, event-loop delay p99 ${usage.loopDelayP99Ms.toFixed(0)} ms / max ${usage.loopDelayMaxMs.toFixed(0)} ms; load generator ${((clientCpu.user + clientCpu.system) / 1000 / chunks).toFixed(2)} ms CPU per chunk; ${machine}; raw bulk insert ${rawRate.toFixed(1)} chunks/s, ${(raw.cpuMs / raw.chunks).toFixed(2)} ms CPU per chunk; ratio ${(serverRate / rawRate).toFixed(2)}; server CPU per chunk ${cpuRatio.toFixed(2)}x the raw insert's`,
    );
    const clientCpuMs = (clientCpu.user + clientCpu.system) / 1000;
    const dbMs = db0 === undefined || db1 === undefined ? undefined : db1 - db0;
    console.log(`${name} gateways=${n} drain ${timeSplit(chunks, usage.cpuMs, dbMs, clientCpuMs)}`);
    if (dbMs !== undefined && dbRaw0 !== undefined && dbRaw1 !== undefined) {
      // SQLite's engine runs inside both the server and the raw insert; PostgreSQL's in its own
      // processes, which the headline ratio leaves out on both sides. This line counts them in.
      const serverTotal = (usage.cpuMs + dbMs) / chunks;
      const rawTotal = (raw.cpuMs + dbRaw1 - dbRaw0) / raw.chunks;
      console.log(
        `${name} gateways=${n} with the database server's CPU on both sides: server + database ${serverTotal.toFixed(2)} ms per chunk, raw insert + database ${rawTotal.toFixed(2)} ms, ratio ${(serverTotal / rawTotal).toFixed(2)}x`,
      );
    }
    let pacedP99 = 0;
    if (plan.pacedRounds > 0) {
      const { latencies: pl, lateSends } = await paced(
        c,
        gateways,
        plan.rounds,
        plan.rounds + plan.pacedRounds,
        plan.paceMs,
      );
      const rate = pl.all.length / ((plan.pacedRounds * plan.paceMs) / 1000);
      figures.errors += pl.errors;
      pacedP99 = pl.p(99);
      console.log(
        `${name} gateways=${n} paced (one round per gateway every ${plan.paceMs / 1000} s, ${(60_000 / plan.paceMs).toFixed(0)}x real time, ${rate.toFixed(1)} chunks/s offered): p50 ${pl.p(50).toFixed(1)} ms, p99 ${pacedP99.toFixed(1)} ms, errors ${pl.errors}, sends behind schedule ${lateSends} (${pl.describe()})`,
      );
    }
    if (n === 50 || plan.counts.length === 1) {
      figures.p99Ms50 = Math.max(d.p(99), pacedP99);
      figures.drainP99Ms50 = d.p(99);
      figures.pacedP99Ms50 = pacedP99;
      figures.ratio50 = serverRate / rawRate;
      figures.cpuRatio50 = cpuRatio;
    }
  }
  const heartbeatGateway = (await setupGateways(c, admin, 1, 0, plan.ecg))[0]!;
  const s = await smallRequests(c, heartbeatGateway.token, plan.small, plan.smallConcurrency);
  figures.smallRps = s.rps;
  figures.errors += s.errors;
  console.log(
    `${name} small requests (authenticated heartbeat, ${plan.smallConcurrency} concurrent): ${s.rps.toFixed(0)} req/s, errors ${s.errors}`,
  );
  c.agent.destroy();
  await server.ask({ type: 'stop' });
  return figures;
}

export async function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  let ecg: EcgSource = syntheticSource;
  let ecgNote = 'synthetic spike train (LUDB not found: pass --data or set PULSEWATCH_DATA for real ECG)';
  try {
    const dir = join(databaseDir(options, 'ludb'), 'data');
    if (existsSync(dir)) {
      ecg = ludbSource(dir);
      ecgNote = `LUDB records 1-100 from ${dir}, a different stretch per gateway and round`;
    }
  } catch {
    // No data folder: the synthetic signal, as the note says.
  }
  const plan: Plan = {
    counts: (options.get('gateways') ?? '10,50,100').split(',').map(Number),
    rounds: Number(options.get('rounds') ?? 4),
    pacedRounds: Number(options.get('paced-rounds') ?? 2),
    paceMs: Number(options.get('pace-seconds') ?? 6) * 1000,
    warmup: Number(options.get('warmup') ?? 1),
    small: Number(options.get('small') ?? 4000),
    smallConcurrency: Number(options.get('small-concurrency') ?? 50),
    decodeWorkers: Number(options.get('decode-workers') ?? ConfigSchema.parse({}).decodeWorkers),
    ecg,
  };
  const stores = (options.get('stores') ?? 'sqlite,postgres').split(',');
  console.log(
    `ingest: gateways ${plan.counts.join(', ')}; per gateway and round of 60 s: 1 ECG chunk (8 ch x 500 Hz), 1 hr chunk (60 records), 1 accel chunk (3 x 12.5 Hz); ECG: ${ecgNote}; backlog drain of ${plan.rounds} round(s), then ${plan.pacedRounds} paced round(s) every ${plan.paceMs / 1000} s; warm-up ${plan.warmup} round(s) on 10 gateways; stores ${stores.join(', ')}; loopback HTTP; ${plan.small} small requests; ${plan.decodeWorkers} server decode worker(s)`,
  );
  if (options.has('replicas')) await runReplicas(options);
  const results: StoreFigures[] = [];
  for (const name of stores) {
    if (name === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'pulsewatch-bench-'));
      results.push(await benchStore('sqlite', join(dir, 'bench.sqlite'), plan));
      rmSync(dir, { recursive: true, force: true });
    } else if (name === 'postgres') {
      const pg: RunningPostgres = await startPostgres();
      try {
        const database = await pg.createDatabase('bench');
        const dbCpu = () => {
          const pid = postmasterPid(pg.dataDir);
          return pid === undefined ? undefined : treeCpuMs(pid);
        };
        results.push(await benchStore('postgres', database, plan, dbCpu));
      } finally {
        await pg.stop();
      }
    } else throw new Error(`unknown store ${name}`);
  }
  console.log(
    'headline: p99Ms50 is the worse of backlog drain and paced at 50 gateways, worst store; cpuPerChunkRatio is server CPU per chunk / raw insert CPU per chunk at 50 gateways, worst store',
  );
  const round1 = (v: number) => Math.round(v * 10) / 10;
  const drainOf = (store: string) => results.find((r) => r.store === store)?.drainP99Ms50;
  const sqliteDrain = drainOf('sqlite');
  const postgresDrain = drainOf('postgres');
  printHeadline({
    p99Ms50: round1(Math.max(...results.map((r) => r.p99Ms50))),
    ...(sqliteDrain === undefined ? {} : { sqliteDrainP99Ms50: round1(sqliteDrain) }),
    ...(postgresDrain === undefined ? {} : { postgresDrainP99Ms50: round1(postgresDrain) }),
    pacedP99Ms50: round1(Math.max(...results.map((r) => r.pacedP99Ms50))),
    errors: results.reduce((a, r) => a + r.errors, 0),
    ratioToRawDb: Math.round(Math.min(...results.map((r) => r.ratio50)) * 100) / 100,
    cpuPerChunkRatio: Math.round(Math.max(...results.map((r) => r.cpuRatio50)) * 100) / 100,
    smallRps: Math.round(Math.min(...results.map((r) => r.smallRps))),
    ...replicaHeadline(),
  });
}

const childSpec = process.env.PULSEWATCH_BENCH_SERVER;
if (childSpec !== undefined) await serverChild(childSpec);
