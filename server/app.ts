/**
 * `createApp(deps)` builds the Koa app without listening (tests use `app.callback()`).
 * Middleware order: request id, log, metrics and in-flight tracking wrap everything; then the
 * one error handler; security headers; CORS allow-list; the API version header; operations
 * endpoints (/metrics, /openapi.json); the API explorer (/docs); then the contract's routes; last
 * the web viewer (any other GET path, see ops/viewer-static.ts).
 */
import { timingSafeEqual } from 'node:crypto';
import cors from '@koa/cors';
import Koa, { type Context, type Next } from 'koa';
import helmet from 'koa-helmet';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { API_VERSION, API_VERSION_HEADER, generateOpenApi, routes } from '../server-contract/api/index.js';
import { AuthService } from './auth/auth-service.js';
import type { ServerConfig } from './config.js';
import type { ScryptCost } from './crypto/passwords.js';
import { FieldCipher } from './crypto/field-cipher.js';
import { DecodePool } from './ingest/decode-pool.js';
import { HttpError } from './errors.js';
import { errorHandler } from './http/error-handler.js';
import { RateLimiter } from './http/rate-limit.js';
import { SharedRateLimiter } from './http/shared-rate-limit.js';
import { buildRouter, type Handlers, type RequestState } from './http/router.js';
import { Audit } from './ops/audit.js';
import { apiExplorer } from './ops/api-explorer.js';
import { docsPage } from './ops/docs-page.js';
import { viewerStatic } from './ops/viewer-static.js';
import { InFlight } from './ops/in-flight.js';
import { createLogger } from './ops/logger.js';
import { Metrics } from './ops/metrics.js';
import { authHandlers } from './routes/auth.js';
import { chunkHandlers } from './routes/chunks.js';
import { ExportProgressRegistry } from './export/progress.js';
import { exportHandlers } from './routes/exports.js';
import { gatewayHandlers } from './routes/gateways.js';
import { opsHandlers } from './routes/ops.js';
import { patientHandlers } from './routes/patients.js';
import { recordingHandlers } from './routes/recordings.js';
import { reportHandlers } from './routes/reports.js';
import { viewerHandlers } from './routes/viewer.js';
import { viewerPageHandlers } from './routes/viewer-pages.js';
import type { Services } from './services.js';
import type { Store } from './store/store.js';

/** Server version reported by /health and the OpenAPI document. */
export const SERVER_VERSION = '0.1.0';

export type AppSettings = Pick<
  ServerConfig,
  | 'corsOrigins'
  | 'trustProxy'
  | 'bodyLimitBytes'
  | 'jsonLimitBytes'
  | 'rateLimitPerMin'
  | 'anonRateLimitPerMin'
  | 'accessTokenTtlS'
  | 'refreshTokenTtlS'
  | 'maxFailedLogins'
  | 'lockoutBaseS'
>;

export interface AppDeps {
  store: Store;
  settings: AppSettings;
  jwtSecret: Uint8Array;
  /** 32-byte AES-256-GCM key for patient identifying details. */
  fieldKey: Uint8Array;
  /** The built web viewer served at `/`; default `dist/viewer` under the working directory. */
  viewerDir?: string;
  /** Bearer token a scrape of `/metrics` must present (gateway ids and names are listed there). */
  metricsToken: string;
  logger?: Logger;
  metrics?: Metrics;
  inFlight?: InFlight;
  now?: () => number;
  /** Check handler responses against the contract (tests). Default false. */
  validateResponses?: boolean;
  scryptCost?: ScryptCost;
  /** Worker threads decoding uploaded chunks; 0 (default) decodes on the event loop. */
  decodeWorkers?: number;
  /** Longest pause while receiving a body, ms (slow clients). Default 30 s. */
  bodyIdleTimeoutMs?: number;
  /** Slowest average body rate after `bodyRateGraceMs`, bytes/s. Default 1024. */
  bodyMinBytesPerS?: number;
  /** How long a body may arrive at any rate, ms. Default 10 s. */
  bodyRateGraceMs?: number;
}

export type PulseWatchApp = Koa<RequestState> & { services: Services };

