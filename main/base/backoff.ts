/**
 * Reconnect backoff and the data watchdog for a watch link.
 *
 * Why a watchdog: noble on Linux can miss the disconnect event (noble/noble#771, #474;
 * domain-notes §2.3), so the link is declared dead when no data arrives for `limitMs`,
 * whatever the BLE stack says. The backoff itself is the gateway's one policy, shared with the
 * UI's WebSocket transport (`preload/backoff.ts`).
 */
import type { Clock, TimerHandle } from './clock.js';

export { Backoff, type BackoffOptions } from '../../preload/backoff.js';

/** Fires `onExpire` once when `feed()` has not been called for `limitMs`. */
export class Watchdog {
  private timer: TimerHandle | undefined;
  private lastFedMs = 0;

  constructor(
    private readonly clock: Clock,
    private readonly limitMs: number,
    private readonly onExpire: (silentMs: number) => void,
  ) {}

  /** Starts (or restarts) the countdown. */
  start(): void {
    this.lastFedMs = this.clock.now();
    this.arm(this.limitMs);
  }

  /** Records that data arrived. Cheap: re-arms only when the timer fires. */
  feed(): void {
    this.lastFedMs = this.clock.now();
  }

  /** Time of the last feed, ms since the epoch. */
  get lastFed(): number {
    return this.lastFedMs;
  }

  stop(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(delayMs: number): void {
    this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.check();
    }, delayMs);
  }

  private check(): void {
    const silentMs = this.clock.now() - this.lastFedMs;
    if (silentMs >= this.limitMs) {
      this.timer = undefined;
      this.onExpire(silentMs);
      return;
    }
    this.arm(this.limitMs - silentMs);
  }
}
