/** Types the renderer may import (types only: the renderer talks to `window.gateway`). */
export type { GatewayApi } from './api.js';
export type { GatewayClient } from './client.js';
export type { CallInput, CallName, CallOutput, EventName, EventPayload } from './define.js';
