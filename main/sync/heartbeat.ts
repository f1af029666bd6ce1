/**
 * Periodic tasks of the uploader on its clock: the heartbeat (every 60 s, `gateways.heartbeat`
 * with the backlog, which the server exposes to IT) and the connectivity probe while idle (every
 * 30 s). A run never overlaps the previous one; the next is armed when a run ends.
 */
import type { Clock, TimerHandle } from '../base/clock.js';
import type { QueueStatus } from '../queue/types.js';
import type { HeartbeatBody } from './session.js';

/** Runs `task` every `intervalMs` (first run after `firstDelayMs`) until stopped. */
export class Periodic {
  private timer: TimerHandle | undefined;
  private running = false;
  private stopped = true;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly task: () => Promise<void>,
  ) {
    if (!(intervalMs > 0)) throw new RangeError(`interval must be > 0 ms, got ${intervalMs}`);
  }

  start(firstDelayMs = this.intervalMs): void {
    this.stopped = false;
    this.arm(firstDelayMs);
  }

  stop(): void {
    this.stopped = true;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Runs now (unless a run is in progress) and re-arms the interval. */
  runNow(): void {
    this.arm(0);
  }

  private arm(delayMs: number): void {
    this.clock.clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delayMs);
  }

  private async run(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      await this.task();
    } catch {
      // Tasks report their own failures; a throw must not end the schedule.
    } finally {
      this.running = false;
      this.arm(this.intervalMs);
    }
  }
}

/** The heartbeat's body from the queue's counters. */
export function heartbeatBody(queue: QueueStatus, appVersion: string, nowMs: number): HeartbeatBody {
  return {
    appVersion: appVersion.slice(0, 32),
    backlogChunks: queue.pendingChunks,
    backlogBytes: queue.pendingBytes,
    oldestPendingAtMs: queue.oldestPendingAtMs === null ? null : Math.round(queue.oldestPendingAtMs),
    sentAtMs: Math.round(nowMs),
  };
}
