/**
 * `bench ingest --replicas N`: the ingest server as N replica processes on one PostgreSQL
 * (embedded, 15.x), each the real server (createApp + serve) with the same secrets, all started at
 * once (their migrations serialise on the advisory lock). The load generator spreads requests
 * over the replicas round-robin, as a proxy does, without a proxy's own cost. A backlog drain
 * (every gateway uploads its rounds back to back: one 60-s 8-lead ECG chunk and one hr chunk per
 * round) and authenticated heartbeats, first on 1 replica then on N, each on a fresh database:
 * per-replica and total figures, and the total rate on N as a ratio to 1 in the same run.
 * Options: --replicas N  --replica-gateways 50  --replica-rounds 3  --replica-small 2000
 *          --replica-decode-workers 1 (per replica)
 */
import { randomBytes } from 'node:crypto';
import { fork, type ChildProcess } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { v7 as uuidv7 } from 'uuid';
import { createApp } from '../server/app.js';
import { ConfigSchema } from '../server/config.js';
import { createLogger } from '../server/ops/logger.js';
import { Metrics } from '../server/ops/metrics.js';
import { serve } from '../server/serve.js';
import { openPostgresStore } from '../server/store/postgres.js';
import { startPostgres } from '../test/integration/server/embedded-pg.js';
import { ecgChunk, encoded, hrChunk, T0 } from '../test/integration/server/harness.js';
import { withProductionRuntime } from '../server/ops/runtime-env.js';
import { usageMarks } from './_proc-cpu.js';

const ADMIN = { username: 'bench-admin', password: 'bench password 123' };

interface Usage {
  cpuMs: number;
  mainBusyMs: number;
}
type FromReplica = { type: 'ready'; port: number } | ({ type: 'usage' } & Usage) | { type: 'stopped' };

/** One replica child and its replies, in order. */
class Replica {
  private readonly waiting: ((m: FromReplica) => void)[] = [];
  port = 0;
  constructor(private readonly child: ChildProcess) {
    child.on('message', (m: FromReplica) => this.waiting.shift()?.(m));
    child.on('exit', (code) => {
      if (code !== 0) for (const wake of this.waiting.splice(0)) wake({ type: 'stopped' });
    });
  }
  next(): Promise<FromReplica> {
    return new Promise((r) => this.waiting.push(r));
  }
  async usage(): Promise<Usage> {
    const reply = this.next();
    this.child.send('mark');
    const m = await reply;
    if (m.type !== 'usage') throw new Error(`replica: ${m.type}`);
    return m;
  }
  async stop(): Promise<void> {
    const reply = this.next();
    this.child.send('stop');
    await reply;
  }
}

async function startReplicas(count: number, databaseUrl: string, decodeWorkers: number): Promise<Replica[]> {
  const secrets = [randomBytes(32), randomBytes(32), randomBytes(24)].map((b) => b.toString('base64'));
  const replicas = Array.from({ length: count }, (_, i) => {
    const child = fork(fileURLToPath(import.meta.url), [], {
      execArgv: process.execArgv,
      env: {
        ...withProductionRuntime(process.env),
        PULSEWATCH_BENCH_REPLICA: JSON.stringify({ databaseUrl, decodeWorkers, secrets, admin: i === 0 }),
      },
    });
    return new Replica(child);
  });
  await Promise.all(
    replicas.map(async (r) => {
      const ready = await r.next();
      if (ready.type !== 'ready') throw new Error('a replica did not start');
      r.port = ready.port;
    }),
  );
  return replicas;
}

/** Runs in a child: one replica. */
async function replicaChild(spec: string): Promise<void> {
  const s = JSON.parse(spec) as {
    databaseUrl: string;
    decodeWorkers: number;
    secrets: string[];
    admin: boolean;
  };
  const store = await openPostgresStore(s.databaseUrl);
  const [jwt, field, metrics] = s.secrets.map((b) => Buffer.from(b, 'base64'));
  const config = ConfigSchema.parse({
    port: 0,
    rateLimitPerMin: 10_000_000,
    anonRateLimitPerMin: 10_000_000,
  });
  const app = createApp({
    store,
    settings: config,
    jwtSecret: jwt!,
    fieldKey: field!,
    metricsToken: metrics!.toString('base64'),
    logger: createLogger('silent'),
    metrics: new Metrics({ defaultMetrics: false }),
    decodeWorkers: s.decodeWorkers,
  });
  if (s.admin) await app.services.auth.createUser({ ...ADMIN, displayName: 'Bench', role: 'admin' });
  const running = await serve(app, store, config, createLogger('silent'));
  running.server.keepAliveTimeout = 600_000;
  const usage = usageMarks();
  process.on('message', (m: string) => {
    if (m === 'mark') {
      process.send?.({ type: 'usage', ...usage() });
    } else void running.stop().then(() => process.send?.({ type: 'stopped' }, () => process.exit(0)));
  });
  process.send?.({ type: 'ready', port: Number(new URL(running.url).port) });
}

