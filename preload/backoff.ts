/**
 * Exponential backoff with jitter: the one reconnect/retry policy of the gateway, used by the
 * uploader, the device links and the UI's WebSocket transport (hence here, in the gateway API
 * contract that both sides import). Pure: no timers, no clock.
 */

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
