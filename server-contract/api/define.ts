/**
 * The machinery of a route table: a route is plain data (method, path, params, query, headers,
 * body, responses by status, roles), and the types below derive from it what a server handler
 * receives and may answer, so a missing route or a wrong body is a compile error.
 */
import type { z } from 'zod';
import type { Role } from './auth.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A request body: JSON validated by a schema, raw bytes, or multipart form with one file. */
export type BodySpec =
  | { readonly kind: 'json'; readonly schema: z.ZodType; readonly maxBytes?: number }
  | { readonly kind: 'binary'; readonly contentType: 'application/octet-stream'; readonly maxBytes: number }
  | {
      readonly kind: 'multipart';
      /** Schema of the JSON in the form field `metadata`. */
      readonly metadata: z.ZodType;
      readonly file: { readonly field: string; readonly contentType: string; readonly maxBytes: number };
    };

/**
 * A response body: JSON validated by a schema, a byte or text stream of a content type, or nothing.
 * A binary body's handler may pick one of `alsoContentTypes` instead (its `content-type` header).
 */
export type ResponseSpec =
  | z.ZodType
  | { readonly kind: 'binary'; readonly contentType: string; readonly alsoContentTypes?: readonly string[] }
  | { readonly kind: 'empty' };

/** One route. `auth` is `public` or the roles allowed to call it. */
export interface RouteSpec {
  readonly method: HttpMethod;
  /** Koa-style path with `:name` parameters, including the `/v1` prefix. */
  readonly path: string;
  readonly summary: string;
  readonly auth: 'public' | readonly Role[];
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly headers?: z.ZodType;
  readonly body?: BodySpec;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
}

export type RouteTable = Readonly<Record<string, RouteSpec>>;

/** Identity function that keeps the table's literal types. */
export function defineRoutes<const T extends RouteTable>(table: T): T {
  return table;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** A multipart upload as the server hands it to a handler. */
export interface UploadedFile {
  bytes: Uint8Array;
  contentType: string;
  fileName: string;
}

type BodyOf<B> = B extends { kind: 'json'; schema: infer S }
  ? Parsed<S>
  : B extends { kind: 'binary' }
    ? Uint8Array
    : B extends { kind: 'multipart'; metadata: infer M }
      ? { metadata: Parsed<M>; file: UploadedFile }
      : undefined;

/** What a handler receives: every part already validated. */
export interface RouteRequest<R extends RouteSpec> {
  params: Parsed<R['params']>;
  query: Parsed<R['query']>;
  headers: Parsed<R['headers']>;
  body: BodyOf<R['body']>;
}

/** A streamed or whole binary/text body. */
export type BinaryBody = Uint8Array | string | AsyncIterable<Uint8Array | string>;

type ResponseBodyOf<S> = S extends z.ZodType
  ? z.input<S>
  : S extends { kind: 'binary' }
    ? BinaryBody
    : undefined;

/** What a handler may answer: one of the declared statuses with its body. */
export type RouteResponse<R extends RouteSpec> = {
  [K in keyof R['responses'] & number]: {
    status: K;
    body: ResponseBodyOf<R['responses'][K]>;
    headers?: Record<string, string>;
  };
}[keyof R['responses'] & number];

/** One handler per route of the table; a missing or extra key is a compile error. */
export type RouteHandlers<T extends RouteTable, Ctx> = {
  [K in keyof T]: (request: RouteRequest<T[K]>, ctx: Ctx) => Promise<RouteResponse<T[K]>>;
};

/** Fills `:name` parameters of a path, URI-encoding each value. */
export function fillPath(path: string, params: Readonly<Record<string, string | number>>): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${path}`);
    return encodeURIComponent(String(value));
  });
}