function buildServices(deps: AppDeps): Services {
  const now = deps.now ?? Date.now;
  const audit = new Audit(deps.store, now);
  const s = deps.settings;
  const auth = new AuthService(
    deps.store,
    audit,
    {
      jwtSecret: deps.jwtSecret,
      accessTokenTtlS: s.accessTokenTtlS,
      refreshTokenTtlS: s.refreshTokenTtlS,
      maxFailedLogins: s.maxFailedLogins,
      lockoutBaseS: s.lockoutBaseS,
      ...(deps.scryptCost ? { scryptCost: deps.scryptCost } : {}),
    },
    now,
  );
  const decoder = (deps.decodeWorkers ?? 0) > 0 ? new DecodePool(deps.decodeWorkers!) : undefined;
  const metrics = deps.metrics ?? new Metrics();
  metrics.gatewaysNow = async () => ({ nowMs: now(), gateways: await deps.store.listGateways() });
  if (decoder) {
    // Chunks being decoded are about to be written: the store may group their commits.
    deps.store.expectChunks(() => decoder.inFlight);
    metrics.decodingNow = () => decoder.inFlight;
  }
  return {
    store: deps.store,
    auth,
    audit,
    cipher: new FieldCipher(deps.fieldKey),
    metrics,
    decoder,
    inFlight: deps.inFlight ?? new InFlight(),
    exportProgress: new ExportProgressRegistry(deps.store.shared, now),
    now,
    version: SERVER_VERSION,
    startedAtMs: now(),
  };
}

/** Every route of the contract's table; a missing one is a compile error. */
function allHandlers(s: Services): Handlers {
  return {
    ...opsHandlers(s),
    ...authHandlers(s),
    ...gatewayHandlers(s),
    ...patientHandlers(s),
    ...recordingHandlers(s),
    ...chunkHandlers(s),
    ...viewerHandlers(s),
    ...viewerPageHandlers(s),
    ...reportHandlers(s),
    ...exportHandlers(s),
  };
}

/**
 * Request ids this process makes: a random prefix per process and a counter. Unique across
 * processes and restarts like a UUID, without a trip to the system's random source per request
 * (a UUID v7 each was ~0.05 ms of the chunk upload's main-thread time).
 */
function requestIds(): () => string {
  const prefix = uuidv7().replaceAll('-', '').slice(-16);
  let next = 0;
  return () => `${prefix}-${(next++).toString(36)}`;
}

/**
 * The chunk upload (`chunks.upload`): a gateway's binary PUT, by far the most frequent request.
 * Its answer is a small JSON acknowledgement read by the gateway's uploader, not a page a browser
 * renders, embeds or shares a window with: so it skips helmet's document policies (CSP, frame,
 * opener, embedder, referrer, DNS prefetch…) and keeps `x-content-type-options: nosniff`, the one
 * that matters for any API body (a browser must never sniff it into HTML); and it skips CORS, since
 * only gateways may upload and a browser's preflight (OPTIONS) is still answered by the CORS layer.
 */
const CHUNK_UPLOAD_PATH = /^\/v1\/recordings\/[^/]+\/streams\/[^/]+\/chunks\/[^/]+$/;
const isChunkUpload = (ctx: Context): boolean => ctx.method === 'PUT' && CHUNK_UPLOAD_PATH.test(ctx.path);

/** `middleware` for every request but the chunk upload, which gets `upload` instead (if any). */
function exceptUpload(
  middleware: Koa.Middleware,
  upload?: (ctx: Context) => void,
): (ctx: Context, next: Next) => Promise<void> {
  const other = middleware as (ctx: Context, next: Next) => Promise<void>;
  return async (ctx, next) => {
    if (!isChunkUpload(ctx)) {
      await other(ctx, next);
      return;
    }
    upload?.(ctx);
    await next();
  };
}

