/**
 * One browser's WebSocket session with the gateway core: `{id, call, input}` messages in,
 * `{id, result}` replies and `{event, payload}` events out. Anything that is not a well-formed call
 * (binary frames, bad JSON, `null`, a non-numeric id) is dropped; no message can throw out of here.
 */
import type { WebSocket } from 'ws';
import { gatewayApi } from '../../preload/api.js';
import { dispatchCall } from '../../preload/dispatch.js';
import type { GatewayCore } from '../api/gateway-core.js';

interface CallMessage {
  id: number;
  call: unknown;
  input: unknown;
}

/** Parses one text frame as a call; undefined for anything else. */
export function parseCallMessage(text: string): CallMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { id, call, input } = value as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isFinite(id)) return undefined;
  return { id, call, input };
}

function frameText(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** Serves the gateway API on `socket` until it closes. */
export function runSocketSession(core: GatewayCore, socket: WebSocket, log: (line: string) => void): void {
  const send = (message: unknown) => {
    if (socket.readyState !== socket.OPEN) return;
    socket.send(JSON.stringify(message), (error) => {
      if (error !== undefined && error !== null) log(`edge: send failed: ${error.message}`);
    });
  };
  const unsubscribe = core.events.subscribe((event, payload) => send({ event, payload }));
  socket.on('close', unsubscribe);
  // ws reports protocol violations (oversized or malformed frames) here before closing the socket.
  socket.on('error', (error) => log(`edge: WebSocket error: ${error.message}`));
  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    const message = parseCallMessage(frameText(data));
    if (message === undefined) return;
    dispatchCall(gatewayApi, core.handlers, message.call, message.input).then(
      (result) => send({ id: message.id, result }),
      (error: unknown) => log(`edge: call failed: ${String(error)}`),
    );
  });
}
