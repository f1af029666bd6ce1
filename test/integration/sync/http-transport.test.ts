/**
 * The axios transport against real HTTP servers on 127.0.0.1: what it sends (JSON, raw bytes,
 * multipart), what it returns (every status, JSON or bytes), and how each way of failing is said.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TransportError } from '../../../main/sync/errors.js';
import { HttpTransport } from '../../../main/sync/http-transport.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

let server: Server | undefined;
let transport: HttpTransport | undefined;
const sockets = new Set<Socket>();

afterEach(async () => {
  transport?.close();
  transport = undefined;
  for (const s of sockets) s.destroy();
  if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
  server = undefined;
});

async function serve(
  handle: (seen: Seen, res: ServerResponse) => void,
): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      const entry = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(parts),
      };
      seen.push(entry);
      handle(entry, res);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, seen };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
};

describe('HttpTransport', () => {
  it('sends JSON with query and headers, and returns every status with its parsed body', async () => {
    const { url, seen } = await serve((s, res) =>
      json(res, s.url.startsWith('/missing') ? 404 : 201, { echo: s.url }),
    );
    transport = new HttpTransport({ baseUrl: `${url}/`, userAgent: 'PulseWatch-Gateway/test' });
    const created = await transport.send({
      method: 'POST',
      path: '/v1/things',
      query: { limit: '5' },
      headers: { authorization: 'Bearer t' },
      body: { kind: 'json', value: { a: 1 } },
    });
    expect(created).toMatchObject({ status: 201, body: { echo: '/v1/things?limit=5' } });
    expect(seen[0]!.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: 'Bearer t',
      'user-agent': 'PulseWatch-Gateway/test',
    });
    expect(JSON.parse(seen[0]!.body.toString())).toEqual({ a: 1 });
    const missing = await transport.send({
      method: 'GET',
      path: '/missing',
      query: {},
      headers: {},
      body: undefined,
    });
    expect(missing).toMatchObject({ status: 404, body: { echo: '/missing' } });
  });

  it('sends raw chunk bytes as they are and returns binary answers as bytes', async () => {
    const payload = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) & 0xff).subarray(5);
    const { url, seen } = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'application/pdf' });
      res.end(Buffer.from([37, 80, 68, 70, 0, 255]));
    });
    transport = new HttpTransport({ baseUrl: url });
    const answer = await transport.send({
      method: 'PUT',
      path: '/chunk',
      query: {},
      headers: { 'x-chunk-sha256': 'ab' },
      body: { kind: 'binary', bytes: payload, contentType: 'application/octet-stream' },
    });
    expect(seen[0]!.headers['content-type']).toBe('application/octet-stream');
    expect(new Uint8Array(seen[0]!.body)).toEqual(payload);
    expect(answer.body).toEqual(new Uint8Array([37, 80, 68, 70, 0, 255]));
  });

  it('sends multipart forms with a JSON field and a file', async () => {
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
    const { url, seen } = await serve((_, res) => json(res, 201, { ok: true }));
    transport = new HttpTransport({ baseUrl: url });
    await transport.send({
      method: 'POST',
      path: '/v1/reports',
      query: {},
      headers: {},
      body: {
        kind: 'multipart',
        fields: { metadata: '{"id":"r1"}' },
        file: { field: 'file', bytes: pdf, contentType: 'application/pdf', fileName: 'report.pdf' },
      },
    });
    const contentType = seen[0]!.headers['content-type'] ?? '';
    expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
    const form = await new Response(Uint8Array.from(seen[0]!.body), {
      headers: { 'content-type': contentType },
    }).formData();
    expect(form.get('metadata')).toBe('{"id":"r1"}');
    const file = form.get('file') as File;
    expect(file.type).toBe('application/pdf');
    expect(Buffer.from(await file.arrayBuffer())).toEqual(pdf);
  });

  it('ignores proxy environment variables: only the settings choose a proxy', async () => {
    const { url } = await serve((_, res) => json(res, 200, { direct: true }));
    const saved = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = 'http://127.0.0.1:9';
    try {
      transport = new HttpTransport({ baseUrl: url });
      const answer = await transport.send({
        method: 'GET',
        path: '/',
        query: {},
        headers: {},
        body: undefined,
      });
      expect(answer.body).toEqual({ direct: true });
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved;
    }
  });

  const get = (t: HttpTransport) =>
    t.send({ method: 'GET', path: '/', query: {}, headers: {}, body: undefined });

  it('says "server unreachable (connection refused)" when nothing listens', async () => {
    const { url } = await serve(() => undefined);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    transport = new HttpTransport({ baseUrl: url });
    await expect(get(transport)).rejects.toMatchObject({
      name: 'TransportError',
      code: 'unreachable',
      message: 'server unreachable (connection refused)',
    });
  });

  it('says "timed out after …" when the server never answers', async () => {
    const { url } = await serve(() => undefined);
    transport = new HttpTransport({ baseUrl: url, timeoutMs: 200 });
    await expect(get(transport)).rejects.toMatchObject({
      code: 'timeout',
      message: 'timed out after 200 ms',
    });
  });

  it('says the connection was lost when the server drops it mid-answer', async () => {
    const { url } = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"partial":');
      setTimeout(() => res.socket?.destroy(), 10);
    });
    transport = new HttpTransport({ baseUrl: url });
    await expect(get(transport)).rejects.toMatchObject({ code: 'connection_lost' });
  });

  it('refuses JSON that does not parse, and names a proxy asking for credentials', async () => {
    const { url } = await serve((s, res) => {
      if (s.url === '/proxy') {
        res.writeHead(407, { 'content-type': 'text/plain' });
        res.end('auth');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{not json');
    });
    transport = new HttpTransport({ baseUrl: url });
    await expect(get(transport)).rejects.toMatchObject({ code: 'bad_response' });
    await expect(
      transport.send({ method: 'GET', path: '/proxy', query: {}, headers: {}, body: undefined }),
    ).rejects.toMatchObject({ code: 'proxy', message: expect.stringContaining('407') });
  });

  it('cancels requests in flight on close', async () => {
    const { url } = await serve(() => undefined);
    transport = new HttpTransport({ baseUrl: url });
    const pending = get(transport);
    await new Promise((resolve) => setTimeout(resolve, 50));
    transport.close();
    const error: unknown = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'canceled' });
    await expect(get(transport)).rejects.toMatchObject({ code: 'canceled' });
  });

  it.each([
    ['not a url', 'is not a URL'],
    ['ftp://server', 'must start with https:// or http://'],
    ['https://server/?x=1', 'must not have a query'],
  ])('refuses the server URL %s in plain words', (baseUrl, message) => {
    expect(() => new HttpTransport({ baseUrl })).toThrow(
      expect.objectContaining({ code: 'bad_config', message: expect.stringContaining(message) }),
    );
  });

  it('refuses a proxy URL that is not http(s)', () => {
    expect(
      () => new HttpTransport({ baseUrl: 'http://127.0.0.1:1', proxyUrl: 'socks5://127.0.0.1:1080' }),
    ).toThrow(/must start with http:\/\/ or https:\/\//);
  });
});
