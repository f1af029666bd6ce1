/**
 * Who may use the edge host (in-process host on 127.0.0.1 with a real gateway core): a
 * DNS-rebinding page, a request without the token, a foreign origin; the token's exchange for an
 * HttpOnly cookie; HTTPS with a given certificate.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createGatewayCore, type GatewayCore } from '../../../main/api/gateway-core.js';
import { ensureUiBuilt } from '../../../main/edge/build-ui.js';
import { startEdgeHost, type EdgeHost } from '../../../main/edge/host.js';
import { raw } from './edge-child.js';

const TOKEN = 'access-token-0123456789abcdef';
const dir = mkdtempSync(join(tmpdir(), 'pulsewatch-edge-access-'));
let core: GatewayCore;
const hosts: EdgeHost[] = [];

async function host(options: { token?: string; tls?: { cert: Buffer; key: Buffer } } = {}) {
  const started = await startEdgeHost({
    core,
    staticDir: ensureUiBuilt(() => undefined),
    host: '127.0.0.1',
    port: 0,
    log: () => undefined,
    ...options,
  });
  hosts.push(started);
  return { started, port: Number(new URL(started.url).port) };
}

/** The status line of a WebSocket upgrade sent with these headers. */
async function upgradeStatus(port: number, path: string, headers: Record<string, string>): Promise<string> {
  const lines = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  const reply = await raw(
    port,
    `GET ${path} HTTP/1.1\r\n${lines}Upgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
  );
  return reply.split('\r\n')[0] ?? '';
}

beforeAll(() => {
  core = createGatewayCore({
    dataDir: join(dir, 'data'),
    mode: 'edge',
    version: '0.0.0-test',
    listPorts: () => Promise.resolve([]),
  });
});
afterAll(async () => {
  for (const started of hosts) await started.close();
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('edge host on a loopback bind (DNS rebinding)', () => {
  it('answers only to loopback host names with its own port', async () => {
    const { port } = await host();
    const status = async (hostHeader: string) =>
      (await raw(port, `GET / HTTP/1.1\r\nHost: ${hostHeader}\r\n\r\n`)).split('\r\n')[0];
    expect(await status(`127.0.0.1:${port}`)).toBe('HTTP/1.1 200 OK');
    expect(await status(`localhost:${port}`)).toBe('HTTP/1.1 200 OK');
    expect(await status(`[::1]:${port}`)).toBe('HTTP/1.1 200 OK');
    expect(await status(`rebind.attacker.example:${port}`)).toBe('HTTP/1.1 403 Forbidden');
    expect(await status(`127.0.0.1:${port + 1}`)).toBe('HTTP/1.1 403 Forbidden');
    expect(await status('127.0.0.1')).toBe('HTTP/1.1 403 Forbidden');
  });

  it('refuses the WebSocket of a rebinding page whose Origin matches its own Host', async () => {
    const { port } = await host();
    const evil = `rebind.attacker.example:${port}`;
    expect(await upgradeStatus(port, '/gateway-ws', { Host: evil, Origin: `http://${evil}` })).toBe(
      'HTTP/1.1 403 Forbidden',
    );
    expect(await upgradeStatus(port, '/gateway-ws', { Host: `127.0.0.1:${port}`, Origin: 'null' })).toBe(
      'HTTP/1.1 403 Forbidden',
    );
    expect(
      await upgradeStatus(port, '/gateway-ws', {
        Host: `127.0.0.1:${port}`,
        Origin: `http://127.0.0.1:${port}`,
      }),
    ).toBe('HTTP/1.1 101 Switching Protocols');
  });

  it('answers 405 with Allow to a method other than GET and HEAD', async () => {
    const { port } = await host();
    const response = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'x' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('edge host with a token', () => {
  it('exchanges the first load’s ?token= for an HttpOnly SameSite=Strict cookie that opens every route', async () => {
    const { started, port } = await host({ token: TOKEN });
    expect(started.url).toBe(`http://127.0.0.1:${port}/?token=${TOKEN}`);
    const first = await fetch(started.url);
    expect(first.status).toBe(200);
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(
      new RegExp(`^pulsewatch_edge_${port}=${TOKEN}; Path=/; HttpOnly; SameSite=Strict$`),
    );
    const pair = cookie.split(';')[0] ?? '';
    for (const path of ['/', '/gateway-bootstrap.js']) {
      expect((await fetch(`http://127.0.0.1:${port}${path}`)).status, path).toBe(401);
      expect((await fetch(`http://127.0.0.1:${port}${path}`, { headers: { cookie: pair } })).status).toBe(
        200,
      );
    }
    const wrong = `pulsewatch_edge_${port}=${TOKEN.replace('a', 'b')}`;
    expect((await fetch(`http://127.0.0.1:${port}/`, { headers: { cookie: wrong } })).status).toBe(401);
    const origin = `http://127.0.0.1:${port}`;
    expect(await upgradeStatus(port, '/gateway-ws', { Host: `127.0.0.1:${port}`, Origin: origin })).toBe(
      'HTTP/1.1 401 Unauthorized',
    );
    const socket = new WebSocket(`ws://127.0.0.1:${port}/gateway-ws`, { headers: { cookie: pair }, origin });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.close();
  });
});

describe('edge host with a certificate', () => {
  it('serves HTTPS (and the cookie is Secure)', async () => {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const { started, port } = await host({
      token: TOKEN,
      tls: { cert: readFileSync(cert), key: readFileSync(key) },
    });
    expect(started.url).toBe(`https://127.0.0.1:${port}/?token=${TOKEN}`);
    const reply = await new Promise<{ status: number; cookie: string }>((resolve, reject) => {
      const request = httpsRequest(
        started.url,
        { ca: readFileSync(cert), checkServerIdentity: () => undefined },
        (response) => {
          response.resume();
          resolve({ status: response.statusCode ?? 0, cookie: String(response.headers['set-cookie'] ?? '') });
        },
      );
      request.on('error', reject);
      request.end();
    });
    expect(reply.status).toBe(200);
    expect(reply.cookie).toContain('; Secure');
    const plainReply = await raw(port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    expect(plainReply.startsWith('HTTP/1.1 200')).toBe(false);
  });
});
