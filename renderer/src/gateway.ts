/**
 * The renderer's only way out: `window.gateway`, installed by the Electron preload (IPC) or by
 * the edge bootstrap (WebSocket) before this code runs. Typed from the preload table.
 */
import type { GatewayApi, GatewayClient } from '../../preload/index-types.js';

export type Gateway = GatewayClient<GatewayApi> & { mode: 'desktop' | 'edge' };

declare global {
  interface Window {
    gateway?: Gateway;
  }
}

/** The gateway client, or an error naming what is missing (the page was opened without a host). */
export function gateway(): Gateway {
  const client = window.gateway;
  if (client === undefined)
    throw new Error('window.gateway is missing: open PulseWatch from the desktop app or the edge host');
  return client;
}
