/**
 * The edge host: serves the built UI (with sirv, from the list of files present at start) and
 * carries the gateway API over a WebSocket, so any browser becomes the gateway's screen.
 *
 * Loopback by default, where it answers only to loopback host names with its own port (a
 * DNS-rebinding page is refused). Bound elsewhere it requires a token on every route and on the
 * WebSocket; the first load's `?token=` is exchanged for an HttpOnly SameSite=Strict cookie and the
 * bootstrap removes it from the address bar. Given a certificate and key it serves HTTPS.
 * No request can throw out of the handlers (see access.ts and ws-session.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import sirv from 'sirv';
import { WebSocketServer } from 'ws';
import { EDGE_WS_PATH } from '../../preload/ipc-channels.js';
import type { GatewayCore } from '../api/gateway-core.js';
import { checkRequest, isLoopback, originAllowed, tokenCookie, type AccessPolicy } from './access.js';
import { PageControl } from './page-control.js';
import { runSocketSession } from './ws-session.js';

export { isLoopback } from './access.js';

/** PEM certificate chain and private key for HTTPS. */
export interface EdgeTls {
  cert: string | Buffer;
  key: string | Buffer;
}

export interface EdgeHostOptions {
  core: GatewayCore;
  /** Folder of the built renderer (holds index.html and gateway-bootstrap.js). */
  staticDir: string;
  host: string;
  port: number;
  /** Required (16+ characters) when `host` is not a loopback address; when set, always required. */
  token?: string;
  /** Serve HTTPS with this certificate instead of plain HTTP. */
  tls?: EdgeTls;
  /** Where refused or failed requests are reported (default: console.error). */
  log?: (line: string) => void;
}

export interface EdgeHost {
  /** The URL to open (with `?token=` when a token is required). */
  readonly url: string;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 1024 * 1024;

const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/**
 * index.html with the edge bootstrap injected before the renderer's module script. Both are
 * modules (the bootstrap shares the schemas chunk with the renderer, whose forms check input with
 * the contract's schemas); module scripts run in document order, so `window.gateway` exists first.
 */
function indexHtml(staticDir: string): string {
  const html = readFileSync(join(staticDir, 'index.html'), 'utf8');
  return html.replace(
    '<script type="module"',
    '<script type="module" src="./gateway-bootstrap.js"></script>\n    <script type="module"',
  );
}

function plain(
  response: ServerResponse,
  status: number,
  text: string,
  extra: Record<string, string> = {},
): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', ...extra });
  response.end(text);
}

function createRequestHandler(
  options: EdgeHostOptions,
  policy: AccessPolicy,
  log: (line: string) => void,
): (request: IncomingMessage, response: ServerResponse) => void {
  const index = indexHtml(options.staticDir);
  const statics = sirv(options.staticDir, {
    dev: false,
    etag: true,
    dotfiles: false,
    extensions: [],
    setHeaders: (response) => {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    },
  });
  return (request, response) => {
    try {
      const decision = checkRequest(policy, request);
      if (!decision.ok) {
        plain(response, decision.refusal.status, decision.refusal.reason);
        return;
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        plain(response, 405, 'method not allowed', { allow: 'GET, HEAD' });
        return;
      }
      if (decision.tokenFromQuery && policy.token !== undefined) {
        response.setHeader('set-cookie', tokenCookie(policy, policy.token));
      }
      const path = decision.url.pathname;
      if (path === '/' || path === '/index.html') {
        response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8' });
        response.end(request.method === 'HEAD' ? undefined : index);
        return;
      }
      // The UI never asks for ranges, and sirv does not validate them (start > end throws).
      delete request.headers.range;
      statics(request, response, () => plain(response, 404, 'not found'));
    } catch (error) {
      log(`edge: request ${request.method ?? '?'} failed: ${String(error)}`);
      if (!response.headersSent) plain(response, 500, 'internal error');
      else response.destroy();
    }
  };
}

function refuseUpgrade(socket: Socket, status: number, reason: string): void {
  const text = status === 401 ? 'Unauthorized' : status === 400 ? 'Bad Request' : 'Forbidden';
  socket.end(`HTTP/1.1 ${status} ${text}\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${reason}`);
}

/** Starts the edge host; resolves once it listens. */
export async function startEdgeHost(options: EdgeHostOptions): Promise<EdgeHost> {
  const log = options.log ?? ((line: string) => console.error(line));
  const loopbackBind = isLoopback(options.host);
  if (!loopbackBind && (options.token === undefined || options.token.length < 16)) {
    throw new Error(
      `edge: binding to ${options.host} needs --token (at least 16 characters); loopback needs none`,
    );
  }
  if (!existsSync(join(options.staticDir, 'index.html'))) {
    throw new Error(`edge: no built UI in ${options.staticDir} (run npm run build)`);
  }
  const policy: AccessPolicy = {
    loopbackBind,
    port: options.port,
    token: options.token,
    tls: options.tls !== undefined,
  };
  const handler = createRequestHandler(options, policy, log);
  const control = new PageControl();
  const server: Server =
    options.tls === undefined ? createServer(handler) : createHttpsServer(options.tls, handler);
  server.on('clientError', (_error, socket) => socket.destroy());
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const decision = checkRequest(policy, request);
      if (!decision.ok) {
        refuseUpgrade(socket, decision.refusal.status, decision.refusal.reason);
        return;
      }
      if (decision.url.pathname !== EDGE_WS_PATH || !originAllowed(request)) {
        refuseUpgrade(socket, 403, 'not a page of this gateway');
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => runSocketSession(options.core, ws, control, log));
    } catch (error) {
      log(`edge: upgrade failed: ${String(error)}`);
      socket.destroy();
    }
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolvePromise());
  });
  const address = server.address() as AddressInfo;
  // With port 0 the policy learns the real port only now.
  policy.port = address.port;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const tokenQuery = options.token === undefined ? '' : `?token=${encodeURIComponent(options.token)}`;
  const scheme = options.tls === undefined ? 'http' : 'https';
  return {
    url: `${scheme}://${hostForUrl}:${address.port}/${tokenQuery}`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