function observe(s: Services, log: Logger) {
  const newRequestId = requestIds();
  return async function observeRequest(ctx: Context, next: Next): Promise<void> {
    const incoming = ctx.get('x-request-id');
    const requestId = /^[A-Za-z0-9._-]{8,64}$/.test(incoming) ? incoming : newRequestId();
    ctx.state.requestId = requestId;
    ctx.state.log = log.child({ requestId });
    ctx.set('x-request-id', requestId);
    const started = process.hrtime.bigint();
    s.inFlight.begin();
    try {
      await next();
    } finally {
      s.inFlight.end();
      const route = (ctx.state.routeName as string | undefined) ?? 'unmatched';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      s.metrics.requests.inc({ route, method: ctx.method, status: String(ctx.status) });
      s.metrics.latency.observe({ route, method: ctx.method }, seconds);
      // Path only: the query may hold patient ids and ranges, never details; bodies are never logged.
      (ctx.state.log as Logger).info(
        {
          method: ctx.method,
          path: ctx.path,
          route,
          status: ctx.status,
          ms: Math.round(seconds * 1e4) / 10,
          ip: ctx.ip,
        },
        'request',
      );
    }
  };
}

function bearerMatches(header: string, expected: string): boolean {
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

function operations(s: Services, metricsToken: string) {
  const openApi = JSON.stringify(
    generateOpenApi(routes, { title: 'PulseWatch ingest API', version: SERVER_VERSION }),
  );
  return async function operationsRoutes(ctx: Context, next: Next): Promise<void> {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      await next();
      return;
    }
    if (ctx.path === '/metrics') {
      if (!bearerMatches(ctx.get('authorization'), metricsToken)) {
        throw new HttpError(
          401,
          'unauthorized',
          '/metrics needs the scrape token (Authorization: Bearer)',
          undefined,
          {
            'www-authenticate': 'Bearer realm="metrics"',
          },
        );
      }
      ctx.type = s.metrics.registry.contentType;
      ctx.body = await s.metrics.registry.metrics();
    } else if (ctx.path === '/openapi.json') {
      ctx.type = 'application/json';
      ctx.body = openApi;
    } else await next();
  };
}

/** Builds the app; `app.services` exposes the shared services (auth for the CLI, metrics, in-flight). */
export function createApp(deps: AppDeps): PulseWatchApp {
  const services = buildServices(deps);
  const log = deps.logger ?? createLogger('info');
  const app = new Koa<RequestState>() as PulseWatchApp;
  app.services = services;
  app.proxy = deps.settings.trustProxy;
  app.silent = true;
  const allowed = new Set(deps.settings.corsOrigins);
  const router = buildRouter({
    routes,
    handlers: allHandlers(services),
    auth: services.auth,
    // Replicas on one PostgreSQL share their buckets; one SQLite process keeps them in memory.
    limiter:
      deps.store.dialect === 'postgres'
        ? new SharedRateLimiter(deps.store.shared, services.now)
        : new RateLimiter(services.now),
    rateLimitPerMin: deps.settings.rateLimitPerMin,
    anonRateLimitPerMin: deps.settings.anonRateLimitPerMin,
    bodyLimits: {
      maxBytes: deps.settings.bodyLimitBytes,
      idleTimeoutMs: deps.bodyIdleTimeoutMs ?? 30_000,
      minBytesPerS: deps.bodyMinBytesPerS ?? 1024,
      rateGraceMs: deps.bodyRateGraceMs ?? 10_000,
    },
    jsonLimitBytes: deps.settings.jsonLimitBytes,
    validateResponses: deps.validateResponses ?? false,
    // The upload reads the gateway's standing with its recording, in one statement.
    gatewayCheckedByHandler: new Set(['chunks.upload']),
  });
  app.use(observe(services, log));
  app.use(errorHandler(services.metrics, log));
  app.use(exceptUpload(helmet(), (ctx) => ctx.set('x-content-type-options', 'nosniff')));
  app.use(
    exceptUpload(
      cors({
        origin: (ctx) => (allowed.has(ctx.get('origin')) ? ctx.get('origin') : ''),
        allowHeaders: ['authorization', 'content-type', 'x-chunk-sha256', 'x-request-id'],
      }),
    ),
  );
  app.use(async (ctx, next) => {
    ctx.set(API_VERSION_HEADER, String(API_VERSION));
    await next();
  });
  app.use(operations(services, deps.metricsToken));
  app.use(apiExplorer(docsPage(routes)));
  app.use(router.routes());
  app.use(router.allowedMethods());
  app.use(viewerStatic(deps.viewerDir));
  return app;
}
