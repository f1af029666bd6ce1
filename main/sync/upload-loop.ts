/**
 * The upload loop: `queue.next()` → send → markAcked / markRetry / markFailed, one item at a time,
 * until the queue has nothing due. When the server is unreachable or unwell the loop pauses with
 * the shared jittered backoff; while unreachable it probes `GET /health` and resumes as soon as
 * the server answers. When the queue is idle it runs the completeness checks of ended recordings.
 * Every item it takes from the queue is handed back with a verdict, whatever happens (stop,
 * settings change, fault): nothing is dropped.
 */
import { ApiError } from '../../server-contract/api/client.js';
import { Backoff, type BackoffOptions } from '../base/backoff.js';
import type { Clock, TimerHandle } from '../base/clock.js';
import type { QueueItem } from '../queue/types.js';
import type { UploadQueue } from '../queue/upload-queue.js';
import type { BacklogCheck } from './backlog-check.js';
import type { TokenBucket } from './bandwidth.js';
import {
  classify,
  classifyTokenFailure,
  describeItem,
  type AttemptResult,
  type LoopDecision,
} from './classify.js';
import { SyncError, TransportError, messageOf } from './errors.js';
import type { Session } from './session.js';
import type { StatusBoard } from './status-board.js';

/** What the loop needs from the service around it. */
export interface LoopHost {
  queue: Pick<UploadQueue, 'next' | 'nextDueAtMs' | 'markAcked' | 'markRetry' | 'markFailed'>;
  clock: Clock;
  board: StatusBoard;
  bucket: TokenBucket;
  check: BacklogCheck;
  session(): Session | null;
  /** The server rejected an item for good (already marked failed). */
  rejected(item: QueueItem, reason: string): void;
  /** The server has another patient with this item's study code (already marked failed). */
  clash(item: QueueItem, reason: string): void;
  /** The server refused the gateway's credentials. */
  unauthorized(message: string): void;
  /** A recording's holes cannot be filled from this gateway. */
  incomplete(recordingId: string, holes: string[]): void;
}

export interface LoopOptions {
  /** Backoff while the server is unreachable or unwell (default 1 s … 60 s, ±20 %). */
  serverBackoff?: BackoffOptions;
  /** Backoff of one item the server cannot take yet, e.g. 404 (default 2 s … 5 min). */
  itemBackoff?: BackoffOptions;
}

function statusOf(result: AttemptResult | undefined): number | null {
  if (result === undefined || result.kind === 'network') return null;
  return result.status;
}

export class UploadLoop {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private offline = false;
  private pausedUntilMs = 0;
  private authRefusals = 0;
  /** The item taken from the queue and not yet handed back. */
  private inHand: QueueItem | null = null;
  private timer: TimerHandle | undefined;
  private readonly sleepers = new Set<() => void>();
  private readonly serverBackoff: Backoff;
  private readonly itemBackoffs = new Map<number, Backoff>();
  /** Damaged-in-transit answers per item (cleared when the item is acked or failed). */
  private readonly hashMismatches = new Map<number, number>();
  private readonly itemBackoffOptions: BackoffOptions;

  constructor(
    private readonly host: LoopHost,
    options: LoopOptions = {},
  ) {
    this.serverBackoff = new Backoff({ initialMs: 1000, maxMs: 60_000, ...options.serverBackoff });
    this.itemBackoffOptions = { initialMs: 2000, maxMs: 300_000, ...options.itemBackoff };
  }

  /** Sends what is due now (or soon: the loop arms a timer for the next due item). */
  wake(): void {
    if (this.stopped) return;
    this.again = true;
    if (this.running === null) this.running = this.pump();
  }

  /** `sync.now`: ends a pause; probes at once when the server was unreachable. */
  resumeNow(): void {
    this.pausedUntilMs = 0;
    this.disarm();
    if (this.offline) void this.probe();
    else this.wake();
  }

  /** The server stopped answering (seen outside the loop, e.g. by the idle probe). */
  markUnreachable(reason: string): void {
    if (this.offline || this.stopped) return;
    this.pause(null, reason, true, null, null);
  }

  /** Forgets offline/backoff state (a new session starts fresh). */
  reset(): void {
    this.offline = false;
    this.pausedUntilMs = 0;
    this.authRefusals = 0;
    this.serverBackoff.reset();
    this.disarm();
  }

  get isOffline(): boolean {
    return this.offline;
  }

  /** Stops taking items; resolves when the item in hand (if any) is handed back. */
  stop(): Promise<void> {
    this.stopped = true;
    this.disarm();
    for (const wakeUp of this.sleepers) wakeUp();
    return this.running ?? Promise.resolve();
  }

