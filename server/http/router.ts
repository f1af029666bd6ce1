/**
 * Mounts the contract's route table on a @koa/router: for each route, authentication and the
 * role check the table names, the rate limit, validation of every request part into one 400,
 * then the handler, whose answer is written as JSON, bytes or a stream.
 */
import { Router, type RouterContext } from '@koa/router';
import type { Logger } from 'pino';
import type {
  BodySpec,
  ResponseSpec,
  RouteHandlers,
  RouteSpec,
  Routes,
  UploadedFile,
} from '../../server-contract/api/index.js';
import type { AuthService } from '../auth/auth-service.js';
import type { Principal } from '../auth/tokens.js';
import { forbidden, HttpError, unauthorized, ValidationError, type FieldIssue } from '../errors.js';
import { mediaType, readBody, type BodyLimits } from './body.js';
import type { RateLimit } from './rate-limit.js';
import { sendStreamBody } from './stream-body.js';
import { parsePart } from './validate.js';

/** What every handler receives besides its validated request. */
export interface HandlerContext {
  principal: Principal | null;
  requestId: string;
  ip: string;
  log: Logger;
}

export type Handlers = RouteHandlers<Routes, HandlerContext>;

export interface RouterDeps {
  routes: Routes;
  handlers: Handlers;
  auth: AuthService;
  limiter: RateLimit;
  rateLimitPerMin: number;
  anonRateLimitPerMin: number;
  bodyLimits: BodyLimits;
  jsonLimitBytes: number;
  /** Check every response against the contract (tests); a mismatch is a 500. */
  validateResponses: boolean;
  /**
   * Routes whose handler reads a gateway caller's standing itself, in the query it makes anyway,
   * and refuses a revoked one (AuthService.admitGateway): the router skips its own read for them.
   */
  gatewayCheckedByHandler?: ReadonlySet<string>;
}

/** Koa state set by the app's first middlewares. */
export interface RequestState {
  requestId: string;
  routeName?: string;
  log: Logger;
}

type Ctx = RouterContext<RequestState>;
type AnyHandler = (
  request: unknown,
  ctx: HandlerContext,
) => Promise<{ status: number; body: unknown; headers?: Record<string, string> }>;

/**
 * Health probes are not rate-limited: a proxy checks every replica every few seconds from one
 * address, which would otherwise use up that address's public allowance (shared by replicas).
 */
const PROBE_PATHS = new Set(['/health', '/ready', '/live']);

async function authenticate(
  ctx: Ctx,
  name: string,
  route: RouteSpec,
  deps: RouterDeps,
): Promise<Principal | null> {
  if (route.auth === 'public') {
    if (PROBE_PATHS.has(route.path)) return null;
    await deps.limiter.take(`ip:${ctx.ip}`, deps.anonRateLimitPerMin);
    return null;
  }
  const header = ctx.get('authorization');
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header);
  if (!match) throw unauthorized('send an access token: Authorization: Bearer <token>');
  const principal = deps.gatewayCheckedByHandler?.has(name)
    ? await deps.auth.authenticateDeferringGateway(match[1]!)
    : await deps.auth.authenticate(match[1]!);
  await deps.limiter.take(`${principal.kind}:${principal.id}`, deps.rateLimitPerMin);
  if (!route.auth.includes(principal.role)) throw forbidden(`this route is for ${route.auth.join(', ')}`);
  return principal;
}

async function readJson(
  ctx: Ctx,
  spec: Extract<BodySpec, { kind: 'json' }>,
  deps: RouterDeps,
  issues: FieldIssue[],
): Promise<unknown> {
  if (mediaType(ctx.get('content-type')) !== 'application/json') {
    throw new HttpError(415, 'unsupported_media_type', 'send the body as application/json');
  }
  const raw = await readBody(ctx.req, { ...deps.bodyLimits, maxBytes: spec.maxBytes ?? deps.jsonLimitBytes });
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    issues.push({ path: 'body', message: 'not valid JSON' });
    return undefined;
  }
  return parsePart('body', spec.schema, value, issues);
}

async function readMultipart(
  ctx: Ctx,
  spec: Extract<BodySpec, { kind: 'multipart' }>,
  deps: RouterDeps,
  issues: FieldIssue[],
): Promise<unknown> {
  const contentType = ctx.get('content-type');
  if (mediaType(contentType) !== 'multipart/form-data')
    throw new HttpError(415, 'unsupported_media_type', 'send multipart/form-data');
  const raw = await readBody(ctx.req, { ...deps.bodyLimits, maxBytes: spec.file.maxBytes + 256 * 1024 });
  let form: FormData;
  try {
    // The body is already fully read within its byte limit, so parsing it in memory is bounded;
    // the deprecation note is about unbounded streams. No multipart library is installed.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    form = await new Response(Uint8Array.from(raw), { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new ValidationError([{ path: 'body', message: 'malformed multipart body' }]);
  }
  const metaText = form.get('metadata');
  let metadata: unknown;
  if (typeof metaText !== 'string') issues.push({ path: 'body.metadata', message: 'required JSON field' });
  else {
    try {
      metadata = parsePart('body.metadata', spec.metadata, JSON.parse(metaText), issues);
    } catch {
      issues.push({ path: 'body.metadata', message: 'not valid JSON' });
    }
  }
  const file = form.get(spec.file.field);
  if (file === null || typeof file === 'string') {
    issues.push({ path: `body.${spec.file.field}`, message: 'required file' });
    return undefined;
  }
  if (file.size > spec.file.maxBytes)
    throw new HttpError(413, 'payload_too_large', `file exceeds ${spec.file.maxBytes} bytes`);
  if (mediaType(file.type) !== spec.file.contentType)
    throw new HttpError(415, 'unsupported_media_type', `file must be ${spec.file.contentType}`);
  const uploaded: UploadedFile = {
    bytes: new Uint8Array(await file.arrayBuffer()),
    contentType: file.type,
    fileName: file.name,
  };
  return { metadata, file: uploaded };
}

