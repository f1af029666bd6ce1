/**
 * Electron preload: exposes the IPC-backed gateway client as `window.gateway`, and nothing else.
 * With `preload/edge-bootstrap.ts` (the WebSocket twin for edge mode) the only code here that
 * touches a transport; everything else is the shared table and client.
 */
import './zod-jitless.js';
import { contextBridge, ipcRenderer } from 'electron';
import { gatewayApi } from './api.js';
import { createGatewayClient, type GatewayTransport } from './client.js';
import type { CallResult } from './define.js';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from './ipc-channels.js';
import { ListenerMap } from './listeners.js';

const listeners = new ListenerMap();

ipcRenderer.on(IPC_EVENT_CHANNEL, (_event, name: unknown, payload: unknown) => {
  if (typeof name === 'string') listeners.emit(name, payload);
});

const transport: GatewayTransport = {
  invoke: (call, input) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, call, input) as Promise<CallResult>,
  subscribe: (event, listener) => listeners.subscribe(event, listener),
};

const client = createGatewayClient(gatewayApi, transport);

contextBridge.exposeInMainWorld('gateway', {
  invoke: client.invoke,
  on: client.on,
  mode: 'desktop',
});
