/**
 * A typed client built from the route table over any HTTP transport (the gateway's uploader
 * plugs axios in). It fills the path, sends the parts the route declares, and validates every
 * response against the schema declared for its status.
 */
import type { z } from 'zod';
import { ErrorBodySchema, type ErrorBody } from './common.js';
import { fillPath, type ResponseSpec, type RouteSpec, type RouteTable } from './define.js';

/** What the transport is asked to send. */
export interface TransportRequest {
  method: RouteSpec['method'];
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body:
    { kind: 'json'; value: unknown } | { kind: 'binary'; bytes: Uint8Array; contentType: string } | undefined;
}

/** What the transport got back. `body` is parsed JSON for JSON responses, bytes otherwise. */
export interface TransportResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/** The server answered with a declared error status, or with something the contract does not allow. */
export class ApiError extends Error {
  readonly code: 'http_error' | 'bad_response';
  readonly status: number;
  readonly body: ErrorBody | undefined;
  constructor(code: ApiError['code'], status: number, message: string, body?: ErrorBody) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.body = body;
  }
}

type In<S> = S extends z.ZodType ? z.input<S> : never;

type CallInput<R extends RouteSpec> = (R['params'] extends z.ZodType ? { params: In<R['params']> } : object) &
  (R['query'] extends z.ZodType ? { query?: In<R['query']> } : object) &
  (R['headers'] extends z.ZodType ? { headers: In<R['headers']> } : object) &
  (R['body'] extends { kind: 'json'; schema: infer S } ? { body: In<S> } : object) &
  (R['body'] extends { kind: 'binary' } ? { body: Uint8Array } : object) & { authToken?: string };

type Success<R extends RouteSpec> = {
  [K in keyof R['responses'] & number]: `${K}` extends `2${string}`
    ? { status: K; body: R['responses'][K] extends z.ZodType ? z.output<R['responses'][K]> : unknown }
    : never;
}[keyof R['responses'] & number];

export type ApiClient<T extends RouteTable> = {
  [K in keyof T]: (input: CallInput<T[K]>) => Promise<Success<T[K]>>;
};

function toQuery(query: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (query === undefined || query === null) return out;
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) out[key] = String(value);
  }
  return out;
}

function parseResponse(route: RouteSpec, response: TransportResponse, name: string): unknown {
  const spec: ResponseSpec | undefined = route.responses[response.status];
  const ok = response.status >= 200 && response.status < 300;
  if (!ok) {
    const parsed = ErrorBodySchema.safeParse(response.body);
    const body = parsed.success ? parsed.data : undefined;
    const message = body?.error.message ?? `HTTP ${response.status}`;
    throw new ApiError('http_error', response.status, `${name}: ${message}`, body);
  }
  if (spec === undefined) {
    throw new ApiError('bad_response', response.status, `${name}: undeclared status ${response.status}`);
  }
  if ('kind' in spec && !('safeParse' in spec)) return response.body;
  const parsed = (spec as z.ZodType).safeParse(response.body);
  if (!parsed.success) {
    throw new ApiError(
      'bad_response',
      response.status,
      `${name}: response does not match the contract: ${parsed.error.message}`,
    );
  }
  return parsed.data;
}

/** Builds a client with one method per route of `table`. */
export function createApiClient<T extends RouteTable>(table: T, transport: Transport): ApiClient<T> {
  const client: Record<string, (input: Record<string, unknown>) => Promise<unknown>> = {};
  for (const [name, route] of Object.entries(table)) {
    client[name] = async (input) => {
      const headers: Record<string, string> = {};
      const extra = input.headers as Record<string, string> | undefined;
      if (extra !== undefined) Object.assign(headers, extra);
      if (typeof input.authToken === 'string') headers.authorization = `Bearer ${input.authToken}`;
      let body: TransportRequest['body'];
      if (route.body?.kind === 'json') body = { kind: 'json', value: input.body };
      else if (route.body?.kind === 'binary') {
        body = { kind: 'binary', bytes: input.body as Uint8Array, contentType: route.body.contentType };
      }
      const response = await transport({
        method: route.method,
        path: fillPath(route.path, (input.params ?? {}) as Record<string, string | number>),
        query: toQuery(input.query),
        headers,
        body,
      });
      return { status: response.status, body: parseResponse(route, response, name) };
    };
  }
  return client as ApiClient<T>;
}
