/** A small typed wrapper over Node's EventEmitter: one payload per event, `on` returns an unsubscribe. */
import { EventEmitter } from 'node:events';

/** Typed event emitter; `E` maps event names to payload types. */
export class TypedEmitter<E extends object> {
  private readonly emitter = new EventEmitter();

  /** Subscribes; returns a function that unsubscribes. */
  on<K extends keyof E & string>(event: K, listener: (payload: E[K]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  /** Subscribes for one event. */
  once<K extends keyof E & string>(event: K, listener: (payload: E[K]) => void): void {
    this.emitter.once(event, listener);
  }

  /** Removes every listener. */
  removeAllListeners(): void {
    this.emitter.removeAllListeners();
  }

  protected emit<K extends keyof E & string>(event: K, payload: E[K]): void {
    this.emitter.emit(event, payload);
  }
}
