/**
 * Type-level tests: the route table and the gateway API table are the only declarations, and
 * an implementation that misses an entry, adds one, or returns the wrong body does not compile.
 */
import { describe, expectTypeOf, it } from 'vitest';
import {
  defineRoutes,
  type RouteHandlers,
  type RouteRequest,
  type Routes,
} from '../../server-contract/api/index.js';
import { OkSchema } from '../../server-contract/api/common.js';
import { z } from 'zod';

const _table = defineRoutes({
  'things.get': {
    method: 'GET',
    path: '/v1/things/:id',
    summary: 'one thing',
    auth: 'public',
    params: z.strictObject({ id: z.string() }),
    responses: { 200: z.strictObject({ name: z.string() }) },
  },
  'things.ping': {
    method: 'POST',
    path: '/v1/ping',
    summary: 'ping',
    auth: ['admin'],
    responses: { 200: OkSchema },
  },
});

describe('RouteHandlers', () => {
  it('accepts one handler per route with the declared bodies', () => {
    const handlers: RouteHandlers<typeof _table, undefined> = {
      'things.get': (request) => Promise.resolve({ status: 200, body: { name: request.params.id } }),
      'things.ping': () => Promise.resolve({ status: 200, body: { ok: true } }),
    };
    expectTypeOf(handlers).toBeObject();
  });

  it('rejects a table entry without a handler', () => {
    // @ts-expect-error 'things.ping' is declared in the table but not implemented
    const handlers: RouteHandlers<typeof _table, undefined> = {
      'things.get': (request) => Promise.resolve({ status: 200, body: { name: request.params.id } }),
    };
    expectTypeOf(handlers).toBeObject();
  });

  it('rejects an undeclared status and a wrong body', () => {
    const handlers: RouteHandlers<typeof _table, undefined> = {
      // @ts-expect-error 201 is not a declared status of things.get
      'things.get': () => Promise.resolve({ status: 201, body: { name: 'x' } }),
      // @ts-expect-error the body does not match OkSchema
      'things.ping': () => Promise.resolve({ status: 200, body: { ok: false } }),
    };
    expectTypeOf(handlers).toBeObject();
  });

  it('types the real table’s requests from its schemas', () => {
    expectTypeOf<RouteRequest<Routes['chunks.upload']>['body']>().toEqualTypeOf<Uint8Array>();
    expectTypeOf<RouteRequest<Routes['chunks.upload']>['params']['index']>().toEqualTypeOf<number>();
    expectTypeOf<RouteRequest<Routes['patients.create']>['body']['studyCode']>().toEqualTypeOf<string>();
  });
});
