/**
 * The gateway's one time source for everything that waits: the ECG-12 link (ACK timeouts, silence
 * watchdog, reconnect), the Bangle.js link, its watchdog, the simulated watch, the uploader.
 *
 * Everything that waits in `main/devices/` waits through a `Clock`, never through the global
 * timers directly, so tests and the simulator can share one controllable clock
 * ({@link ManualClock}) and run minutes of streaming deterministically in milliseconds.
 * {@link SystemClock} looks the global timers up at call time, so Vitest's fake timers apply too.
 */

/** Opaque handle returned by {@link Clock.setTimeout}. */
export interface TimerHandle {
  readonly id: number;
}

/** A wall clock plus one-shot timers. Times are UTC milliseconds since the Unix epoch. */
export interface Clock {
  /** Current time, ms since the Unix epoch (may be fractional on a manual clock; real clock: integer). */
  now(): number;
  /** Runs `fn` once after `delayMs` (clamped to >= 0). */
  setTimeout(fn: () => void, delayMs: number): TimerHandle;
  /** Cancels a pending timer; a no-op for fired or unknown handles. */
  clearTimeout(handle: TimerHandle | undefined): void;
}

/** The process's real clock (`Date.now`, global timers). */
export class SystemClock implements Clock {
  private nextId = 1;
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>();

  now(): number {
    return Date.now();
  }

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    const timer = setTimeout(
      () => {
        this.timers.delete(id);
        fn();
      },
      Math.max(0, delayMs),
    );
    this.timers.set(id, timer);
    return { id };
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const timer = this.timers.get(handle.id);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(handle.id);
  }
}

interface PendingTimer {
  id: number;
  dueMs: number;
  fn: () => void;
}

/** Lets every queued microtask, `process.nextTick` callback and promise chain settle. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A discrete-event clock: time only moves when a test (or the demo) advances it. Timers fire
 * in due order (ties in creation order), and after each timer every pending promise chain is
 * allowed to settle, so async code driven by this clock behaves as it would in real time.
 */
export class ManualClock implements Clock {
  private current: number;
  private nextId = 1;
  private pending: PendingTimer[] = [];

  /** @param startMs initial time, ms since the Unix epoch. */
  constructor(startMs: number) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    const timer = { id: this.nextId++, dueMs: this.current + Math.max(0, delayMs), fn };
    this.pending.push(timer);
    return { id: timer.id };
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (!handle) return;
    this.pending = this.pending.filter((timer) => timer.id !== handle.id);
  }

  /** Number of timers not yet fired. */
  get pendingCount(): number {
    return this.pending.length;
  }

  private takeNext(untilMs: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const timer of this.pending) {
      if (timer.dueMs > untilMs) continue;
      if (!best || timer.dueMs < best.dueMs || (timer.dueMs === best.dueMs && timer.id < best.id)) {
        best = timer;
      }
    }
    if (best) this.pending = this.pending.filter((timer) => timer !== best);
    return best;
  }

  /** Advances time by `durationMs`, firing every timer due on the way. */
  async advance(durationMs: number): Promise<void> {
    await this.runUntil(() => false, durationMs);
  }

  /**
   * Advances time, firing timers, until `done()` is true (checked after every timer) or
   * `maxMs` of simulated time have passed. Returns whether `done()` became true.
   */
  async runUntil(done: () => boolean, maxMs: number): Promise<boolean> {
    const endMs = this.current + maxMs;
    await settle();
    while (!done()) {
      const timer = this.takeNext(endMs);
      if (!timer) {
        this.current = endMs;
        await settle();
        return done();
      }
      this.current = Math.max(this.current, timer.dueMs);
      timer.fn();
      await settle();
    }
    return true;
  }
}

/** Resolves after `delayMs` on `clock`. */
export function sleep(clock: Clock, delayMs: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, delayMs));
}

/** Thrown by {@link withTimeout} when the operation did not finish in time. */
export class TimeoutError extends Error {
  readonly code = 'TIMEOUT';
  constructor(message: string) {
    super(message);
    this.name = 'TimeoutError';
  }
}

/** Races `promise` against a timer on `clock`; rejects with {@link TimeoutError} naming `what`. */
export function withTimeout<T>(
  clock: Clock,
  promise: Promise<T>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = clock.setTimeout(() => {
      reject(new TimeoutError(`${what}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    promise.then(
      (value) => {
        clock.clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clock.clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
