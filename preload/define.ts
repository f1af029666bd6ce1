/**
 * The machinery of the gateway API table: calls (`noun.verb`, input → output) and events
 * (`noun.pastTense`, payload), each with zod schemas. main implements one handler per call
 * (`GatewayHandlers`, a missing one does not compile) and the client factory builds the
 * renderer's `window.gateway` from the same table over any transport (Electron IPC, WebSocket).
 */
import type { z } from 'zod';

export interface CallSpec {
  readonly input: z.ZodType;
  readonly output: z.ZodType;
  readonly summary: string;
}

export interface EventSpec {
  readonly payload: z.ZodType;
  readonly summary: string;
}

export interface ApiTable {
  readonly calls: Readonly<Record<string, CallSpec>>;
  readonly events: Readonly<Record<string, EventSpec>>;
}

/** Identity function that keeps the table's literal types. */
export function defineGatewayApi<const T extends ApiTable>(table: T): T {
  return table;
}

export type CallName<T extends ApiTable> = keyof T['calls'] & string;
export type EventName<T extends ApiTable> = keyof T['events'] & string;
export type CallInput<T extends ApiTable, K extends CallName<T>> = z.input<T['calls'][K]['input']>;
export type CallOutput<T extends ApiTable, K extends CallName<T>> = z.output<T['calls'][K]['output']>;
export type EventPayload<T extends ApiTable, K extends EventName<T>> = z.output<T['events'][K]['payload']>;

/** One handler per call, receiving parsed input; a missing or extra key is a compile error. */
export type GatewayHandlers<T extends ApiTable> = {
  [K in CallName<T>]: (input: z.output<T['calls'][K]['input']>) => Promise<z.input<T['calls'][K]['output']>>;
};

/** An error that crosses the API boundary: a stable code and a message for staff. */
export class GatewayApiError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'GatewayApiError';
    this.code = code;
  }
}

/** What a call answers on the wire: a result or an error with a stable code. */
export type CallResult =
  { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };
