/**
 * The server side of one export of the export benchmark, in its own process: opens the store,
 * serves the app on 127.0.0.1, makes a researcher and signs it in, then tells the parent (which
 * downloads the export, so the client's memory and CPU are not counted here) its port and token.
 * Between the parent's `start` and `stop` it samples its peak RSS every 20 ms (the kernel's
 * high-water mark, so nothing between samples is missed) and measures its CPU time, and answers with the peak, the peak of each half of the export (the same peak in both
 * halves shows memory does not grow with the length), and the CPU time.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../server/app.js';
import { ConfigSchema } from '../server/config.js';
import { createLogger } from '../server/ops/logger.js';
import { Metrics } from '../server/ops/metrics.js';
import type { Store } from '../server/store/store.js';

export const CHILD_ENV = 'PULSEWATCH_BENCH_EXPORT';

/** What the child serves (the export itself is chosen by the parent's request). */
export interface ChildJob {
  dialect: 'sqlite' | 'postgres';
  database: string;
}

/** Child → parent, once the server listens. */
export interface ChildReady {
  kind: 'ready';
  port: number;
  token: string;
}

/** Child → parent, after `stop`. */
export interface ChildFigures {
  kind: 'figures';
  peakRssMb: number;
  /** Peak RSS over the first and the second half of the export's wall time. */
  firstHalfPeakRssMb: number;
  secondHalfPeakRssMb: number;
  startRssMb: number;
  /** CPU time (user + system) of the server process during the export. */
  cpuMs: number;
  /** V8 heap used/total, external and ArrayBuffer memory (MB) when the RSS peaked. */
  peakDetail: string;
}

/** Parent → child (`start` is answered `{ kind: 'started' }`). */
export type ChildCommand = { kind: 'start' } | { kind: 'stop' };

const MB = 1e6;

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

/** Only the store this export reads is loaded (a server is configured with one). */
async function openStore(job: ChildJob): Promise<Store> {
  if (job.dialect === 'sqlite')
    return (await import('../server/store/sqlite.js')).openSqliteStore(job.database);
  return (await import('../server/store/postgres.js')).openPostgresStore(job.database);
}

/**
 * The kernel's peak RSS (VmHWM) since the last reset, then resets it (`clear_refs` 5, Linux): a
 * sample covers everything since the previous one even when timers were held up by a busy loop.
 * Elsewhere (no /proc) the current RSS.
 */
function peakRssSinceLastSample(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    writeFileSync('/proc/self/clear_refs', '5');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    if (kb !== undefined) return Number(kb) * 1024;
  } catch {
    // Not Linux: fall back to the current RSS.
  }
  return process.memoryUsage.rss();
}

/** Peak RSS of one export, per 20-ms sample, with V8's figures at the highest sample. */
class RssSampler {
  private readonly samples: [number, number][] = [];
  private peak = 0;
  private detail = '';
  private readonly started = performance.now();
  private readonly timer = setInterval(() => this.sample(), 20);

  constructor() {
    peakRssSinceLastSample();
  }

  sample(): void {
    const rss = peakRssSinceLastSample();
    this.samples.push([performance.now() - this.started, rss]);
    if (rss > this.peak) {
      const m = process.memoryUsage();
      this.peak = rss;
      this.detail = `heap ${(m.heapUsed / MB).toFixed(0)}/${(m.heapTotal / MB).toFixed(0)} external ${(m.external / MB).toFixed(0)} arrayBuffers ${(m.arrayBuffers / MB).toFixed(0)}`;
    }
  }

  stop(startRss: number, cpuMs: number): ChildFigures {
    clearInterval(this.timer);
    this.sample();
    const half = (performance.now() - this.started) / 2;
    // A sample's peak may be anywhere since the previous sample: it counts for the half it ends in.
    const peakOf = (first: boolean) =>
      Math.max(0, ...this.samples.filter(([t]) => t < half === first).map(([, rss]) => rss)) / MB;
    return {
      kind: 'figures',
      peakRssMb: this.peak / MB,
      firstHalfPeakRssMb: peakOf(true),
      secondHalfPeakRssMb: peakOf(false),
      startRssMb: startRss / MB,
      cpuMs,
      peakDetail: this.detail,
    };
  }
}

export async function runChild(job: ChildJob): Promise<void> {
  process.on('disconnect', () => process.exit(1));
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
  let sampler: RssSampler | undefined;
  let startRss = 0;
  let cpu = process.cpuUsage();
  process.on('message', (m: ChildCommand) => {
    if (m.kind === 'start') {
      startRss = process.memoryUsage.rss();
      cpu = process.cpuUsage();
      sampler = new RssSampler();
      process.send?.({ kind: 'started' });
      return;
    }
    const used = process.cpuUsage(cpu);
    const figures = sampler!.stop(startRss, (used.user + used.system) / 1000);
    server.close();
    void store.close().then(() => process.send?.(figures, () => process.exit(0)));
  });
  process.send?.({ kind: 'ready', port, token } satisfies ChildReady);
}
