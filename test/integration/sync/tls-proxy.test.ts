/**
 * HTTPS with a configurable CA bundle and an HTTP proxy: a local HTTPS ingest server with a
 * self-signed certificate made here with openssl is refused without the bundle (in plain words)
 * and accepted with it; through a CONNECT proxy written here the TLS session goes end to end
 * (the proxy sees only the tunnel); an unreachable proxy is named as such.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  allAcked,
  issueCode,
  openGateway,
  queueRecording,
  serverChunks,
  startLiveServer,
  waitFor,
  type Gateway,
  type LiveServer,
} from './sync-harness.js';

let dir: string;
let certFile: string;
let keyFile: string;
let live: LiveServer | undefined;
let gw: Gateway | undefined;
let proxy: { url: string; lines: string[]; close(): Promise<void> } | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pulsewatch-sync-tls-'));
  certFile = join(dir, 'server-cert.pem');
  keyFile = join(dir, 'server-key.pem');
  // A self-signed certificate for 127.0.0.1 (P-256: quick to make).
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=PulseWatch test server',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

afterEach(async () => {
  await gw?.close();
  await proxy?.close();
  await live?.close();
  gw = undefined;
  live = undefined;
  proxy = undefined;
});

const tls = () => ({ cert: readFileSync(certFile), key: readFileSync(keyFile) });

/** A forward proxy: CONNECT tunnels (https targets) and absolute-form requests (http targets). */
async function startProxy(): Promise<NonNullable<typeof proxy>> {
  const lines: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    lines.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '');
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: target.pathname + target.search,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    lines.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(client).add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    lines,
    async close() {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('HTTPS and proxy', () => {
  it('refuses a self-signed server without the CA bundle, in plain words', async () => {
    live = await startLiveServer({ tls: tls() });
    gw = openGateway();
    await expect(gw.sync.enroll(live.url, await issueCode(live))).rejects.toMatchObject({
      code: 'enroll_failed',
      message: `cannot reach ${live.url}: TLS: certificate not trusted — set the CA bundle`,
    });
  });

  it('accepts it with the CA bundle and uploads everything', async () => {
    live = await startLiveServer({ tls: tls() });
    gw = openGateway({ settings: { caBundlePath: certFile } });
    gw.sync.start();
    await gw.sync.enroll(live.url, await issueCode(live));
    const rec = queueRecording(gw.queue, { ecgChunks: 2, hrChunks: 1 });
    await waitFor(
      () => allAcked(gw!.queue),
      'acked over HTTPS',
      30_000,
      () => gw!.sync.status(),
    );
    expect(serverChunks(live).size).toBe(rec.chunks.length);

    // Taking the bundle away: the next upload is refused by TLS, and the status says why.
    gw.sync.configure({ caBundlePath: null });
    queueRecording(gw.queue, { ecgChunks: 1, hrChunks: 0 });
    await waitFor(
      () => gw!.sync.status().lastError === 'TLS: certificate not trusted — set the CA bundle',
      'TLS refusal in the status',
      30_000,
      () => gw!.sync.status(),
    );
    expect(gw.sync.status()).toMatchObject({ state: 'offline', failedItems: 0 });
    gw.sync.configure({ caBundlePath: certFile });
    await waitFor(
      () => allAcked(gw!.queue),
      'acked once the bundle is back',
      30_000,
      () => gw!.sync.status(),
    );
  });

  it('rejects an unreadable or empty CA bundle and keeps the working settings', async () => {
    live = await startLiveServer({ tls: tls() });
    gw = openGateway({ settings: { caBundlePath: certFile } });
    gw.sync.start();
    await gw.sync.enroll(live.url, await issueCode(live));
    const empty = join(dir, 'empty.pem');
    writeFileSync(empty, 'not a certificate\n');
    expect(() => gw!.sync.configure({ caBundlePath: join(dir, 'missing.pem') })).toThrow(
      expect.objectContaining({ code: 'bad_config', message: expect.stringContaining('cannot be read') }),
    );
    expect(() => gw!.sync.configure({ caBundlePath: empty })).toThrow(/holds no PEM certificate/);
    expect(() => gw!.sync.configure({ uploadCapBytesPerS: 0 })).toThrow(/upload cap must be a positive/);
    queueRecording(gw.queue, { ecgChunks: 1, hrChunks: 0 });
    await waitFor(
      () => allAcked(gw!.queue),
      'still uploads with the old bundle',
      30_000,
      () => gw!.sync.status(),
    );
    // Before enrollment too, a bad bundle or proxy is refused when it is set, not at the first upload.
    const fresh = openGateway();
    try {
      expect(() => fresh.sync.configure({ caBundlePath: empty })).toThrow(/holds no PEM certificate/);
      expect(() => fresh.sync.configure({ proxyUrl: 'socks5://127.0.0.1:1080' })).toThrow(
        /http:\/\/ or https:\/\//,
      );
      fresh.sync.configure({ caBundlePath: certFile, uploadCapBytesPerS: 50_000 });
      expect(fresh.sync.status().uploadCapBytesPerS).toBe(50_000);
    } finally {
      await fresh.close();
    }
  });

  it('tunnels HTTPS through the proxy with CONNECT, TLS end to end', async () => {
    live = await startLiveServer({ tls: tls() });
    proxy = await startProxy();
    gw = openGateway({ settings: { caBundlePath: certFile, proxyUrl: proxy.url } });
    gw.sync.start();
    await gw.sync.enroll(live.url, await issueCode(live));
    const rec = queueRecording(gw.queue, { ecgChunks: 2, hrChunks: 1 });
    await waitFor(
      () => allAcked(gw!.queue),
      'acked through the tunnel',
      30_000,
      () => gw!.sync.status(),
    );
    expect(serverChunks(live).size).toBe(rec.chunks.length);
    expect(proxy.lines.length).toBeGreaterThan(0);
    expect(proxy.lines.every((l) => l === `CONNECT 127.0.0.1:${live!.port}`)).toBe(true);
  });

  it('sends plain-HTTP requests through the proxy, and names an unreachable proxy', async () => {
    live = await startLiveServer();
    proxy = await startProxy();
    gw = openGateway({ settings: { proxyUrl: proxy.url } });
    gw.sync.start();
    await gw.sync.enroll(live.url, await issueCode(live));
    queueRecording(gw.queue, { ecgChunks: 1, hrChunks: 1 });
    await waitFor(
      () => allAcked(gw!.queue),
      'acked through the proxy',
      30_000,
      () => gw!.sync.status(),
    );
    expect(proxy.lines.some((l) => l.startsWith(`PUT ${live!.url}/v1/recordings/`))).toBe(true);

    const deadProxy = proxy.url;
    await proxy.close();
    proxy = undefined;
    gw.sync.configure({ proxyUrl: deadProxy });
    queueRecording(gw.queue, { ecgChunks: 1, hrChunks: 0 });
    await waitFor(
      () => gw!.sync.status().lastError === 'proxy unreachable (connection refused)',
      'proxy named',
      30_000,
      () => gw!.sync.status(),
    );
  });
});
