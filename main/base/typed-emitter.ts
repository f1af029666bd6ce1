/**
 * The gateway's one typed event emitter (devices, recorder, queue, sync): `Events` maps each
 * event name to its one payload type, and `on` returns the function that unsubscribes.
 *
 * Synchronous, like Node's `EventEmitter`: `emit` calls the listeners subscribed at that moment,
 * in subscription order, before it returns, and a listener's exception propagates to the caller
 * of `emit`. Unlike it, no event name is special (an `error` event with no listener is dropped
 * like any other) and it uses no Node API, so every folder of `main/` may use it.
 */

/** A listener of one event. */
export type Listener<T> = (payload: T) => void;

/** See the file comment. */
export class TypedEmitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  /** Subscribes `listener` to `name`; returns the function that unsubscribes it. */
  on<K extends keyof Events>(name: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(name);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(name, set);
    }
    const entry = (payload: Events[K]): void => listener(payload);
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  /** Subscribes `listener` to the next `name` event only; returns the function that unsubscribes it. */
  once<K extends keyof Events>(name: K, listener: Listener<Events[K]>): () => void {
    const off = this.on(name, (payload) => {
      off();
      listener(payload);
    });
    return off;
  }

  /** Calls every listener of `name` with `payload`. */
  emit<K extends keyof Events>(name: K, payload: Events[K]): void {
    const set = this.listeners.get(name);
    if (set === undefined || set.size === 0) return;
    for (const listener of [...set]) (listener as Listener<Events[K]>)(payload);
  }

  /** Listeners subscribed to `name`. */
  listenerCount(name: keyof Events): number {
    return this.listeners.get(name)?.size ?? 0;
  }

  /** Unsubscribes every listener of every event. */
  removeAllListeners(): void {
    this.listeners.clear();
  }
}
