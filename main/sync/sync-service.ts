/**
 * The gateway's uploader (issue 9 §4): enrollment with the server's one-time code, access tokens,
 * the upload loop over the local queue, the heartbeat, connectivity probing, the bandwidth cap,
 * completeness checks of ended recordings, error reports and the live status for the UI.
 *
 * Wiring (main/api): one instance per gateway; `sync.status` → `status()`, `sync.now` →
 * `syncNow()`, `sync.enroll` → `enroll(serverUrl, code)`, `onChange` → event `sync.changed`,
 * `onAlarm` → event `alarms.raised`, settings changes → `configure()`.
 */
import type { z } from 'zod';
import type { AlarmSchema, SyncStatus } from '../../preload/schemas.js';
import type { BackoffOptions } from '../base/backoff.js';
import { SystemClock, type Clock } from '../base/clock.js';
import type { GatewayDatabase } from '../queue/database.js';
import type { QueueItem } from '../queue/types.js';
import type { UploadQueue } from '../queue/upload-queue.js';
import { createAgents } from './agents.js';
import { BacklogCheck } from './backlog-check.js';
import { TokenBucket } from './bandwidth.js';
import { describeItem } from './classify.js';
import { CredentialStore, type Credentials } from './credentials.js';
import { errorReportItem, type ErrorContext } from './error-reports.js';
import { SyncError, messageOf } from './errors.js';
import { enrollGateway, type GatewayIdentity } from './enrollment.js';
import { Periodic, heartbeatBody } from './heartbeat.js';
import { Session, type ConnectionSettings } from './session.js';
import { StatusBoard } from './status-board.js';
import { UploadLoop } from './upload-loop.js';

export type { GatewayIdentity } from './enrollment.js';
export type SyncAlarm = z.infer<typeof AlarmSchema>;

/** The uploader's settings (the gateway settings file); absent or null = default. */
export interface SyncSettings {
  caBundlePath?: string | null | undefined;
  proxyUrl?: string | null | undefined;
  /** Bytes/s; null = unlimited. */
  uploadCapBytesPerS?: number | null | undefined;
  /** No byte for this long fails a request, ms (default: the constructor's `requestTimeoutMs`). */
  requestTimeoutMs?: number | undefined;
}

interface ResolvedSettings {
  requestTimeoutMs: number;
  caBundlePath: string | null;
  proxyUrl: string | null;
  uploadCapBytesPerS: number | null;
}

export interface SyncServiceOptions {
  db: GatewayDatabase;
  queue: UploadQueue;
  gateway: GatewayIdentity;
  settings?: SyncSettings;
  /** Default: the system clock. */
  clock?: Clock;
  /** Jitter source in [0, 1) (default Math.random). */
  random?: () => number;
  /** No byte for this long fails a request, ms (default 30 s). */
  requestTimeoutMs?: number;
  /** Default 60 s. */
  heartbeatIntervalMs?: number;
  /** Connectivity probe while idle, ms (default 30 s). */
  probeIntervalMs?: number;
  serverBackoff?: BackoffOptions;
  itemBackoff?: BackoffOptions;
}

export class SyncService {
  private readonly clock: Clock;
  private readonly board: StatusBoard;
  private readonly credentials: CredentialStore;
  private readonly bucket: TokenBucket;
  private readonly loop: UploadLoop;
  private readonly heartbeat: Periodic;
  private readonly idleProbe: Periodic;
  private readonly alarmListeners = new Set<(alarm: SyncAlarm) => void>();
  private settings: ResolvedSettings;
  private session: Session | null = null;
  private enrolled: Credentials | null = null;
  private unsubscribeQueue: (() => void) | null = null;

  constructor(private readonly options: SyncServiceOptions) {
    this.clock = options.clock ?? new SystemClock();
    this.settings = {
      caBundlePath: options.settings?.caBundlePath ?? null,
      proxyUrl: options.settings?.proxyUrl ?? null,
      uploadCapBytesPerS: options.settings?.uploadCapBytesPerS ?? null,
      requestTimeoutMs: options.settings?.requestTimeoutMs ?? options.requestTimeoutMs ?? 30_000,
    };
    this.credentials = new CredentialStore(options.db);
    this.board = new StatusBoard(this.clock, () => options.queue.status());
    this.bucket = new TokenBucket(this.clock, this.settings.uploadCapBytesPerS);
    const random = options.random === undefined ? {} : { random: options.random };
    this.loop = new UploadLoop(
      {
        queue: options.queue,
        clock: this.clock,
        board: this.board,
        bucket: this.bucket,
        check: new BacklogCheck(options.db, options.queue, () => Math.round(this.clock.now())),
        session: () => this.session,
        rejected: (item, reason) => this.rejected(item, reason),
        clash: (item, reason) => this.clash(item, reason),
        unauthorized: (message) => this.unauthorized(message),
        incomplete: (recordingId, holes) => this.incomplete(recordingId, holes),
      },
      {
        serverBackoff: { ...options.serverBackoff, ...random },
        itemBackoff: { ...options.itemBackoff, ...random },
      },
    );
    this.heartbeat = new Periodic(this.clock, options.heartbeatIntervalMs ?? 60_000, () => this.beat());
    this.idleProbe = new Periodic(this.clock, options.probeIntervalMs ?? 30_000, () => this.probeWhileIdle());
    this.board.update({ uploadCapBytesPerS: this.settings.uploadCapBytesPerS });
  }

