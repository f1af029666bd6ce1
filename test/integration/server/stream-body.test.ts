import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { sendStreamBody } from '../../../server/http/stream-body.js';

const PIECE = 256 * 1024;
const PIECES = 40;
const log = pino({ level: 'silent' });

/** Pieces written into ONE reused buffer, piece i filled with byte i: reuse before a write would show. */
async function* reusedBuffer(state: { closed: boolean }, failAt?: number): AsyncGenerator<Uint8Array> {
  const buf = new Uint8Array(PIECE);
  try {
    for (let i = 0; i < PIECES; i++) {
      if (i === failAt) throw new Error('the producer failed');
      buf.fill(i);
      yield await Promise.resolve(buf);
    }
  } finally {
    state.closed = true;
  }
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise((r) => server?.close(r));
  server = undefined;
});

async function serve(body: () => AsyncIterable<Uint8Array>): Promise<number> {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    void sendStreamBody(res, body(), log);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

function request(port: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) =>
    get({ host: '127.0.0.1', port, path: '/' }, resolve).on('error', reject),
  );
}

describe('a streamed response body', () => {
  it('delivers every piece intact to a slow client although the producer reuses one buffer', async () => {
    const state = { closed: false };
    const port = await serve(() => reusedBuffer(state));
    const res = await request(port);
    const counts = new Map<number, number>();
    for await (const chunk of res as AsyncIterable<Buffer>) {
      for (const byte of chunk) counts.set(byte, (counts.get(byte) ?? 0) + 1);
      await sleep(1); // a slow reader: the server's writes wait for the socket
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: PIECES }, (_, i) => i));
    expect([...counts.values()].every((n) => n === PIECE)).toBe(true);
    expect(state.closed).toBe(true);
  });

  it('stops the producer when the client goes away', async () => {
    const state = { closed: false };
    const port = await serve(() => reusedBuffer(state));
    const res = await request(port);
    await new Promise((r) => res.once('data', r));
    res.destroy();
    for (let i = 0; i < 200 && !state.closed; i++) await sleep(10);
    expect(state.closed).toBe(true);
  });

  it('truncates the transfer when the producer fails after the first byte', async () => {
    const state = { closed: false };
    const port = await serve(() => reusedBuffer(state, 3));
    const res = await request(port);
    let bytes = 0;
    const ended = await new Promise<string>((resolve) => {
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve('end'));
      res.on('error', () => resolve('error'));
      res.on('aborted', () => resolve('aborted'));
    });
    expect(ended).not.toBe('end');
    expect(bytes).toBeLessThanOrEqual(3 * PIECE);
  });
});
