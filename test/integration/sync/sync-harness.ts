/**
 * Harness for the uploader's tests: the REAL ingest server (createApp over a SQLite store in a
 * temp folder) listening on 127.0.0.1 with a switchable fault mode (answer 500, hang, or be
 * stopped and restarted on the same port), and the REAL gateway queue on a temp SQLite file with
 * the sync service over it. Chunks are real codec bytes (the server harness's builders).
 */
import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { openGatewayDatabase, type GatewayDatabase } from '../../../main/queue/database.js';
import { PRIORITY, type QueueItem } from '../../../main/queue/types.js';
import { UploadQueue } from '../../../main/queue/upload-queue.js';
import { SYNC_MIGRATIONS } from '../../../main/sync/migrations.js';
import { SyncService, type SyncServiceOptions } from '../../../main/sync/sync-service.js';
import { openSqliteStore } from '../../../server/store/sqlite.js';
import {
  T0,
  bearer,
  ecgChunk,
  encoded,
  hrChunk,
  staffToken,
  startTestServer,
  type TestServer,
} from '../server/harness.js';

/** How the server answers right now. */
export type ServerMode = 'normal' | 'error500' | 'hang';

export interface RequestLogEntry {
  method: string;
  url: string;
  status: number;
}

export interface LiveServer {
  t: TestServer;
  url: string;
  port: number;
  mode: ServerMode;
  /** Every request that got an answer, in order of answer. */
  log: RequestLogEntry[];
  /** A second connection to the server's SQLite file (inspection; a test may delete a row). */
  db: BetterSqlite3.Database;
  adminToken: string;
  /** Stops listening and drops every connection (the server "goes away"). */
  halt(): Promise<void>;
  /** Listens again on the same port. */
  resume(): Promise<void>;
  close(): Promise<void>;
}

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

