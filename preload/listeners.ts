/**
 * The event listeners of one gateway client, by event name: one implementation for both
 * transports (Electron IPC in `index.ts`, the WebSocket in `ws-transport.ts`). A listener that
 * throws is reported and does not stop the others.
 */

export type EventListener = (payload: unknown) => void;

export class ListenerMap {
  private readonly byEvent = new Map<string, Set<EventListener>>();

  /** Adds `listener` for `event`; returns the unsubscribe function. */
  subscribe(event: string, listener: EventListener): () => void {
    const set = this.byEvent.get(event) ?? new Set<EventListener>();
    set.add(listener);
    this.byEvent.set(event, set);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.byEvent.get(event) === set) this.byEvent.delete(event);
    };
  }

  /** Delivers `payload` to every listener of `event`. */
  emit(event: string, payload: unknown): void {
    const set = this.byEvent.get(event);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        listener(payload);
      } catch (error) {
        console.error(`gateway event ${event}: a listener failed`, error);
      }
    }
  }

  /** Number of listeners of `event` (for tests and diagnostics). */
  count(event: string): number {
    return this.byEvent.get(event)?.size ?? 0;
  }
}
