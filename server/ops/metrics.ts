/**
 * Prometheus metrics (prom-client), one registry per app so tests and several apps in one
 * process do not share counters. Route labels are route names from the contract, never raw
 * paths, so label cardinality stays bounded.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the gateway gauges need of an enrolled gateway. */
export interface GatewayState {
  id: string;
  name: string;
  enrolledAtMs: number;
  revokedAtMs: number | null;
  lastSeenAtMs: number | null;
  backlogChunks: number | null;
  oldestPendingAtMs: number | null;
}

/** The gateways as of a scrape, and the server's clock then. */
export type GatewaySource = () => Promise<{ nowMs: number; gateways: readonly GatewayState[] }>;

export class Metrics {
  readonly registry = new Registry();
  readonly requests: Counter<'route' | 'method' | 'status'>;
  readonly latency: Histogram<'route' | 'method'>;
  readonly chunks: Counter<'stream' | 'outcome'>;
  readonly chunkBytes: Counter<'stream'>;
  readonly dbErrors: Counter;
  readonly chunksDecoding: Gauge;
  /** Chunks queued for or in the decode workers (set by the app when it has a pool). */
  decodingNow: () => number = () => 0;
  readonly gatewaySilence: Gauge<'gateway' | 'name'>;
  readonly gatewayBacklog: Gauge<'gateway' | 'name'>;
  readonly gatewayOldestPending: Gauge<'gateway' | 'name'>;
  /** The enrolled gateways (set by the app); read once per scrape for all three gateway gauges. */
  gatewaysNow: GatewaySource = () => Promise.resolve({ nowMs: 0, gateways: [] });
  private scrape: ReturnType<GatewaySource> | undefined;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'pulsewatch_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.latency = new Histogram({
      name: 'pulsewatch_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['route', 'method'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.chunks = new Counter({
      name: 'pulsewatch_chunks_ingested_total',
      help: 'Chunk uploads by stream and outcome (stored, duplicate, conflict, corrupt)',
      labelNames: ['stream', 'outcome'],
      registers,
    });
    this.chunkBytes = new Counter({
      name: 'pulsewatch_chunk_bytes_ingested_total',
      help: 'Encoded bytes of newly stored chunks',
      labelNames: ['stream'],
      registers,
    });
    this.dbErrors = new Counter({
      name: 'pulsewatch_db_errors_total',
      help: 'Database operations that failed',
      registers,
    });
    const decodingNow = () => this.decodingNow();
    this.chunksDecoding = new Gauge({
      name: 'pulsewatch_chunks_decoding',
      help: 'Chunk uploads waiting for or in a decode worker: steadily above the worker count, the server is short of CPU',
      registers,
      collect() {
        this.set(decodingNow());
      },
    });
    // Per enrolled, unrevoked gateway (a clinic has tens to hundreds: bounded labels), so IT can
    // alert on one that has gone quiet or is falling behind.
    const gauges = {
      silence: {
        name: 'pulsewatch_gateway_seconds_since_contact',
        help: 'Seconds since the gateway last reached the server (since enrollment if never)',
        value: (g: GatewayState, nowMs: number) => (nowMs - (g.lastSeenAtMs ?? g.enrolledAtMs)) / 1000,
      },
      backlog: {
        name: 'pulsewatch_gateway_backlog_chunks',
        help: 'Chunks waiting on the gateway to be uploaded, as of its last heartbeat',
        value: (g: GatewayState) => g.backlogChunks,
      },
      oldest: {
        name: 'pulsewatch_gateway_oldest_pending_seconds',
        help: 'Age of the oldest chunk waiting on the gateway (0 when none), as of its last heartbeat',
        value: (g: GatewayState, nowMs: number) =>
          g.backlogChunks === null
            ? null
            : g.oldestPendingAtMs === null
              ? 0
              : (nowMs - g.oldestPendingAtMs) / 1000,
      },
    };
    const gatewaysOnce = () => this.gatewaysOnce();
    const gatewayGauge = (spec: (typeof gauges)[keyof typeof gauges]) =>
      new Gauge({
        name: spec.name,
        help: spec.help,
        labelNames: ['gateway', 'name'] as const,
        registers,
        async collect() {
          const { nowMs, gateways } = await gatewaysOnce();
          this.reset();
          for (const g of gateways) {
            const value = g.revokedAtMs === null ? spec.value(g, nowMs) : null;
            if (value !== null) this.set({ gateway: g.id, name: g.name }, value);
          }
        },
      });
    this.gatewaySilence = gatewayGauge(gauges.silence);
    this.gatewayBacklog = gatewayGauge(gauges.backlog);
    this.gatewayOldestPending = gatewayGauge(gauges.oldest);
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** One read of the gateways per scrape, shared by the three gauges that collect in it. */
  private gatewaysOnce(): ReturnType<GatewaySource> {
    if (this.scrape === undefined) {
      this.scrape = this.gatewaysNow();
      setImmediate(() => (this.scrape = undefined));
    }
    return this.scrape;
  }
}
