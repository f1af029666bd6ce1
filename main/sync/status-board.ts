/**
 * The uploader's live status for the UI and its change notifications. A change of state,
 * reachability, enrollment or last error is announced at once; counter-only changes (an ack
 * every few milliseconds while catching up) at most every `throttleMs`, so the UI is not flooded.
 */
import type { SyncStatus } from '../../preload/schemas.js';
import type { Clock, TimerHandle } from '../base/clock.js';
import type { QueueStatus } from '../queue/types.js';

export type SyncState = SyncStatus['state'];

/** What the uploader itself knows (the queue counters are read fresh on each snapshot). */
export interface UploaderFacts {
  state: SyncState;
  serverUrl: string | null;
  lastSuccessAtMs: number | null;
  lastError: string | null;
  nextAttemptAtMs: number | null;
  uploadedItems: number;
  uploadedBytes: number;
  reachable: boolean | null;
  enrolled: boolean;
  gatewayName: string | null;
  enrolledAtMs: number | null;
  uploadCapBytesPerS: number | null;
}

type Listener = (status: SyncStatus) => void;

const ms = (value: number | null): number | null => (value === null ? null : Math.round(value));

export class StatusBoard {
  readonly facts: UploaderFacts = {
    state: 'not_enrolled',
    serverUrl: null,
    lastSuccessAtMs: null,
    lastError: null,
    nextAttemptAtMs: null,
    uploadedItems: 0,
    uploadedBytes: 0,
    reachable: null,
    enrolled: false,
    gatewayName: null,
    enrolledAtMs: null,
    uploadCapBytesPerS: null,
  };
  private readonly listeners = new Set<Listener>();
  private lastEmitMs = Number.NEGATIVE_INFINITY;
  private trailing: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly queueStatus: () => QueueStatus,
    private readonly throttleMs = 250,
  ) {}

  /** The status as the gateway API returns it. */
  snapshot(): SyncStatus {
    const f = this.facts;
    const q = this.queueStatus();
    return {
      state: f.state,
      serverUrl: f.serverUrl,
      lastSuccessAtMs: ms(f.lastSuccessAtMs),
      lastError: f.lastError,
      nextAttemptAtMs: ms(f.nextAttemptAtMs),
      uploadedChunks: f.uploadedItems,
      uploadedBytes: f.uploadedBytes,
      reachable: f.reachable,
      enrolled: f.enrolled,
      gatewayName: f.gatewayName,
      enrolledAtMs: ms(f.enrolledAtMs),
      pendingItems: q.pendingItems + q.sendingItems,
      pendingBytes: q.pendingBytes,
      oldestPendingAtMs: ms(q.oldestPendingAtMs),
      failedItems: q.failedItems,
      uploadCapBytesPerS: f.uploadCapBytesPerS,
    };
  }

  /** Changes facts; announces at once when anything but counters changed. */
  update(patch: Partial<UploaderFacts>): void {
    let important = false;
    for (const [key, value] of Object.entries(patch) as [keyof UploaderFacts, unknown][]) {
      if (this.facts[key] === value) continue;
      if (
        key !== 'uploadedItems' &&
        key !== 'uploadedBytes' &&
        key !== 'lastSuccessAtMs' &&
        key !== 'nextAttemptAtMs'
      )
        important = true;
      (this.facts as unknown as Record<string, unknown>)[key] = value;
    }
    if (important) this.emitNow();
    else this.changed();
  }

  /** Something counted changed (queue or counters): announce within `throttleMs`. */
  changed(): void {
    if (this.listeners.size === 0 || this.trailing !== undefined) return;
    const waitMs = this.lastEmitMs + this.throttleMs - this.clock.now();
    if (waitMs <= 0) {
      this.emitNow();
      return;
    }
    this.trailing = this.clock.setTimeout(() => {
      this.trailing = undefined;
      this.emitNow();
    }, waitMs);
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Cancels a pending announcement (the service is stopping). */
  close(): void {
    this.clock.clearTimeout(this.trailing);
    this.trailing = undefined;
  }

  private emitNow(): void {
    this.clock.clearTimeout(this.trailing);
    this.trailing = undefined;
    this.lastEmitMs = this.clock.now();
    if (this.listeners.size === 0) return;
    const status = this.snapshot();
    for (const listener of this.listeners) {
      try {
        listener(status);
      } catch {
        // A listener's fault is its own; the uploader carries on.
      }
    }
  }
}
