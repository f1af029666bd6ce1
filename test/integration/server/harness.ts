/**
 * Test harness for the ingest server: an app over a fresh SQLite (or given) store, with helpers
 * to sign in staff, enroll gateways and build real encoded chunks with the contract's codec.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import request from 'supertest';
import { v7 as uuidv7 } from 'uuid';
import {
  chunkSha256Hex,
  encodeChunk,
  type Chunk,
  type RecordsChunk,
  type SampledChunk,
} from '../../../server-contract/codec/index.js';
import { createApp, type AppSettings, type PulseWatchApp } from '../../../server/app.js';
import { createLogger } from '../../../server/ops/logger.js';
import { Metrics } from '../../../server/ops/metrics.js';
import { openSqliteStore } from '../../../server/store/sqlite.js';
import type { Store } from '../../../server/store/store.js';

export const T0 = 1_763_700_000_000;
export const PASSWORD = 'correct horse battery staple';
/** The scrape token of every test server's `/metrics`. */
export const METRICS_TOKEN = 'metrics-scrape-token-for-tests';

export const TEST_SETTINGS: AppSettings = {
  corsOrigins: ['https://viewer.example.org'],
  trustProxy: false,
  bodyLimitBytes: 10 * 1024 * 1024,
  jsonLimitBytes: 1024 * 1024,
  rateLimitPerMin: 100_000,
  anonRateLimitPerMin: 100_000,
  accessTokenTtlS: 900,
  refreshTokenTtlS: 86_400,
  maxFailedLogins: 3,
  lockoutBaseS: 60,
};

export interface TestServer {
  app: PulseWatchApp;
  store: Store;
  http: ReturnType<typeof request>;
  /** Log lines the server wrote (JSON text). */
  logs: string[];
  clock: { nowMs: number };
  close(): Promise<void>;
}

