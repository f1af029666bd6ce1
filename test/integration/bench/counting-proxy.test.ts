/**
 * The byte-counting proxy of the e2e-sync benchmark (bench/_counting-proxy.ts): it relays HTTP
 * exchanges untouched and counts exactly the bytes the server's socket read and wrote —
 * request lines, headers and bodies included — over keep-alive connections.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Agent, createServer, request, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CountingProxy } from '../../../bench/_counting-proxy.js';

interface Target {
  server: Server;
  port: number;
  sockets: Socket[];
}

async function startTarget(): Promise<Target> {
  const sockets: Socket[] = [];
  const server = createServer((req, res) => {
    const hash = createHash('sha256');
    req.on('data', (data: Buffer) => hash.update(data));
    req.on('end', () => {
      const body = randomBytes(Number(req.headers['x-answer-bytes'] ?? 0));
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-sha256': hash.digest('hex') });
      res.end(body);
    });
  });
  server.on('connection', (socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('not listening');
  return { server, port: address.port, sockets };
}

function post(
  url: string,
  agent: Agent,
  body: Buffer,
  answerBytes: number,
): Promise<{ sha256: string; answer: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { 'x-answer-bytes': String(answerBytes) } },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () =>
          resolve({ sha256: String(res.headers['x-sha256']), answer: Buffer.concat(parts) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('CountingProxy', () => {
  it('counts exactly the bytes the server read and wrote, both ways, over keep-alive', async () => {
    const target = await startTarget();
    cleanups.push(() => new Promise((resolve) => target.server.close(() => resolve())));
    const proxy = await CountingProxy.start(target.port);
    cleanups.push(() => proxy.close());
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    cleanups.push(() => Promise.resolve(agent.destroy()));

    const sizes = [0, 1, 70_000, 1_000_000];
    for (const size of sizes) {
      const body = randomBytes(size);
      const { sha256, answer } = await post(`${proxy.url}/upload`, agent, body, size % 1000);
      expect(sha256).toBe(createHash('sha256').update(body).digest('hex'));
      expect(answer.length).toBe(size % 1000);
    }

    const counts = proxy.snapshot();
    expect(counts.connections).toBe(1);
    expect(target.sockets).toHaveLength(1);
    const serverSide = target.sockets[0]!;
    expect(counts.requestBytes).toBe(serverSide.bytesRead);
    expect(counts.responseBytes).toBe(serverSide.bytesWritten);
    // the bodies are there, and so are the headers
    const bodies = sizes.reduce((n, s) => n + s, 0);
    expect(counts.requestBytes).toBeGreaterThan(bodies + sizes.length * 50);
  });

  it('counts each connection it relays', async () => {
    const target = await startTarget();
    cleanups.push(() => new Promise((resolve) => target.server.close(() => resolve())));
    const proxy = await CountingProxy.start(target.port);
    cleanups.push(() => proxy.close());
    for (let i = 0; i < 3; i++) {
      const agent = new Agent({ keepAlive: false });
      await post(`${proxy.url}/x`, agent, Buffer.from('hello'), 10);
      agent.destroy();
    }
    const counts = proxy.snapshot();
    expect(counts.connections).toBe(3);
    expect(counts.requestBytes).toBe(target.sockets.reduce((n, s) => n + s.bytesRead, 0));
    expect(counts.responseBytes).toBe(target.sockets.reduce((n, s) => n + s.bytesWritten, 0));
  });
});
