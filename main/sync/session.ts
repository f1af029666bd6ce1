/**
 * Everything bound to one enrollment and one set of connection settings: the axios transport,
 * the contract client, the item sender and the access tokens. The sync service builds a new
 * session when the gateway enrolls or the CA bundle or proxy change, and closes the old one.
 */
import { ApiError, createApiClient, type ApiClient } from '../../server-contract/api/client.js';
import { routes, type Routes } from '../../server-contract/api/routes.js';
import type { Clock } from '../base/clock.js';
import { AccessTokens } from './access-tokens.js';
import type { RecordingChunks } from './backlog-check.js';
import type { Credentials } from './credentials.js';
import { SyncError, TransportError, messageOf } from './errors.js';
import { HttpTransport } from './http-transport.js';
import { ItemSender } from './uploader.js';

/** Connection settings (the gateway's settings file). */
export interface ConnectionSettings {
  caBundlePath: string | null;
  proxyUrl: string | null;
  /** No byte for this long fails a request, ms. */
  timeoutMs: number;
  userAgent: string;
}

/** What the server said to a heartbeat. */
export interface HeartbeatBody {
  appVersion: string;
  backlogChunks: number;
  backlogBytes: number;
  oldestPendingAtMs: number | null;
  sentAtMs: number;
}

/** A health probe's finding. */
export interface ProbeResult {
  reachable: boolean;
  /** Why not, in plain words. */
  error: string | null;
}

export const REVOKED_MESSAGE =
  'the server refused this gateway’s credentials (revoked or unknown) — enroll it again with a new code from IT';

/** Builds a transport and client for `serverUrl`; throws `SyncError('bad_config')`. */
export function connect(serverUrl: string, settings: ConnectionSettings) {
  const transport = new HttpTransport({
    baseUrl: serverUrl,
    caBundlePath: settings.caBundlePath,
    proxyUrl: settings.proxyUrl,
    timeoutMs: settings.timeoutMs,
    userAgent: settings.userAgent,
  });
  return { transport, client: createApiClient(routes, transport.send) };
}

export class Session {
  readonly transport: HttpTransport;
  readonly client: ApiClient<Routes>;
  readonly sender: ItemSender;
  readonly tokens: AccessTokens;

  /** Throws `SyncError('bad_config')` for an unusable URL, CA bundle or proxy. */
  constructor(
    readonly credentials: Credentials,
    settings: ConnectionSettings,
    clock: Clock,
  ) {
    const { transport, client } = connect(credentials.serverUrl, settings);
    this.transport = transport;
    this.client = client;
    this.sender = new ItemSender(transport);
    this.tokens = new AccessTokens(() => this.fetchToken(), clock);
  }

  private async fetchToken() {
    try {
      const answer = await this.client['gateways.token']({
        body: { gatewayId: this.credentials.gatewayId, clientSecret: this.credentials.clientSecret },
      });
      return answer.body;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401)
        throw new SyncError('unauthorized', REVOKED_MESSAGE, { cause: error });
      throw error;
    }
  }

  /** `GET /health`: does the server answer, and is its database up? Never throws. */
  async probe(): Promise<ProbeResult> {
    try {
      await this.client['health.get']({});
      return { reachable: true, error: null };
    } catch (error) {
      if (error instanceof ApiError && error.status === 503)
        return { reachable: false, error: 'server unavailable (503): its database does not answer' };
      if (error instanceof ApiError)
        return {
          reachable: false,
          error: `unexpected answer to the health check (${error.status}) — is the server URL right?`,
        };
      return { reachable: false, error: messageOf(error) };
    }
  }

  /** Sends a heartbeat; returns the server's time. Throws TransportError, ApiError or SyncError. */
  async heartbeat(body: HeartbeatBody): Promise<number> {
    const authToken = await this.tokens.get();
    try {
      const answer = await this.client['gateways.heartbeat']({ body, authToken });
      this.tokens.observeServerTime(answer.body.serverTimeMs);
      return answer.body.serverTimeMs;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.tokens.invalidate();
      throw error;
    }
  }

  /** The server's chunk list of a recording. Throws TransportError, ApiError or SyncError. */
  async listChunks(recordingId: string): Promise<RecordingChunks> {
    const authToken = await this.tokens.get();
    try {
      return (await this.client['chunks.list']({ params: { recordingId }, authToken })).body;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.tokens.invalidate();
      throw error;
    }
  }

  /** Cancels requests in flight and closes connections. */
  close(): void {
    this.transport.close();
  }
}

/** True when `error` means the server could not be reached (as opposed to answering). */
export function isNetworkFailure(error: unknown): error is TransportError {
  return error instanceof TransportError && error.code !== 'canceled';
}
