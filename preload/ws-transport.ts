/**
 * The WebSocket transport of the gateway API (edge mode): calls are `{id, call, input}` messages
 * answered by `{id, result}`; events arrive as `{event, payload}`.
 *
 * Reconnects with the gateway's shared jittered exponential backoff (`backoff.ts`), reset once a
 * connection opens. Re-sends nothing: a call in flight when the socket dropped fails with
 * `disconnected`, and calls made while disconnected wait (bounded) for the next connection. The
 * host holds events until the page says `app.ready`; a fresh connection is a fresh session, so
 * once the page has said it, the transport says it again on every reconnect. Frames that are not
 * well-formed messages (binary, bad JSON, wrong shapes) are dropped: nothing here throws.
 */
import { Backoff, type BackoffOptions } from './backoff.js';
import type { GatewayTransport } from './client.js';
import type { CallResult } from './define.js';
import { ListenerMap } from './listeners.js';

/** Calls waiting for a connection beyond this many fail at once rather than pile up. */
export const MAX_WAITING_CALLS = 256;
/** A call made while disconnected fails with `disconnected` if no connection opens within this. */
export const CALL_WAIT_LIMIT_MS = 15_000;

export interface WebSocketTransportOptions {
  backoff?: BackoffOptions;
  /** Timers (default the global ones; tests may inject). */
  setTimer?: (callback: () => void, delayMs: number) => unknown;
}

interface Waiting {
  id: number;
  text: string;
  resolve: (result: CallResult) => void;
}

type Incoming =
  { kind: 'result'; id: number; result: CallResult } | { kind: 'event'; event: string; payload: unknown };

/** Parses one frame from the host; undefined for anything that is not a well-formed message. */
export function parseHostMessage(data: unknown): Incoming | undefined {
  if (typeof data !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const message = value as Record<string, unknown>;
  if (typeof message.id === 'number' && isCallResult(message.result)) {
    return { kind: 'result', id: message.id, result: message.result };
  }
  if (typeof message.event === 'string')
    return { kind: 'event', event: message.event, payload: message.payload };
  return undefined;
}

function isCallResult(value: unknown): value is CallResult {
  if (typeof value !== 'object' || value === null) return false;
  const result = value as Record<string, unknown>;
  if (result.ok === true) return 'value' in result;
  if (result.ok !== false || typeof result.error !== 'object' || result.error === null) return false;
  const error = result.error as Record<string, unknown>;
  return typeof error.code === 'string' && typeof error.message === 'string';
}

const disconnected: CallResult = {
  ok: false,
  error: { code: 'disconnected', message: 'Lost the connection to the gateway; reconnecting.' },
};

/** The transport over sockets made by `open` (a new one for every reconnect). */
export function createWebSocketTransport(
  open: () => WebSocket,
  options: WebSocketTransportOptions = {},
): GatewayTransport {
  const backoff = new Backoff({ initialMs: 500, maxMs: 10_000, ...options.backoff });
  const setTimer =
    options.setTimer ?? ((callback: () => void, delayMs: number) => setTimeout(callback, delayMs));
  /** Sent on the current socket, waiting for their result. */
  const inFlight = new Map<number, (result: CallResult) => void>();
  /** Made while disconnected, sent when a connection opens. */
  let waiting: Waiting[] = [];
  const listeners = new ListenerMap();
  let nextId = 1;
  let saidReady = false;
  let socket: WebSocket | undefined;

  const failInFlight = () => {
    for (const [id, resolve] of inFlight) {
      inFlight.delete(id);
      resolve(disconnected);
    }
  };

  const connect = () => {
    let current: WebSocket;
    try {
      current = open();
    } catch {
      setTimer(connect, backoff.next());
      return;
    }
    socket = current;
    current.onopen = () => {
      backoff.reset();
      if (saidReady) current.send(JSON.stringify({ id: nextId++, call: 'app.ready', input: {} }));
      for (const call of waiting) {
        inFlight.set(call.id, call.resolve);
        current.send(call.text);
      }
      waiting = [];
    };
    current.onclose = () => {
      if (socket !== current) return;
      socket = undefined;
      failInFlight();
      setTimer(connect, backoff.next());
    };
    current.onerror = () => undefined; // a close follows
    current.onmessage = (event: MessageEvent) => {
      const message = parseHostMessage(event.data);
      if (message === undefined) return;
      if (message.kind === 'result') {
        inFlight.get(message.id)?.(message.result);
        inFlight.delete(message.id);
      } else {
        listeners.emit(message.event, message.payload);
      }
    };
  };
  connect();

  return {
    invoke(call, input) {
      const id = nextId++;
      if (call === 'app.ready') saidReady = true;
      const text = JSON.stringify({ id, call, input });
      return new Promise<CallResult>((resolve) => {
        if (socket !== undefined && socket.readyState === 1) {
          inFlight.set(id, resolve);
          socket.send(text);
        } else if (waiting.length >= MAX_WAITING_CALLS) {
          resolve(disconnected);
        } else {
          waiting.push({ id, text, resolve });
          setTimer(() => {
            const index = waiting.findIndex((call) => call.id === id);
            if (index < 0) return;
            waiting.splice(index, 1);
            resolve(disconnected);
          }, CALL_WAIT_LIMIT_MS);
        }
      });
    },
    subscribe: (event, listener) => listeners.subscribe(event, listener),
  };
}