  private async pump(): Promise<void> {
    try {
      while (this.again && !this.stopped) {
        this.again = false;
        await this.drain();
      }
    } catch (error) {
      // A fault of the queue or of this code: say so and try again later (items stay in the queue).
      this.handBack(`uploader fault: ${messageOf(error)}`);
      const delayMs = this.serverBackoff.next();
      this.pausedUntilMs = this.host.clock.now() + delayMs;
      this.host.board.update({
        lastError: `uploader fault: ${messageOf(error)}`,
        state: 'backing_off',
        nextAttemptAtMs: this.pausedUntilMs,
      });
      this.arm(delayMs, () => this.wake());
    } finally {
      // Cleared in the same turn as the last look at `again`, so a wake-up is never lost.
      this.running = null;
    }
  }

  /** After a fault: the item in hand goes back to pending (if the queue can take it now). */
  private handBack(reason: string): void {
    const item = this.inHand;
    this.inHand = null;
    if (item === null) return;
    try {
      this.host.queue.markRetry(item.id, reason, this.host.clock.now(), null);
    } catch {
      // Already handed back, or the database is failing: the queue puts items left `sending`
      // back to pending when it opens.
    }
  }

  private canSend(session: Session | null): session is Session {
    return (
      !this.stopped &&
      session !== null &&
      !this.offline &&
      this.host.board.facts.state !== 'unauthorized' &&
      this.host.clock.now() >= this.pausedUntilMs
    );
  }

  private async drain(): Promise<void> {
    for (;;) {
      const session = this.host.session();
      if (!this.canSend(session)) return;
      const item = this.host.queue.next();
      if (item === undefined) {
        await this.idle(session);
        return;
      }
      this.inHand = item;
      this.host.board.update({ state: 'uploading' });
      const { decision, result } = await this.attempt(session, item);
      const goOn = this.apply(item, decision, statusOf(result), session);
      this.inHand = null;
      if (!goOn) return;
    }
  }

  private async attempt(
    session: Session,
    item: QueueItem,
  ): Promise<{ decision: LoopDecision; result?: AttemptResult }> {
    const waitMs = this.host.bucket.reserve(item.sizeBytes);
    if (waitMs > 0) await this.sleep(waitMs);
    if (this.stopped || this.host.session() !== session) return { decision: { action: 'interrupted' } };
    let token: string;
    try {
      token = await session.tokens.get();
    } catch (error) {
      return { decision: classifyTokenFailure(error) };
    }
    const result = await session.sender.send(item, token);
    if (result.kind === 'network' && result.error.code === 'canceled')
      return { decision: { action: 'interrupted' } };
    const hashMismatches = this.hashMismatches.get(item.id) ?? 0;
    if (result.kind === 'http_error' && result.code === 'chunk_hash_mismatch')
      this.hashMismatches.set(item.id, hashMismatches + 1);
    return { decision: classify({ route: item.route, hashMismatches }, result), result };
  }

  /** Hands the item back to the queue; returns false when the loop must stop for now. */
  private apply(item: QueueItem, decision: LoopDecision, status: number | null, session: Session): boolean {
    const { queue, board } = this.host;
    const nowMs = this.host.clock.now();
    switch (decision.action) {
      case 'ack':
        queue.markAcked(item.id, { status: status ?? 200, duplicate: decision.duplicate });
        this.itemBackoffs.delete(item.id);
        this.hashMismatches.delete(item.id);
        this.serverBackoff.reset();
        this.authRefusals = 0;
        this.host.check.noteAcked(item);
        board.update({
          reachable: true,
          lastError: null,
          lastSuccessAtMs: nowMs,
          uploadedItems: board.facts.uploadedItems + 1,
          uploadedBytes: board.facts.uploadedBytes + item.sizeBytes,
        });
        return true;
      case 'retry_item': {
        let backoff = this.itemBackoffs.get(item.id);
        if (!backoff) this.itemBackoffs.set(item.id, (backoff = new Backoff(this.itemBackoffOptions)));
        queue.markRetry(item.id, decision.reason, nowMs + backoff.next(), status);
        board.update({ reachable: true, lastError: `${describeItem(item)}: ${decision.reason}` });
        return true;
      }
      case 'retry_all':
        this.pause(item, decision.reason, decision.offline, decision.retryAfterMs, status);
        return false;
      case 'reauth':
        session.tokens.invalidate();
        if (++this.authRefusals > 2) {
          this.pause(item, 'the server keeps refusing fresh access tokens (401)', false, null, status);
          return false;
        }
        queue.markRetry(item.id, decision.reason, nowMs, status);
        return true;
      case 'fail':
      case 'clash':
        queue.markFailed(item.id, decision.reason, status);
        this.itemBackoffs.delete(item.id);
        this.hashMismatches.delete(item.id);
        board.update({ reachable: true, lastError: `${describeItem(item)}: ${decision.reason}` });
        if (decision.action === 'clash') this.host.clash(item, decision.reason);
        else this.host.rejected(item, decision.reason);
        return true;
      case 'unauthorized':
        queue.markRetry(item.id, decision.reason, nowMs, 401);
        this.host.unauthorized(decision.reason);
        return false;
      case 'interrupted':
        queue.markRetry(item.id, 'interrupted before the server answered; will be sent again', nowMs, null);
        return !this.stopped;
    }
  }