  /** Loads the enrollment and starts uploading, the heartbeat and probing. Never throws. */
  start(): void {
    this.unsubscribeQueue ??= this.options.queue.onChange(() => {
      this.board.changed();
      this.loop.wake();
    });
    try {
      const credentials = this.credentials.load();
      if (credentials) this.useCredentials(credentials);
    } catch (error) {
      this.board.update({ state: 'not_enrolled', lastError: messageOf(error) });
    }
    this.heartbeat.start(0);
    this.idleProbe.start();
    this.loop.wake();
  }

  /** Stops; an item being sent goes back to the queue as pending. */
  async stop(): Promise<void> {
    this.heartbeat.stop();
    this.idleProbe.stop();
    this.unsubscribeQueue?.();
    this.unsubscribeQueue = null;
    const stopped = this.loop.stop();
    this.session?.close();
    await stopped;
    this.board.close();
  }

  status(): SyncStatus {
    return this.board.snapshot();
  }

  /** Calls `listener` with the fresh status on every change (counters at most every 250 ms). */
  onChange(listener: (status: SyncStatus) => void): () => void {
    return this.board.onChange(listener);
  }

  /** Things staff must act on, e.g. `study_code_clash`. */
  onAlarm(listener: (alarm: SyncAlarm) => void): () => void {
    this.alarmListeners.add(listener);
    return () => this.alarmListeners.delete(listener);
  }

  /**
   * Enrolls with the server's one-time code; on success the gateway starts uploading at once.
   * Throws `SyncError` (`bad_config`, `unauthorized`: wrong/used code, `enroll_failed`) in plain words.
   */
  async enroll(serverUrl: string, code: string): Promise<SyncStatus> {
    const credentials = await enrollGateway(
      serverUrl,
      code,
      this.options.gateway,
      this.connection(this.settings),
      this.clock.now(),
    );
    try {
      this.credentials.save(credentials);
    } catch (error) {
      throw new SyncError(
        'enroll_failed',
        `the server enrolled this gateway, but its credentials could not be saved (${messageOf(error)}); ` +
          'free disk space and enroll again with a new code',
        { cause: error },
      );
    }
    this.useCredentials(credentials);
    this.board.update({ reachable: true, lastError: null });
    this.heartbeat.runNow();
    this.loop.wake();
    return this.status();
  }

  /** `sync.now`: ends any wait (backoff, offline probing, refused credentials) and tries now. */
  syncNow(): void {
    const state = this.board.facts.state;
    if (state === 'unauthorized' || (state === 'offline' && this.session === null)) this.reconnect();
    this.loop.resumeNow();
    // Also checks the credentials at once, even with nothing to send.
    this.heartbeat.runNow();
  }

  /** Staff "retry failed": the items the server rejected go back to pending. Returns how many. */
  retryFailed(): number {
    const count = this.options.queue.retryFailed();
    this.loop.wake();
    return count;
  }

  /**
   * Applies changed settings. A new CA bundle or proxy takes effect for the next request (a request
   * in flight is sent again). Throws `SyncError('bad_config')` and keeps the old settings when
   * the bundle cannot be read or the proxy URL is wrong.
   */
  configure(settings: SyncSettings): void {
    const next: ResolvedSettings = {
      caBundlePath: settings.caBundlePath === undefined ? this.settings.caBundlePath : settings.caBundlePath,
      proxyUrl: settings.proxyUrl === undefined ? this.settings.proxyUrl : settings.proxyUrl,
      uploadCapBytesPerS:
        settings.uploadCapBytesPerS === undefined
          ? this.settings.uploadCapBytesPerS
          : settings.uploadCapBytesPerS,
      requestTimeoutMs: settings.requestTimeoutMs ?? this.settings.requestTimeoutMs,
    };
    if (!(Number.isFinite(next.requestTimeoutMs) && next.requestTimeoutMs > 0))
      throw new SyncError('bad_config', `request timeout must be > 0 ms, got ${next.requestTimeoutMs}`);
    const cap = next.uploadCapBytesPerS;
    if (cap !== null && !(Number.isFinite(cap) && cap > 0))
      throw new SyncError('bad_config', `upload cap must be a positive number of bytes/s, got ${cap}`);
    const connectionChanged =
      next.caBundlePath !== this.settings.caBundlePath ||
      next.proxyUrl !== this.settings.proxyUrl ||
      next.requestTimeoutMs !== this.settings.requestTimeoutMs;
    let session: Session | null = null;
    if (connectionChanged && this.enrolled)
      session = new Session(this.enrolled, this.connection(next), this.clock);
    else if (connectionChanged) createAgents(next).destroy(); // only checks the bundle and the proxy URL
    if (cap !== this.settings.uploadCapBytesPerS) this.bucket.setRate(cap);
    this.settings = next;
    this.board.update({ uploadCapBytesPerS: cap });
    if (session) this.replaceSession(session);
  }

