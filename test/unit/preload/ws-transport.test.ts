/**
 * The edge UI's WebSocket transport against a real WebSocket server on 127.0.0.1: malformed frames
 * are dropped, in-flight calls fail with `disconnected` when the socket drops, calls made while
 * disconnected wait for the reconnect, the reconnect follows the shared backoff, and a page that
 * said `app.ready` says it again on the new connection.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import {
  CALL_WAIT_LIMIT_MS,
  createWebSocketTransport,
  parseHostMessage,
} from '../../../preload/ws-transport.js';

interface Server {
  wss: WebSocketServer;
  port: number;
  /** Calls received, per connection. */
  calls: string[][];
  sockets: WebSocket[];
}

const servers: WebSocketServer[] = [];
afterEach(async () => {
  for (const wss of servers.splice(0)) {
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }
});

/** A host that answers every call but `slow` with `{ok: true, value: call}`. */
async function startServer(port = 0, onConnect?: (socket: WebSocket) => void): Promise<Server> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  servers.push(wss);
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const server: Server = { wss, port: (wss.address() as AddressInfo).port, calls: [], sockets: [] };
  wss.on('connection', (socket) => {
    const calls: string[] = [];
    server.calls.push(calls);
    server.sockets.push(socket);
    onConnect?.(socket);
    socket.on('message', (data) => {
      const { id, call } = JSON.parse((data as Buffer).toString('utf8')) as { id: number; call: string };
      calls.push(call);
      if (call !== 'slow') socket.send(JSON.stringify({ id, result: { ok: true, value: call } }));
    });
  });
  return server;
}

function transportTo(port: number, delays: number[] = []) {
  return createWebSocketTransport(
    () => new WebSocket(`ws://127.0.0.1:${port}`) as unknown as globalThis.WebSocket,
    {
      backoff: { initialMs: 20, maxMs: 200, random: () => 0.5 },
      setTimer: (callback, delayMs) => {
        if (delayMs !== CALL_WAIT_LIMIT_MS) delays.push(delayMs); // the reconnect delays only
        return setTimeout(callback, delayMs);
      },
    },
  );
}

describe('parseHostMessage', () => {
  it('accepts results and events and nothing else', () => {
    expect(parseHostMessage('{"id":1,"result":{"ok":true,"value":2}}')).toEqual({
      kind: 'result',
      id: 1,
      result: { ok: true, value: 2 },
    });
    expect(parseHostMessage('{"event":"queue.changed","payload":{}}')).toMatchObject({ kind: 'event' });
    for (const bad of [
      'not json',
      'null',
      '[]',
      '7',
      '{"id":1,"result":{"ok":"yes"}}',
      '{"id":1,"result":{"ok":false,"error":"x"}}',
      '{"id":"1","result":{"ok":true,"value":1}}',
      '{"event":5}',
      new ArrayBuffer(4),
    ]) {
      expect(parseHostMessage(bad)).toBeUndefined();
    }
  });
});

describe('the WebSocket transport', () => {
  it('drops malformed frames and still delivers the good ones', async () => {
    const server = await startServer(0, (socket) => {
      socket.send(Buffer.from([1, 2, 3]), { binary: true });
      for (const text of ['not json', 'null', '{"id":99,"result":{"ok":"maybe"}}', '{"event":7}'])
        socket.send(text);
      socket.send(JSON.stringify({ event: 'queue.changed', payload: { n: 1 } }));
    });
    const transport = transportTo(server.port);
    const heard: unknown[] = [];
    transport.subscribe('queue.changed', (payload) => heard.push(payload));
    await vi.waitFor(() => expect(heard).toEqual([{ n: 1 }]), { timeout: 10_000 });
    await expect(transport.invoke('app.info', {})).resolves.toEqual({ ok: true, value: 'app.info' });
  });

  it('fails the call in flight when the socket drops, reconnects with backoff and says app.ready again', async () => {
    const server = await startServer();
    const delays: number[] = [];
    const transport = transportTo(server.port, delays);
    await expect(transport.invoke('app.ready', {})).resolves.toMatchObject({ ok: true });
    const inFlight = transport.invoke('slow', {});
    await vi.waitFor(() => expect(server.calls[0]).toContain('slow'), { timeout: 10_000 });
    server.sockets[0]!.terminate();
    await expect(inFlight).resolves.toMatchObject({ ok: false, error: { code: 'disconnected' } });
    await vi.waitFor(() => expect(server.calls[1]).toEqual(['app.ready']), { timeout: 10_000 });
    expect(delays[0]).toBe(20); // the shared backoff's first delay (jitter centred by random 0.5)
    await expect(transport.invoke('settings.get', {})).resolves.toEqual({ ok: true, value: 'settings.get' });
  });

  it('keeps calls made while the gateway is away and sends them once it is back', async () => {
    const first = await startServer();
    const port = first.port;
    const delays: number[] = [];
    const transport = transportTo(port, delays);
    await expect(transport.invoke('app.info', {})).resolves.toMatchObject({ ok: true });
    for (const client of first.wss.clients) client.terminate();
    await new Promise<void>((resolve) => first.wss.close(() => resolve()));
    servers.splice(servers.indexOf(first.wss), 1);
    await vi.waitFor(() => expect(delays.length).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
    const waiting = transport.invoke('queue.status', {});
    const second = await startServer(port);
    await expect(waiting).resolves.toEqual({ ok: true, value: 'queue.status' });
    expect(second.calls.flat()).toContain('queue.status');
    // the delays grew while the gateway was away (20, 40, 80, … capped at 200)
    expect(delays[1]).toBeGreaterThan(delays[0]!);
  });
});
