/**
 * Reconnect backoff and the data watchdog for a watch link.
 *
 * Why a watchdog: noble on Linux can miss the disconnect event (noble/noble#771, #474;
 * domain-notes §2.3), so the link is declared dead when no data arrives for `limitMs`,
 * whatever the BLE stack says.
 */
import type { Clock, TimerHandle } from './clock.js';

/** Exponential backoff settings. */
export interface BackoffOptions {
  /** First delay, ms (default 1000). */
  initialMs?: number;
  /** Ceiling, ms (default 30000). */
  maxMs?: number;
  /** Growth per attempt (default 2). */
  factor?: number;
  /** Fraction of the delay randomised, 0–1 (default 0.2: delay × [0.8, 1.2]). */
  jitter?: number;
  /** Random source in [0, 1) (default `Math.random`; inject for deterministic tests). */
  random?: () => number;
}

/** Exponential backoff with jitter: delay(k) = min(max, initial × factor^k) × (1 ± jitter). */
export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 1000;
    this.maxMs = options.maxMs ?? 30_000;
    this.factor = options.factor ?? 2;
    this.jitter = options.jitter ?? 0.2;
    this.random = options.random ?? Math.random;
    if (!(this.initialMs > 0) || !(this.maxMs >= this.initialMs)) {
      throw new RangeError('Backoff: initialMs must be > 0 and maxMs >= initialMs');
    }
  }

  /** Attempts made since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** Delay before the next attempt, ms; counts the attempt. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * this.factor ** this.attempt);
    this.attempt += 1;
    const spread = 1 + this.jitter * (2 * this.random() - 1);
    return Math.round(base * spread);
  }

  /** Back to the first delay (after a connection that delivered data). */
  reset(): void {
    this.attempt = 0;
  }
}

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