  /** Everything waits: the server is unreachable (probe until it answers) or unwell (wait). */
  private pause(
    item: QueueItem | null,
    reason: string,
    offline: boolean,
    retryAfterMs: number | null,
    status: number | null,
  ): void {
    const delayMs = Math.max(this.serverBackoff.next(), retryAfterMs ?? 0);
    const atMs = this.host.clock.now() + delayMs;
    // The item is due again at once: the pause holds everything back, and `sync.now` (or a
    // restart) ends the pause without having to touch the queue.
    if (item) this.host.queue.markRetry(item.id, reason, this.host.clock.now(), status);
    this.offline = offline;
    this.pausedUntilMs = atMs;
    this.host.board.update({
      state: offline ? 'offline' : 'backing_off',
      reachable: !offline,
      lastError: reason,
      nextAttemptAtMs: atMs,
    });
    this.arm(delayMs, () => (this.offline ? void this.probe() : this.wake()));
  }

  /** One connectivity probe while offline; resumes on an answer, else waits longer. */
  private async probe(): Promise<void> {
    const session = this.host.session();
    if (this.stopped || session === null) return;
    const found = await session.probe();
    if (this.stopped || this.host.session() !== session || !this.offline) return;
    if (found.reachable) {
      this.offline = false;
      this.pausedUntilMs = 0;
      this.host.board.update({ state: 'idle', reachable: true, nextAttemptAtMs: null });
      this.wake();
      return;
    }
    const delayMs = this.serverBackoff.next();
    this.pausedUntilMs = this.host.clock.now() + delayMs;
    this.host.board.update({
      state: 'offline',
      reachable: false,
      lastError: found.error,
      nextAttemptAtMs: this.pausedUntilMs,
    });
    this.arm(delayMs, () => void this.probe());
  }

  /** Nothing due: say so, arm a timer for the next due item, run completeness checks. */
  private async idle(session: Session): Promise<void> {
    const nextDueAtMs = this.host.queue.nextDueAtMs();
    this.host.board.update({ state: 'idle', nextAttemptAtMs: nextDueAtMs });
    if (nextDueAtMs !== null) this.arm(nextDueAtMs - this.host.clock.now(), () => this.wake());
    else this.disarm();
    for (const recordingId of this.host.check.due()) {
      if (this.stopped || this.host.session() !== session || !(await this.verify(session, recordingId)))
        return;
    }
  }

  /** One completeness check; false when the loop should stop checking for now. */
  private async verify(session: Session, recordingId: string): Promise<boolean> {
    try {
      const outcome = this.host.check.apply(await session.listChunks(recordingId));
      if (outcome.requeued > 0) this.again = true;
      else if (!outcome.complete && outcome.unfillable.length > 0)
        this.host.incomplete(recordingId, outcome.unfillable);
      return true;
    } catch (error) {
      if (error instanceof SyncError && error.code === 'unauthorized') this.host.unauthorized(error.message);
      else if (error instanceof TransportError && error.code !== 'canceled')
        this.pause(null, error.message, error.code !== 'bad_response', null, null);
      else if (error instanceof ApiError && error.status >= 500)
        this.pause(null, `server error (${error.status})`, false, null, null);
      else
        this.host.board.update({
          lastError: `checking recording ${recordingId} on the server: ${messageOf(error)}`,
        });
      return false;
    }
  }

  private arm(delayMs: number, fn: () => void): void {
    this.disarm();
    if (this.stopped) return;
    this.timer = this.host.clock.setTimeout(
      () => {
        this.timer = undefined;
        fn();
      },
      Math.max(0, delayMs),
    );
  }

  private disarm(): void {
    this.host.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Waits on the clock; `stop()` ends the wait early. */
  private sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.sleepers.delete(done);
        this.host.clock.clearTimeout(handle);
        resolve();
      };
      const handle = this.host.clock.setTimeout(done, delayMs);
      this.sleepers.add(done);
    });
  }
}