/** Starts the real ingest server on 127.0.0.1 (HTTPS when `tls` is given). */
export async function startLiveServer(options: { tls?: TlsFiles } = {}): Promise<LiveServer> {
  const dir = mkdtempSync(join(tmpdir(), 'pulsewatch-sync-server-'));
  const file = join(dir, 'server.sqlite');
  const store = await openSqliteStore(file);
  const t = await startTestServer({ store });
  const callback = t.app.callback();
  const sockets = new Set<Socket>();
  const hung: ServerResponse[] = [];
  const live = {} as LiveServer;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    res.on('finish', () =>
      live.log.push({ method: req.method ?? '', url: req.url ?? '', status: res.statusCode }),
    );
    if (live.mode === 'hang') {
      hung.push(res);
      return;
    }
    if (live.mode === 'error500') {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'internal', message: 'injected fault' } }));
      return;
    }
    void callback(req, res);
  };
  const make = (): Server => {
    const server = options.tls ? createHttpsServer(options.tls, handler) : createServer(handler);
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    server.on('secureConnection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    return server;
  };
  let server: Server | null = make();
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(port, '127.0.0.1', () => {
        const address = server!.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  const port = await listen(0);
  const halt = async () => {
    if (!server) return;
    const closing = new Promise<void>((resolve) => server!.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    for (const res of hung.splice(0)) res.destroy();
    await closing;
    server = null;
  };
  Object.assign(live, {
    t,
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    mode: 'normal',
    log: [] as RequestLogEntry[],
    db: new BetterSqlite3(file),
    adminToken: await staffToken(t, 'admin'),
    halt,
    async resume() {
      server = make();
      await listen(port);
    },
    async close() {
      await halt();
      live.db.close();
      await t.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
  return live;
}

/** An admin issues a one-time enrollment code. */
export async function issueCode(live: LiveServer): Promise<string> {
  const res = await live.t.http
    .post('/v1/enrollment-codes')
    .set(bearer(live.adminToken))
    .send({ label: 'Desk 1' });
  if (res.status !== 201) throw new Error(`code: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { code: string }).code;
}

export interface Gateway {
  dir: string;
  db: GatewayDatabase;
  queue: UploadQueue;
  sync: SyncService;
  gatewayId: string;
  close(): Promise<void>;
}

/** The real gateway queue on a temp SQLite file with the sync service over it (fast backoff). */
export function openGateway(
  options: Partial<Omit<SyncServiceOptions, 'db' | 'queue'>> & { dir?: string; gatewayId?: string } = {},
): Gateway {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'pulsewatch-sync-gw-'));
  const db = openGatewayDatabase(dir, [SYNC_MIGRATIONS]);
  const queue = new UploadQueue(db, { quotaBytes: () => 1e12 });
  const gatewayId = options.gatewayId ?? uuidv7();
  const sync = new SyncService({
    db,
    queue,
    gateway: { id: gatewayId, name: 'Desk 1', platform: 'linux test', appVersion: '0.1.0' },
    requestTimeoutMs: 5000,
    serverBackoff: { initialMs: 20, maxMs: 200 },
    itemBackoff: { initialMs: 20, maxMs: 200 },
    ...options,
  });
  return {
    dir,
    db,
    queue,
    sync,
    gatewayId,
    async close() {
      await sync.stop();
      db.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One patient, one recording, `ecgChunks` ECG and `hrChunks` HR chunks and the end message, queued as the recorder would. */
export function queueRecording(
  queue: UploadQueue,
  options: { ecgChunks?: number; hrChunks?: number; studyCode?: string; end?: boolean } = {},
) {
  const patientId = uuidv7();
  const recordingId = uuidv7();
  const studyCode = options.studyCode ?? `P${uuidv7().slice(-6)}`;
  const patient = queue.enqueue({
    kind: 'control',
    route: 'patients.create',
    body: { id: patientId, studyCode, createdAtMs: T0, ageYears: 61, sex: 'female' },
    priority: PRIORITY.control,
  });
  const start = queue.enqueue({
    kind: 'control',
    route: 'recordings.create',
    recordingId,
    body: {
      id: recordingId,
      patientId,
      operator: { id: uuidv7(), name: 'Nurse A' },
      devices: [{ kind: 'ecg12', serial: 'ECG-1', simulated: true }],
      simulated: true,
      startedAtMs: T0,
      ecgSampleRateHz: 500,
    },
    priority: PRIORITY.control,
    afterId: patient.id,
  });
  const chunks: { stream: string; index: number; sha256: string; item: QueueItem }[] = [];
  const ecg = options.ecgChunks ?? 3;
  const hr = options.hrChunks ?? 2;
  for (let i = 0; i < Math.max(ecg, hr); i++) {
    if (i < ecg)
      chunks.push(
        queueChunk(queue, recordingId, 'ecg', i, encoded(ecgChunk(recordingId, i)).bytes, start.id),
      );
    if (i < hr)
      chunks.push(queueChunk(queue, recordingId, 'hr', i, encoded(hrChunk(recordingId, i)).bytes, start.id));
  }
  const end = () =>
    queue.enqueue({
      kind: 'control',
      route: 'recordings.end',
      recordingId,
      params: { recordingId },
      body: {
        endedAtMs: T0 + 120_000,
        finalChunkCounts: { ecg, hr },
        summary: {
          durationMs: 120_000,
          beats: null,
          meanHeartRateBpm: null,
          pvcCount: null,
          pacCount: null,
          signalQualityPct: null,
          gapCount: 0,
          gapMs: 0,
          hrReadings: hr * 60,
          accelSamples: 0,
        },
      },
      priority: PRIORITY.recordingEnd,
      afterId: start.id,
    });
  if (options.end !== false) end();
  return { patientId, recordingId, studyCode, chunks, end };
}

export function queueChunk(
  queue: UploadQueue,
  recordingId: string,
  stream: string,
  index: number,
  bytes: Uint8Array,
  afterId: number | null,
) {
  const item = queue.enqueue({
    kind: 'chunk',
    recordingId,
    stream,
    chunkIndex: index,
    bytes,
    priority: stream === 'ecg' ? PRIORITY.samples : PRIORITY.records,
    afterId,
  });
  return { stream, index, sha256: item.sha256!, item };
}

/** Waits (real time, generous) until `done()` holds; fails naming `what` and the last status. */
export async function waitFor(
  done: () => boolean,
  what: string,
  timeoutMs = 30_000,
  describe?: () => unknown,
) {
  const start = Date.now();
  while (!done()) {
    if (Date.now() - start > timeoutMs)
      throw new Error(`timed out waiting for ${what}${describe ? `: ${JSON.stringify(describe())}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

/** Every queue item acked (none pending, sending or failed). */
export function allAcked(queue: UploadQueue): boolean {
  const s = queue.status();
  return s.pendingItems === 0 && s.sendingItems === 0 && s.failedItems === 0;
}

/** The server's stored chunks: `recording/stream/index` → sha256. */
export function serverChunks(live: LiveServer): Map<string, string> {
  const rows = live.db.prepare('SELECT recording_id, stream, chunk_index, sha256 FROM chunks').all() as {
    recording_id: string;
    stream: string;
    chunk_index: number;
    sha256: string;
  }[];
  return new Map(rows.map((r) => [`${r.recording_id}/${r.stream}/${r.chunk_index}`, r.sha256]));
}

export function countRows(live: LiveServer, table: string, where = '1 = 1', ...args: unknown[]): number {
  return (live.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`).get(...args) as { n: number })
    .n;
}
