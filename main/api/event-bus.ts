/**
 * The gateway's outgoing events, typed from the gateway API table. Hosts (Electron IPC, the edge
 * WebSocket) subscribe to every event; a payload is checked against its schema before it leaves,
 * so a bug in the core shows up here rather than as a silently dropped message in the UI.
 */
import { gatewayApi, type GatewayApi } from '../../preload/api.js';
import type { EventName, EventPayload } from '../../preload/define.js';

export type AnyEventListener = (event: EventName<GatewayApi>, payload: unknown) => void;

export class GatewayEventBus {
  private readonly listeners = new Set<AnyEventListener>();

  /** Emits an event to every host; throws if the payload breaks the contract. */
  emit<K extends EventName<GatewayApi>>(event: K, payload: EventPayload<GatewayApi, K>): void {
    const parsed = gatewayApi.events[event].payload.safeParse(payload);
    if (!parsed.success)
      throw new Error(`event ${event} breaks the gateway API contract: ${parsed.error.message}`);
    for (const listener of this.listeners) listener(event, parsed.data);
  }

  /** Subscribes a host to every event; returns the unsubscribe function. */
  subscribe(listener: AnyEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