  /**
   * Queues an error report (uncaught errors, device faults): app version, OS and the context given
   * (e.g. `{ deviceSerial }`), never patient details. Returns false when it could not be queued.
   */
  reportError(
    error: unknown,
    context: ErrorContext = {},
    severity: 'error' | 'fatal' | 'warning' = 'error',
  ): boolean {
    try {
      this.options.queue.enqueue(
        errorReportItem(error, context, {
          appVersion: this.options.gateway.appVersion,
          nowMs: this.clock.now(),
          severity,
        }),
      );
      return true;
    } catch (failure) {
      this.board.update({ lastError: `could not queue an error report: ${messageOf(failure)}` });
      return false;
    }
  }

  private connection(settings: ResolvedSettings): ConnectionSettings {
    return {
      caBundlePath: settings.caBundlePath,
      proxyUrl: settings.proxyUrl,
      timeoutMs: settings.requestTimeoutMs,
      userAgent: `PulseWatch-Gateway/${this.options.gateway.appVersion}`,
    };
  }

  private useCredentials(credentials: Credentials): void {
    this.enrolled = credentials;
    this.board.update({
      enrolled: true,
      serverUrl: credentials.serverUrl,
      gatewayName: credentials.gatewayName,
      enrolledAtMs: credentials.enrolledAtMs,
    });
    this.reconnect();
  }

  /** Builds a session for the enrollment; an unusable setting is shown as the last error. */
  private reconnect(): void {
    if (!this.enrolled) return;
    try {
      this.replaceSession(new Session(this.enrolled, this.connection(this.settings), this.clock));
    } catch (error) {
      this.session?.close();
      this.session = null;
      this.board.update({ state: 'offline', reachable: null, lastError: messageOf(error) });
    }
  }

  private replaceSession(session: Session): void {
    const old = this.session;
    this.session = session;
    old?.close();
    this.loop.reset();
    this.board.update({ state: 'idle', nextAttemptAtMs: null });
    this.loop.wake();
  }

  private async beat(): Promise<void> {
    const session = this.session;
    if (!session || this.board.facts.state === 'unauthorized' || this.loop.isOffline) return;
    const body = heartbeatBody(
      this.options.queue.status(),
      this.options.gateway.appVersion,
      this.clock.now(),
    );
    try {
      await session.heartbeat(body);
      if (this.session === session) this.board.update({ reachable: true });
    } catch (error) {
      if (error instanceof SyncError && error.code === 'unauthorized') this.unauthorized(error.message);
      // Other failures: the upload loop and the probe see them and say so.
    }
  }

  private async probeWhileIdle(): Promise<void> {
    const session = this.session;
    if (!session || this.board.facts.state !== 'idle') return;
    const found = await session.probe();
    if (this.session !== session || this.board.facts.state !== 'idle') return;
    if (found.reachable) this.board.update({ reachable: true });
    else this.loop.markUnreachable(found.error ?? 'server unreachable');
  }

  private rejected(item: QueueItem, reason: string): void {
    if (item.route === 'errorReports.create') return;
    this.reportError(new Error(`the server rejected ${describeItem(item)}: ${reason}`), {
      queueItemId: item.id,
      route: item.route,
      recordingId: item.recordingId,
      stream: item.stream,
      chunkIndex: item.chunkIndex,
      sha256: item.sha256,
      sizeBytes: item.sizeBytes,
    });
  }

  private clash(item: QueueItem, reason: string): void {
    const body = item.body as { studyCode?: unknown } | null;
    const code = typeof body?.studyCode === 'string' ? body.studyCode : '(unknown)';
    this.raise({
      code: 'study_code_clash',
      severity: 'critical',
      message:
        `Study code ${code} is already used by another patient on the server, so this patient was not uploaded ` +
        `(${reason}). Give the patient another study code; their recordings wait on this gateway until then.`,
      atMs: Math.round(this.clock.now()),
    });
  }

  private incomplete(recordingId: string, holes: string[]): void {
    const shown = holes.slice(0, 20).join(', ') + (holes.length > 20 ? ', …' : '');
    this.reportError(
      new Error(
        `the server lacks ${holes.length} chunk(s) of recording ${recordingId} that this gateway cannot send: ${shown}`,
      ),
      { recordingId, missingChunks: holes.length },
      'warning',
    );
  }

  private unauthorized(message: string): void {
    this.board.update({ state: 'unauthorized', reachable: true, lastError: message, nextAttemptAtMs: null });
  }

  private raise(alarm: SyncAlarm): void {
    for (const listener of this.alarmListeners) {
      try {
        listener(alarm);
      } catch {
        // A listener's fault is its own.
      }
    }
  }
}
