/** Names of the two IPC channels the desktop shell uses to carry the gateway API. */
export const IPC_INVOKE_CHANNEL = 'pulsewatch:invoke';
export const IPC_EVENT_CHANNEL = 'pulsewatch:event';

/** Path of the edge host's WebSocket endpoint. */
export const EDGE_WS_PATH = '/gateway-ws';
