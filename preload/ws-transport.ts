/**
 * The WebSocket transport of the gateway API (edge mode): calls are `{id, call, input}` messages
 * answered by `{id, result}`; events arrive as `{event, payload}`. Reconnects with backoff and
 * re-sends nothing: a call that was in flight when the socket dropped fails with `disconnected`.
 */
import type { GatewayTransport } from './client.js';
import type { CallResult } from './define.js';

interface Pending {
  resolve: (result: CallResult) => void;
}

export function createWebSocketTransport(open: () => WebSocket, reconnectDelayMs = 1000): GatewayTransport {
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const queue: string[] = [];
  let nextId = 1;
  let socket: WebSocket;

  const connect = () => {
    socket = open();
    socket.onopen = () => {
      for (const message of queue.splice(0)) socket.send(message);
    };
    socket.onclose = () => {
      for (const [id, call] of pending) {
        pending.delete(id);
        call.resolve({
          ok: false,
          error: { code: 'disconnected', message: 'lost the connection to the gateway' },
        });
      }
      setTimeout(connect, reconnectDelayMs);
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      const message = JSON.parse(event.data) as {
        id?: number;
        result?: CallResult;
        event?: string;
        payload?: unknown;
      };
      if (typeof message.id === 'number' && message.result !== undefined) {
        pending.get(message.id)?.resolve(message.result);
        pending.delete(message.id);
      } else if (typeof message.event === 'string') {
        for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
      }
    };
  };
  connect();

  const send = (message: string) => {
    if (socket.readyState === 1) socket.send(message);
    else queue.push(message);
  };

  return {
    invoke(call, input) {
      const id = nextId++;
      return new Promise<CallResult>((resolve) => {
        pending.set(id, { resolve });
        send(JSON.stringify({ id, call, input }));
      });
    },
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  };
}