/** Spreads requests over the replicas round-robin, one kept-alive agent per replica. */
class Spreader {
  private turn = 0;
  readonly latencies: number[][];
  readonly agents: Agent[];
  errors = 0;
  constructor(private readonly ports: number[]) {
    this.latencies = ports.map(() => []);
    this.agents = ports.map(() => new Agent({ keepAlive: true, maxSockets: 200 }));
  }
  async send(method: string, path: string, headers: Record<string, string>, body: Buffer): Promise<string> {
    const i = this.turn++ % this.ports.length;
    const t0 = performance.now();
    const res = await new Promise<{ status: number; text: string }>((done) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: this.ports[i], method, path, agent: this.agents[i], headers },
        (r) => {
          const parts: Buffer[] = [];
          r.on('data', (d: Buffer) => parts.push(d));
          r.on('end', () => done({ status: r.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8') }));
        },
      );
      req.on('error', () => done({ status: 0, text: '' }));
      req.end(body);
    });
    this.latencies[i]!.push(performance.now() - t0);
    if (res.status < 200 || res.status > 201) this.errors++;
    return res.text;
  }
  json(method: string, path: string, value: unknown, token?: string): Promise<string> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    return this.send(method, path, headers, Buffer.from(JSON.stringify(value)));
  }
  close(): void {
    for (const a of this.agents) a.destroy();
  }
}

interface Gateway {
  token: string;
  uploads: { path: string; bytes: Buffer; sha256: string }[];
}

async function setup(http: Spreader, gateways: number, rounds: number): Promise<Gateway[]> {
  const admin = (
    JSON.parse(await http.json('POST', '/v1/auth/login', ADMIN)) as { tokens: { accessToken: string } }
  ).tokens.accessToken;
  const out: Gateway[] = [];
  for (let g = 0; g < gateways; g++) {
    const { code } = JSON.parse(
      await http.json('POST', '/v1/enrollment-codes', { label: `b${g}` }, admin),
    ) as {
      code: string;
    };
    const gatewayId = uuidv7();
    const enrolled = { code, gatewayId, name: `b${g}`, platform: 'bench', appVersion: '0' };
    const { clientSecret } = JSON.parse(await http.json('POST', '/v1/gateways/enroll', enrolled)) as {
      clientSecret: string;
    };
    const { accessToken: token } = JSON.parse(
      await http.json('POST', '/v1/gateways/token', { gatewayId, clientSecret }),
    ) as { accessToken: string };
    const patientId = uuidv7();
    await http.json(
      'POST',
      '/v1/patients',
      { id: patientId, studyCode: `R${patientId.slice(-10)}`, createdAtMs: T0 },
      token,
    );
    const recordingId = uuidv7();
    const recording = {
      id: recordingId,
      patientId,
      operator: { id: uuidv7(), name: 'bench' },
      devices: [],
      simulated: true,
      startedAtMs: T0,
      ecgSampleRateHz: 500,
    };
    await http.json('POST', '/v1/recordings', recording, token);
    const uploads = [];
    for (let r = 0; r < rounds; r++) {
      for (const [stream, chunk] of [
        ['ecg', ecgChunk(recordingId, r, { seconds: 60 })],
        ['hr', hrChunk(recordingId, r)],
      ] as const) {
        const { bytes, sha256 } = encoded(chunk);
        uploads.push({ path: `/v1/recordings/${recordingId}/streams/${stream}/chunks/${r}`, bytes, sha256 });
      }
    }
    out.push({ token, uploads });
  }
  return out;
}

function p(list: number[], pct: number): number {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted.length === 0
    ? 0
    : sorted[Math.min(sorted.length - 1, Math.floor((pct / 100) * sorted.length))]!;
}

interface Outcome {
  chunksPerS: number;
  smallRps: number;
  errors: number;
}

