/**
 * Prometheus metrics (prom-client), one registry per app so tests and several apps in one
 * process do not share counters. Route labels are route names from the contract, never raw
 * paths, so label cardinality stays bounded.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

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
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }
}
