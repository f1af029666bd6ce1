/**
 * Nothing a web page or anyone on the network sends ends the edge gateway: a real edge process
 * takes the three requests that used to kill it, then fast-check's raw HTTP requests, upgrade
 * requests and WebSocket frames, and still serves its page afterwards.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { raw, startEdgeChild, type EdgeChild } from './edge-child.js';

const TOKEN = 'fuzz-token-0123456789abcdef';
let edge: EdgeChild;

beforeAll(async () => {
  edge = await startEdgeChild(['--token', TOKEN]);
});
afterAll(() => edge.stop());

async function stillServes(): Promise<void> {
  expect(edge.alive(), edge.output()).toBe(true);
  const response = await fetch(`http://127.0.0.1:${edge.port}/?token=${TOKEN}`);
  expect(response.status).toBe(200);
  expect(await response.text()).toContain('gateway-bootstrap.js');
}

const host = () => `127.0.0.1:${edge.port}`;
const headerText = fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((s) => s.replace(/[\r\n]/g, ''));
const pathText = fc.oneof(
  fc.webPath(),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((s) => `/${s.replace(/[\s]/g, '')}`),
  fc.constantFrom('/%', '/assets', '/assets/', '/%c0%ae%c0%ae/', '/..%2f..%2fetc/passwd', '//x', '*'),
);

describe('the edge host under hostile input', () => {
  it('survives GET /%, GET /assets and a WebSocket upgrade with Origin: null, with and without the token', async () => {
    for (const query of ['', `?token=${TOKEN}`]) {
      await raw(edge.port, `GET /%${query} HTTP/1.1\r\nHost: ${host()}\r\n\r\n`);
      await raw(edge.port, `GET /assets${query} HTTP/1.1\r\nHost: ${host()}\r\n\r\n`);
      await raw(
        edge.port,
        `GET /gateway-ws${query} HTTP/1.1\r\nHost: ${host()}\r\nOrigin: null\r\nUpgrade: websocket\r\n` +
          'Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      );
    }
    await stillServes();
  });

  it('answers 401 without the token on every route, not just the page', async () => {
    for (const path of ['/', '/index.html', '/gateway-bootstrap.js', '/assets', '/%', '/nope']) {
      const response = await fetch(`http://127.0.0.1:${edge.port}${path}`);
      expect(response.status, path).toBe(401);
    }
  });

  it('no request line, path or header ends the process', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'HEAD', 'POST', 'OPTIONS', 'PUT', 'G\u00e9T', ''),
        pathText,
        fc.boolean(),
        fc.array(
          fc.tuple(fc.constantFrom('Host', 'Origin', 'Cookie', 'Range', 'X-A', 'Upgrade'), headerText),
          {
            maxLength: 4,
          },
        ),
        async (method, path, withToken, headers) => {
          const target = withToken ? `${path}${path.includes('?') ? '&' : '?'}token=${TOKEN}` : path;
          const lines = headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
          await raw(edge.port, `${method} ${target} HTTP/1.1\r\nHost: ${host()}\r\n${lines}\r\n`);
          expect(edge.alive(), edge.output()).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
    await raw(edge.port, fc.sample(fc.uint8Array({ maxLength: 400 }), 1)[0] ?? new Uint8Array());
    await stillServes();
  });

  it('no upgrade request ends the process', async () => {
    await fc.assert(
      fc.asyncProperty(
        pathText,
        fc.option(
          fc.oneof(fc.constantFrom('null', '', 'http://', 'file://x', `http://${host()}`), headerText),
        ),
        fc.option(fc.oneof(fc.constant(host()), headerText)),
        fc.boolean(),
        async (path, origin, hostHeader, withToken) => {
          const target = withToken ? `${path}?token=${TOKEN}` : path;
          const lines =
            (hostHeader === null ? '' : `Host: ${hostHeader}\r\n`) +
            (origin === null ? '' : `Origin: ${origin}\r\n`) +
            'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n' +
            'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';
          await raw(edge.port, `GET ${target} HTTP/1.1\r\n${lines}\r\n`);
          expect(edge.alive(), edge.output()).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
    await stillServes();
  });

  it('no WebSocket frame ends the process, and the socket still answers calls', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${edge.port}/gateway-ws?token=${TOKEN}`);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const frame = fc.oneof(
      fc.json(),
      fc.constantFrom('null', '[]', '1', '"x"', '{"id":null}', '{"id":1e999,"call":"settings.get"}'),
      fc
        .record({
          id: fc.oneof(fc.integer(), fc.double(), fc.string()),
          call: fc.string(),
          input: fc.anything(),
        })
        .map((m) => JSON.stringify(m) ?? 'undefined'),
      fc.uint8Array({ maxLength: 64 }),
    );
    await fc.assert(
      fc.asyncProperty(frame, async (data) => {
        await new Promise<void>((resolve) => socket.send(data, () => resolve()));
      }),
      { numRuns: 300 },
    );
    const reply = await new Promise<unknown>((resolve) => {
      socket.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString()) as { id?: number; result?: unknown };
        if (message.id === 424242) resolve(message.result);
      });
      socket.send(JSON.stringify({ id: 424242, call: 'no.such.call', input: {} }));
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'unknown_call' } });
    socket.close();
    // A frame over the 1 MiB limit makes ws close that socket with an error, not end the process.
    const big = new WebSocket(`ws://127.0.0.1:${edge.port}/gateway-ws?token=${TOKEN}`);
    await new Promise<void>((resolve) => big.once('open', () => resolve()));
    const closed = new Promise<number>((resolve) => big.once('close', (code) => resolve(code)));
    big.send('x'.repeat(2 * 1024 * 1024));
    expect(await closed).toBe(1009);
    await stillServes();
  });
});
