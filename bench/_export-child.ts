/**
 * One export of the export benchmark, in its own process: opens the store, serves the app on
 * 127.0.0.1, signs a researcher in, downloads the export with a streaming client that only counts
 * bytes (or writes them for `--out`), and reports wall time and peak RSS (sampled every 50 ms).
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { get, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { createApp } from '../server/app.js';
import { createLogger } from '../server/ops/logger.js';
import { Metrics } from '../server/ops/metrics.js';
import type { Store } from '../server/store/store.js';
import { ConfigSchema } from '../server/config.js';

export const CHILD_ENV = 'PULSEWATCH_BENCH_EXPORT';

export interface ChildJob {
  dialect: 'sqlite' | 'postgres';
  database: string;
  format: 'csv' | 'wfdb' | 'edf' | 'fhir';
  patientId: string;
  recordingId: string;
  durationMs: number;
  /** Write the export up to `outToMs` to this folder instead of timing the whole recording. */
  out?: string;
  outToMs?: number;
}

export interface ChildResult {
  dialect: string;
  format: string;
  bytes: number;
  ms: number;
  peakRssMb: number;
  startRssMb: number;
  /** V8 heap used/total, external and ArrayBuffer memory (MB) when the RSS peaked. */
  peakDetail: string;
}

function login(port: number, username: string, password: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/auth/login',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () =>
          resolve((JSON.parse(text) as { tokens: { accessToken: string } }).tokens.accessToken),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ username, password }));
  });
}

function download(port: number, path: string, token: string, onData: (piece: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    get(
      { host: '127.0.0.1', port, path, headers: { authorization: `Bearer ${token}` } },
      (res: IncomingMessage) => {
        if (res.statusCode !== 200) reject(new Error(`export answered ${res.statusCode}`));
        res.on('data', onData);
        res.on('end', resolve);
        res.on('error', reject);
      },
    ).on('error', reject);
  });
}

function exportPath(job: ChildJob): string {
  const q = new URLSearchParams({ format: job.format, recordingId: job.recordingId });
  if (job.format === 'csv') q.set('series', 'ecg');
  if (job.outToMs !== undefined) q.set('toMs', String(job.outToMs));
  return `/v1/exports?${q.toString()}`;
}

const MB = 1e6;

/** Only the store this export reads is loaded (a server is configured with one). */
async function openStore(job: ChildJob): Promise<Store> {
  if (job.dialect === 'sqlite')
    return (await import('../server/store/sqlite.js')).openSqliteStore(job.database);
  return (await import('../server/store/postgres.js')).openPostgresStore(job.database);
}

export async function runChild(job: ChildJob): Promise<void> {
  const startRss = process.memoryUsage.rss();
  let peak = startRss;
  let detail = '';
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    if (m.rss > peak) {
      peak = m.rss;
      detail = `heap ${(m.heapUsed / MB).toFixed(0)}/${(m.heapTotal / MB).toFixed(0)} external ${(m.external / MB).toFixed(0)} arrayBuffers ${(m.arrayBuffers / MB).toFixed(0)}`;
    }
  }, 50);
  const store = await openStore(job);
  const app = createApp({
    store,
    // The server's default configuration (a Config is a superset of the app's settings).
    settings: ConfigSchema.parse({ host: '127.0.0.1' }),
    jwtSecret: randomBytes(32),
    fieldKey: randomBytes(32),
    metricsToken: randomBytes(18).toString('base64url'),
    logger: createLogger('warn'),
    metrics: new Metrics({ defaultMetrics: false }),
    scryptCost: { n: 2 ** 10, r: 8, p: 1 },
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as AddressInfo).port;
  const username = `researcher-${randomBytes(4).toString('hex')}`;
  await app.services.auth.createUser({
    username,
    displayName: 'bench',
    role: 'researcher',
    password: 'bench password 123',
  });
  const token = await login(port, username, 'bench password 123');
  let bytes = 0;
  const started = performance.now();
  if (job.out === undefined) {
    await download(port, exportPath(job), token, (piece) => (bytes += piece.length));
  } else {
    const parts: Buffer[] = [];
    const file =
      job.format === 'wfdb'
        ? undefined
        : createWriteStream(join(job.out, `recording.${job.format === 'fhir' ? 'fhir.json' : job.format}`));
    await download(port, exportPath(job), token, (piece) => (file ? file.write(piece) : parts.push(piece)));
    await new Promise((r) => (file ? file.end(r) : r(undefined)));
    if (job.format === 'wfdb') {
      mkdirSync(job.out, { recursive: true });
      for (const [name, data] of Object.entries(unzipSync(Buffer.concat(parts))))
        writeFileSync(join(job.out, name), data);
    }
  }
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  server.close();
  await store.close();
  const result: ChildResult = {
    dialect: job.dialect,
    format: job.format,
    bytes,
    ms,
    peakRssMb: peak / MB,
    startRssMb: startRss / MB,
    peakDetail: detail,
  };
  process.send?.(result);
  process.exit(0);
}
