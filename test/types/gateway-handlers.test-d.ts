/** Type-level tests of the gateway API table: main must implement every call, with its declared output. */
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { GatewayApi } from '../../preload/api.js';
import type { GatewayClient } from '../../preload/client.js';
import { defineGatewayApi, type GatewayHandlers } from '../../preload/define.js';

const _table = defineGatewayApi({
  calls: {
    'thing.get': {
      input: z.strictObject({ id: z.string() }),
      output: z.strictObject({ name: z.string() }),
      summary: '',
    },
    'thing.ping': { input: z.strictObject({}), output: z.literal(true), summary: '' },
  },
  events: { 'thing.changed': { payload: z.strictObject({ id: z.string() }), summary: '' } },
});

describe('GatewayHandlers', () => {
  it('accepts one handler per call', () => {
    const handlers: GatewayHandlers<typeof _table> = {
      'thing.get': (input) => Promise.resolve({ name: input.id }),
      'thing.ping': () => Promise.resolve(true as const),
    };
    expectTypeOf(handlers).toBeObject();
  });

  it('rejects a call without a handler', () => {
    // @ts-expect-error 'thing.ping' is declared but not implemented
    const handlers: GatewayHandlers<typeof _table> = {
      'thing.get': (input) => Promise.resolve({ name: input.id }),
    };
    expectTypeOf(handlers).toBeObject();
  });

  it('rejects a handler returning the wrong output', () => {
    const handlers: GatewayHandlers<typeof _table> = {
      // @ts-expect-error name must be a string
      'thing.get': () => Promise.resolve({ name: 42 }),
      'thing.ping': () => Promise.resolve(true as const),
    };
    expectTypeOf(handlers).toBeObject();
  });

  it('types the real client from the table', () => {
    type Client = GatewayClient<GatewayApi>;
    expectTypeOf<Parameters<Client['invoke']>[0]>().toEqualTypeOf<
      Extract<keyof GatewayApi['calls'], string>
    >();
    expectTypeOf<Awaited<ReturnType<Client['invoke']>>>().not.toBeAny();
  });
});