async function measure(count: number, o: Map<string, string>): Promise<Outcome> {
  const gatewaysN = Number(o.get('replica-gateways') ?? 50);
  const rounds = Number(o.get('replica-rounds') ?? 3);
  const small = Number(o.get('replica-small') ?? 2000);
  const pg = await startPostgres();
  try {
    const replicas = await startReplicas(
      count,
      await pg.createDatabase(`replicas${count}`),
      Number(o.get('replica-decode-workers') ?? 1),
    );
    const http = new Spreader(replicas.map((r) => r.port));
    const gateways = await setup(http, gatewaysN, rounds);
    http.latencies.forEach((l) => l.splice(0));
    for (const r of replicas) await r.usage();
    const started = performance.now();
    await Promise.all(
      gateways.map(async (g) => {
        for (const u of g.uploads)
          await http.send(
            'PUT',
            u.path,
            {
              authorization: `Bearer ${g.token}`,
              'content-type': 'application/octet-stream',
              'x-chunk-sha256': u.sha256,
            },
            u.bytes,
          );
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const usages: Usage[] = [];
    for (const r of replicas) usages.push(await r.usage());
    const all = http.latencies.flat();
    console.log(
      `replicas=${count} total backlog drain: ${gatewaysN} gateways x ${rounds} rounds, ${all.length} chunks in ${seconds.toFixed(2)} s = ${(all.length / seconds).toFixed(1)} chunks/s, p50 ${p(all, 50).toFixed(1)} ms, p99 ${p(all, 99).toFixed(1)} ms, errors ${http.errors}`,
    );
    http.latencies.forEach((l, i) =>
      console.log(
        `replicas=${count} replica ${i + 1}: ${l.length} chunks, p50 ${p(l, 50).toFixed(1)} ms, p99 ${p(l, 99).toFixed(1)} ms, CPU ${(usages[i]!.cpuMs / Math.max(1, l.length)).toFixed(2)} ms per chunk (all threads), main thread busy ${((100 * usages[i]!.mainBusyMs) / (seconds * 1000)).toFixed(0)} %`,
      ),
    );
    const chunksPerS = all.length / seconds;
    http.latencies.forEach((l) => l.splice(0));
    const beat = {
      appVersion: '0',
      backlogChunks: 0,
      backlogBytes: 0,
      oldestPendingAtMs: null,
      sentAtMs: T0,
    };
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 50 }, async (_, k) => {
        while (next++ < small)
          await http.json('POST', '/v1/gateways/heartbeat', beat, gateways[k % gateways.length]!.token);
      }),
    );
    const smallRps = small / ((performance.now() - t0) / 1000);
    console.log(
      `replicas=${count} small requests (authenticated heartbeat, 50 concurrent): ${smallRps.toFixed(0)} req/s in all (${http.latencies.map((l, i) => `replica ${i + 1}: ${l.length}, p99 ${p(l, 99).toFixed(1)} ms`).join('; ')})`,
    );
    http.close();
    await Promise.all(replicas.map((r) => r.stop()));
    return { chunksPerS, smallRps, errors: http.errors };
  } finally {
    await pg.stop();
  }
}

let headline: Record<string, number> = {};

/** Runs the replica phase; its headline keys are then in {@link replicaHeadline}. */
export async function runReplicas(o: Map<string, string>): Promise<void> {
  const n = Number(o.get('replicas'));
  if (!Number.isInteger(n) || n < 1)
    throw new Error('--replicas needs a whole number of replicas, 1 or more');
  console.log(
    `replicas: ${n} server processes on one embedded PostgreSQL, requests spread round-robin by the load generator; baseline 1 replica in the same run; ${availableParallelism()} cores shared by every process (replicas, database, load generator)`,
  );
  const one = await measure(1, o);
  const many = n === 1 ? one : await measure(n, o);
  console.log(
    `replicas=${n} vs 1: drain ${(many.chunksPerS / one.chunksPerS).toFixed(2)}x, small requests ${(many.smallRps / one.smallRps).toFixed(2)}x (one machine: replicas share its cores, so this shows the overhead of sharing state, not the gain of more machines)`,
  );
  headline = {
    replicas: n,
    replicaErrors: one.errors + (n === 1 ? 0 : many.errors),
    replicaChunksPerS: Math.round(many.chunksPerS * 10) / 10,
    replicaScaling: Math.round((many.chunksPerS / one.chunksPerS) * 100) / 100,
  };
}

/** Headline keys of the replica phase (empty when it did not run). */
export function replicaHeadline(): Record<string, number> {
  return headline;
}

const spec = process.env.PULSEWATCH_BENCH_REPLICA;
if (spec !== undefined) await replicaChild(spec);