export async function startTestServer(
  options: {
    settings?: Partial<AppSettings>;
    store?: Store;
    bodyIdleTimeoutMs?: number;
    bodyMinBytesPerS?: number;
    bodyRateGraceMs?: number;
    decodeWorkers?: number;
  } = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'pulsewatch-app-'));
  const store = options.store ?? (await openSqliteStore(join(dir, 'db.sqlite')));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const clock = { nowMs: Date.now() };
  const app = createApp({
    store,
    settings: { ...TEST_SETTINGS, ...options.settings },
    jwtSecret: randomBytes(32),
    fieldKey: randomBytes(32),
    metricsToken: METRICS_TOKEN,
    logger: createLogger('info', sink),
    metrics: new Metrics({ defaultMetrics: false }),
    now: () => clock.nowMs,
    validateResponses: true,
    scryptCost: { n: 2 ** 10, r: 8, p: 1 },
    decodeWorkers: options.decodeWorkers ?? 0,
    ...(options.bodyIdleTimeoutMs === undefined ? {} : { bodyIdleTimeoutMs: options.bodyIdleTimeoutMs }),
    ...(options.bodyMinBytesPerS === undefined ? {} : { bodyMinBytesPerS: options.bodyMinBytesPerS }),
    ...(options.bodyRateGraceMs === undefined ? {} : { bodyRateGraceMs: options.bodyRateGraceMs }),
  });
  return {
    app,
    store,
    http: request(app.callback()),
    logs,
    clock,
    async close() {
      await app.services.decoder?.close();
      if (!options.store) await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates a staff user directly and signs in; returns the access token. */
export async function staffToken(
  t: TestServer,
  role: 'admin' | 'clinician' | 'researcher',
  username = `${role}-${uuidv7().slice(-8)}`,
): Promise<string> {
  await t.app.services.auth.createUser({ username, displayName: role, role, password: PASSWORD });
  const res = await t.http.post('/v1/auth/login').send({ username, password: PASSWORD });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { tokens: { accessToken: string } }).tokens.accessToken;
}

export interface EnrolledGateway {
  id: string;
  secret: string;
  token: string;
}

/** Issues a code as `adminToken`, enrolls a new gateway with it and gets its access token. */
export async function enrollGateway(
  t: Pick<TestServer, 'http'>,
  adminToken: string,
): Promise<EnrolledGateway> {
  const code = await t.http
    .post('/v1/enrollment-codes')
    .set('authorization', `Bearer ${adminToken}`)
    .send({ label: 'Desk 1' });
  const id = uuidv7();
  const enrolled = await t.http.post('/v1/gateways/enroll').send({
    code: (code.body as { code: string }).code,
    gatewayId: id,
    name: 'Desk 1',
    platform: 'linux',
    appVersion: '0.1.0',
  });
  const secret = (enrolled.body as { clientSecret: string }).clientSecret;
  const token = await t.http.post('/v1/gateways/token').send({ gatewayId: id, clientSecret: secret });
  return { id, secret, token: (token.body as { accessToken: string }).accessToken };
}

/** The `items` of a page or list body. */
export function items<T>(body: unknown): T[] {
  return (body as { items: T[] }).items;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export async function createPatientAndRecording(
  t: Pick<TestServer, 'http'>,
  gatewayToken: string,
  overrides: { simulated?: boolean } = {},
) {
  const patientId = uuidv7();
  const studyCode = `P${uuidv7().slice(-6)}`;
  const p = await t.http
    .post('/v1/patients')
    .set(bearer(gatewayToken))
    .send({ id: patientId, studyCode, createdAtMs: T0, ageYears: 60, sex: 'male' });
  if (p.status !== 201) throw new Error(`patient: ${p.status} ${JSON.stringify(p.body)}`);
  const recordingId = uuidv7();
  const r = await t.http
    .post('/v1/recordings')
    .set(bearer(gatewayToken))
    .send({
      id: recordingId,
      patientId,
      operator: { id: uuidv7(), name: 'Nurse A' },
      devices: [{ kind: 'ecg12', serial: 'ECG-1', simulated: overrides.simulated ?? true }],
      simulated: overrides.simulated ?? true,
      startedAtMs: T0,
      ecgSampleRateHz: 500,
    });
  if (r.status !== 201) throw new Error(`recording: ${r.status} ${JSON.stringify(r.body)}`);
  return { patientId, studyCode, recordingId };
}

/** A 60-s-per-chunk style ECG chunk: 8 channels of deterministic counts. */
export function ecgChunk(
  recordingId: string,
  index: number,
  options: {
    sampleRateHz?: number;
    seconds?: number;
    gaps?: { atSample: number; lengthSamples: number; cause: string }[];
  } = {},
): SampledChunk {
  const rate = options.sampleRateHz ?? 500;
  const count = Math.round(rate * (options.seconds ?? 2));
  const leads = ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];
  return {
    header: {
      kind: 'sampled',
      recordingId,
      stream: 'ecg',
      chunkIndex: index,
      anchorMs: T0,
      // Earlier chunks of the run are assumed gap-free.
      firstSampleIndex: index * count,
      sampleRateHz: rate,
      channels: leads.map((name) => ({ name, scale: { unit: 'nV', perCount: 476.84 } })),
      sampleCount: count,
      gaps: options.gaps ?? [],
    },
    samples: leads.map((_, c) =>
      Int32Array.from({ length: count }, (_, i) => Math.round(1000 * Math.sin((i + index * count) / 50 + c))),
    ),
  };
}

export function hrChunk(recordingId: string, index: number, count = 60): RecordsChunk {
  const start = T0 + index * 60_000;
  return {
    header: {
      kind: 'records',
      recordingId,
      stream: 'hr',
      chunkIndex: index,
      anchorMs: start,
      recordCount: count,
    },
    records: Array.from({ length: count }, (_, i) => ({
      tMs: start + i * 1000,
      bpm: 60 + (i % 30),
      confidence: 80 + (i % 20),
    })),
  };
}

/** Watch battery records every 10 s, charging on every other one, starting one minute per index after T0. */
export function batteryChunk(recordingId: string, index: number, count = 3): RecordsChunk {
  const start = T0 + index * 60_000;
  return {
    header: {
      kind: 'records',
      recordingId,
      stream: 'battery',
      chunkIndex: index,
      anchorMs: start,
      recordCount: count,
    },
    records: Array.from({ length: count }, (_, i) => ({
      tMs: start + i * 10_000,
      pct: 90 - i,
      charging: i % 2 === 1,
    })),
  };
}

export function accelChunk(recordingId: string, index: number, seconds = 4): SampledChunk {
  const rate = 12.5;
  const count = seconds * rate;
  return {
    header: {
      kind: 'sampled',
      recordingId,
      stream: 'accel',
      chunkIndex: index,
      anchorMs: T0,
      firstSampleIndex: index * count,
      sampleRateHz: rate,
      channels: ['x', 'y', 'z'].map((name) => ({ name, scale: { unit: 'mg', perCount: 1 } })),
      sampleCount: count,
      gaps: [],
    },
    samples: [0, 1, 2].map((axis) =>
      Int32Array.from({ length: count }, (_, i) => (axis === 2 ? 1000 : 0) + ((i * 7 + axis) % 50) - 25),
    ),
  };
}

export function encoded(chunk: Chunk): { bytes: Buffer; sha256: string } {
  const bytes = Buffer.from(encodeChunk(chunk));
  return { bytes, sha256: chunkSha256Hex(bytes) };
}

/** PUTs a chunk as the uploader does. */
export function putChunk(
  t: Pick<TestServer, 'http'>,
  token: string,
  recordingId: string,
  stream: string,
  index: number,
  bytes: Buffer,
  sha256: string,
) {
  return t.http
    .put(`/v1/recordings/${recordingId}/streams/${stream}/chunks/${index}`)
    .set(bearer(token))
    .set('content-type', 'application/octet-stream')
    .set('x-chunk-sha256', sha256)
    .send(bytes);
}
