/**
 * The real ingest server for the viewer spec, in this process on its own loopback port: the app
 * of `createApp` over a SQLite file in a temp folder, with staff of each role. The built viewer
 * (dist/viewer, built here when missing or older than its sources) is answered at `/` and
 * `/assets/*` in front of the app, as the server will serve it; everything else is the app's.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sirv from 'sirv';
import { createApp } from '../../server/app.js';
import { createLogger } from '../../server/ops/logger.js';
import { Metrics } from '../../server/ops/metrics.js';
import { openSqliteStore } from '../../server/store/sqlite.js';

const REPO = resolve(import.meta.dirname, '..', '..');
export const VIEWER_DIST = join(REPO, 'dist', 'viewer');

function newestMtimeMs(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((e) => newestMtimeMs(join(path, e))));
}

/** Builds the viewer with Vite when dist/viewer is missing or older than its sources. */
export function ensureViewerBuilt(): void {
  const index = join(VIEWER_DIST, 'index.html');
  const sources = Math.max(
    ...['renderer/viewer', 'renderer/src/ecg', 'server-contract'].map((p) => newestMtimeMs(join(REPO, p))),
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const built = spawnSync(
    'npx',
    ['vite', 'build', '--config', 'renderer/viewer/vite.config.ts', '--logLevel', 'warn'],
    {
      cwd: REPO,
      encoding: 'utf8',
    },
  );
  if (built.status !== 0) throw new Error(`building the viewer failed:\n${built.stdout}\n${built.stderr}`);
}

export const STAFF = {
  admin: { username: 'it-admin', displayName: 'Ian Admin', password: randomBytes(12).toString('base64url') },
  clinician: {
    username: 'dr-who',
    displayName: 'Dr Clara Oswald',
    password: randomBytes(12).toString('base64url'),
  },
  researcher: {
    username: 'res-lee',
    displayName: 'Rosa Lee',
    password: randomBytes(12).toString('base64url'),
  },
} as const;
export type StaffRole = keyof typeof STAFF;

export interface ViewerServer {
  url: string;
  close(): Promise<void>;
}

export async function startViewerServer(): Promise<ViewerServer> {
  ensureViewerBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'pulsewatch-viewer-'));
  const store = await openSqliteStore(join(dir, 'server.sqlite'));
  const app = createApp({
    store,
    settings: {
      corsOrigins: [],
      trustProxy: false,
      bodyLimitBytes: 16 * 1024 * 1024,
      jsonLimitBytes: 8 * 1024 * 1024,
      rateLimitPerMin: 100_000,
      anonRateLimitPerMin: 100_000,
      accessTokenTtlS: 900,
      refreshTokenTtlS: 86_400,
      maxFailedLogins: 5,
      lockoutBaseS: 60,
    },
    jwtSecret: randomBytes(32),
    fieldKey: randomBytes(32),
    metricsToken: randomBytes(16).toString('hex'),
    logger: createLogger('warn'),
    metrics: new Metrics({ defaultMetrics: false }),
    validateResponses: true,
    scryptCost: { n: 2 ** 10, r: 8, p: 1 },
  });
  for (const [role, s] of Object.entries(STAFF))
    await app.services.auth.createUser({ ...s, role: role as StaffRole });
  const api = app.callback();
  const assets = sirv(VIEWER_DIST, { dev: false, etag: true });
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const isViewer =
      (req.method === 'GET' || req.method === 'HEAD') &&
      (path === '/' || path === '/index.html' || path.startsWith('/assets/'));
    if (isViewer) assets(req, res, () => void api(req, res));
    else void api(req, res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
