/**
 * Holds a host's outgoing events until the page says it is ready (`app.ready`), then delivers
 * them in order and passes later ones straight through. Both hosts use it: Electron for its
 * window, the edge host for each browser session, so a page never misses the state events sent
 * while it was loading.
 *
 * Bounded: a page that never says ready (a stuck load) cannot grow the queue without limit. When
 * full, the oldest *streaming* event (live samples, which the page redraws from the next batch
 * anyway) is dropped first; state events (recording, alarms, queue, devices) only when nothing
 * else is left. Dropped events are counted.
 *
 * A page that opens later still hears what happened before it (`history`, the host's alarms and
 * rhythm events so far: `main/api/recent-events.ts`): the gate starts holding with that
 * history, and starts again from it when the page goes away, so the page gets the history first
 * and then every event after it, none twice and none missed.
 */

/** Events a waiting page can lose without harm: the next one supersedes them. */
export const STREAMING_EVENTS: ReadonlySet<string> = new Set([
  'ecg.received',
  'watch.received',
  'measurements.updated',
]);

/** How many events a host holds for a page that is not ready yet. */
export const HELD_EVENTS_LIMIT = 2_000;

/** What a page that opens now must hear first, oldest first. */
export type EventHistory = () => readonly (readonly [string, unknown])[];

export class EventGate {
  private held: [string, unknown][];
  private ready = false;
  private droppedCount = 0;

  constructor(
    private readonly deliver: (event: string, payload: unknown) => void,
    private readonly limit = HELD_EVENTS_LIMIT,
    private readonly history: EventHistory = () => [],
  ) {
    if (!(limit >= 1)) throw new RangeError('EventGate: limit must be at least 1');
    this.held = this.replay();
  }

  /** Delivers `event` now if the page is ready, else holds it. */
  push(event: string, payload: unknown): void {
    if (this.ready) {
      this.deliver(event, payload);
      return;
    }
    if (this.held.length >= this.limit) this.dropOne();
    this.held.push([event, payload]);
  }

  /** The page is ready: delivers everything held, in order. Idempotent. */
  open(): void {
    if (this.ready) return;
    this.ready = true;
    const held = this.held;
    this.held = [];
    for (const [event, payload] of held) this.deliver(event, payload);
  }

  /** The page went away (reload, closed window): hold again, from the history, until it says ready. */
  close(): void {
    this.ready = false;
    this.held = this.replay();
  }

  get isOpen(): boolean {
    return this.ready;
  }

  /** Events held right now. */
  get heldCount(): number {
    return this.held.length;
  }

  /** Events dropped because the page was not ready and the queue was full. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** The history, newest {@link limit} entries. */
  private replay(): [string, unknown][] {
    return this.history()
      .slice(-this.limit)
      .map(([event, payload]) => [event, payload]);
  }

  private dropOne(): void {
    const streaming = this.held.findIndex(([event]) => STREAMING_EVENTS.has(event));
    this.held.splice(streaming >= 0 ? streaming : 0, 1);
    this.droppedCount += 1;
  }
}
