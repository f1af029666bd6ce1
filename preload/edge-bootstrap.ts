/**
 * Browser entry served by the edge host before the renderer: installs the WebSocket-backed
 * gateway client as `window.gateway`, exactly as `preload/index.ts` does over IPC in Electron.
 */
import './zod-jitless.js';
import { gatewayApi } from './api.js';
import { createGatewayClient } from './client.js';
import { EDGE_WS_PATH } from './ipc-channels.js';
import { createWebSocketTransport } from './ws-transport.js';

const url = new URL(EDGE_WS_PATH, window.location.href);
url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
url.search = '';
// The host exchanged the first load's ?token= for an HttpOnly cookie (sent with the WebSocket
// upgrade too): take the token out of the address bar and the history.
const pageUrl = new URL(window.location.href);
if (pageUrl.searchParams.has('token')) {
  pageUrl.searchParams.delete('token');
  window.history.replaceState(window.history.state, '', pageUrl.pathname + pageUrl.search + pageUrl.hash);
}

const client = createGatewayClient(
  gatewayApi,
  createWebSocketTransport(() => new WebSocket(url)),
);

Object.defineProperty(window, 'gateway', {
  value: Object.freeze({ invoke: client.invoke, on: client.on, mode: 'edge' }),
  writable: false,
});
