/**
 * The edge host: serves the built UI and carries the gateway API over a WebSocket, so any
 * browser becomes the gateway's screen. Loopback by default; bound to another address it
 * requires a token (in the page URL's `?token=`), and it always rejects WebSocket upgrades from
 * foreign origins (a page elsewhere cannot drive the gateway through the user's browser).
 */
import { timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { gatewayApi } from '../../preload/api.js';
import { dispatchCall } from '../../preload/dispatch.js';
import { EDGE_WS_PATH } from '../../preload/ipc-channels.js';
import type { GatewayCore } from '../api/gateway-core.js';

export interface EdgeHostOptions {
  core: GatewayCore;
  /** Folder of the built renderer (holds index.html and gateway-bootstrap.js). */
  staticDir: string;
  host: string;
  port: number;
  /** Required when `host` is not a loopback address. */
  token?: string;
}

export interface EdgeHost {
  readonly url: string;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const MAX_MESSAGE_BYTES = 1024 * 1024;

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

function tokenMatches(expected: string | undefined, given: string | null): boolean {
  if (expected === undefined) return true;
  if (given === null) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** index.html with the edge bootstrap injected before the renderer's module script. */
function indexHtml(staticDir: string): string {
  const html = readFileSync(join(staticDir, 'index.html'), 'utf8');
  return html.replace(
    '<script type="module"',
    '<script src="./gateway-bootstrap.js"></script>\n    <script type="module"',
  );
}

function serveStatic(staticDir: string, request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://edge');
  const headers = {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
  };
  if (url.pathname === '/' || url.pathname === '/index.html') {
    response.writeHead(200, { ...headers, 'content-type': CONTENT_TYPES['.html'] });
    response.end(indexHtml(staticDir));
    return;
  }
  const file = normalize(join(staticDir, decodeURIComponent(url.pathname)));
  if (!file.startsWith(resolve(staticDir) + sep) || !existsSync(file)) {
    response.writeHead(404, { ...headers, 'content-type': 'text/plain' });
    response.end('not found');
    return;
  }
  response.writeHead(200, {
    ...headers,
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
  });
  response.end(readFileSync(file));
}

function handleSocket(core: GatewayCore, socket: WebSocket): void {
  const unsubscribe = core.events.subscribe((event, payload) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ event, payload }));
  });
  socket.on('close', unsubscribe);
  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    let message: { id?: unknown; call?: unknown; input?: unknown };
    try {
      message = JSON.parse(
        Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8'),
      ) as typeof message;
    } catch {
      return;
    }
    if (typeof message.id !== 'number') return;
    const id = message.id;
    void dispatchCall(gatewayApi, core.handlers, message.call, message.input).then((result) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ id, result }));
    });
  });
}

/** Starts the edge host; resolves once it listens. */
export async function startEdgeHost(options: EdgeHostOptions): Promise<EdgeHost> {
  if (!isLoopback(options.host) && (options.token === undefined || options.token.length < 16)) {
    throw new Error(
      `edge: binding to ${options.host} needs --token (at least 16 characters); loopback needs none`,
    );
  }
  if (!existsSync(join(options.staticDir, 'index.html'))) {
    throw new Error(`edge: no built UI in ${options.staticDir} (run npm run build)`);
  }
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://edge');
    if (
      !tokenMatches(options.token, url.searchParams.get('token')) &&
      (url.pathname === '/' || url.pathname === '/index.html')
    ) {
      response.writeHead(401, { 'content-type': 'text/plain' });
      response.end('this gateway needs its access token: open the URL it printed');
      return;
    }
    serveStatic(options.staticDir, request, response);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://edge');
    const origin = request.headers.origin;
    const host = request.headers.host;
    const sameOrigin = origin === undefined || (host !== undefined && new URL(origin).host === host);
    if (
      url.pathname !== EDGE_WS_PATH ||
      !sameOrigin ||
      !tokenMatches(options.token, url.searchParams.get('token'))
    ) {
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => handleSocket(options.core, ws));
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolvePromise());
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const tokenQuery = options.token === undefined ? '' : `?token=${encodeURIComponent(options.token)}`;
  return {
    url: `http://${hostForUrl}:${address.port}/${tokenQuery}`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