async function readRequestBody(
  ctx: Ctx,
  spec: BodySpec | undefined,
  deps: RouterDeps,
  issues: FieldIssue[],
): Promise<unknown> {
  if (spec === undefined) return undefined;
  if (spec.kind === 'json') return readJson(ctx, spec, deps, issues);
  if (spec.kind === 'multipart') return readMultipart(ctx, spec, deps, issues);
  if (mediaType(ctx.get('content-type')) !== spec.contentType) {
    throw new HttpError(415, 'unsupported_media_type', `send the body as ${spec.contentType}`);
  }
  // The Buffer as it is (a Uint8Array): copying it again cost ~0.04 ms a 100-kB chunk.
  return readBody(ctx.req, { ...deps.bodyLimits, maxBytes: spec.maxBytes });
}

async function parseRequest(ctx: Ctx, route: RouteSpec, deps: RouterDeps): Promise<unknown> {
  const issues: FieldIssue[] = [];
  const params = parsePart('params', route.params, { ...ctx.params }, issues);
  const query = parsePart('query', route.query, { ...ctx.query }, issues);
  const headers = parsePart('headers', route.headers, { ...ctx.headers }, issues);
  if (route.query === undefined && Object.keys(ctx.query).length > 0) {
    issues.push(...Object.keys(ctx.query).map((k) => ({ path: `query.${k}`, message: 'unknown field' })));
  }
  // Read (and bound) the body even when other parts failed, so every bad field is named at once.
  const body = await readRequestBody(ctx, route.body, deps, issues);
  if (issues.length > 0) throw new ValidationError(issues);
  return { params, query, headers, body };
}

async function writeResponse(
  ctx: Ctx,
  route: RouteSpec,
  name: string,
  res: { status: number; body: unknown; headers?: Record<string, string> },
  deps: RouterDeps,
): Promise<void> {
  const spec: ResponseSpec | undefined = route.responses[res.status];
  if (spec === undefined) throw new Error(`handler ${name} answered undeclared status ${res.status}`);
  ctx.status = res.status;
  for (const [k, v] of Object.entries(res.headers ?? {})) ctx.set(k, v);
  if ('kind' in spec && spec.kind === 'empty') {
    ctx.body = null;
    return;
  }
  if ('kind' in spec && spec.kind === 'binary') {
    const chosen = res.headers?.['content-type'];
    ctx.type = chosen !== undefined && spec.alsoContentTypes?.includes(chosen) ? chosen : spec.contentType;
    const body = res.body as Uint8Array | string | AsyncIterable<Uint8Array | string>;
    if (typeof body === 'string') ctx.body = body;
    else if (body instanceof Uint8Array)
      ctx.body = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    else {
      // Streamed bodies are written piece by piece, each flushed before the next is pulled
      // (producers may reuse their buffers): Koa's own stream handling is bypassed.
      ctx.respond = false;
      ctx.res.statusCode = ctx.status;
      await sendStreamBody(ctx.res, body, ctx.state.log);
    }
    return;
  }
  if (deps.validateResponses) {
    const checked = spec.safeParse(res.body);
    if (!checked.success)
      throw new Error(`handler ${name} answered a body outside the contract: ${checked.error.message}`);
  }
  ctx.body = res.body;
}

/** Builds the router; every route of the table gets its handler (enforced by `Handlers`). */
export function buildRouter(deps: RouterDeps): Router<RequestState> {
  const router = new Router<RequestState>();
  for (const [name, route] of Object.entries(deps.routes) as [keyof Routes, RouteSpec][]) {
    const handler = deps.handlers[name] as unknown as AnyHandler;
    router.register(route.path, [route.method], async (ctx: Ctx) => {
      ctx.state.routeName = name;
      const principal = await authenticate(ctx, name, route, deps);
      const request = await parseRequest(ctx, route, deps);
      const res = await handler(request, {
        principal,
        requestId: ctx.state.requestId,
        ip: ctx.ip,
        log: ctx.state.log,
      });
      await writeResponse(ctx, route, name, res, deps);
    });
  }
  return router;
}
