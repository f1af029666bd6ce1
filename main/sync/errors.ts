/**
 * The uploader's errors. Every failure the uploader meets ends up as one of these, with a stable
 * `code` and a message in plain words that the UI shows as it is ("server unreachable (connection
 * refused)", "timed out after 30 s", "TLS: certificate not trusted — set the CA bundle"). No axios
 * or socket exception leaves `main/sync/`.
 */

/** Why a request got no HTTP answer (or an answer that is not the server's). */
export type TransportErrorCode =
  /** Nothing listens, no route, host name unknown. */
  | 'unreachable'
  /** No byte for the timeout. */
  | 'timeout'
  /** The connection dropped mid-request or mid-response. */
  | 'connection_lost'
  /** The server's certificate is not trusted, expired or names another host. */
  | 'tls'
  /** The proxy is unreachable or refused the tunnel. */
  | 'proxy'
  /** The answer is not what HTTP or the contract allows (invalid JSON, too large). */
  | 'bad_response'
  /** The transport was closed (settings changed, gateway stopping). */
  | 'canceled';

/** A request that got no usable HTTP answer. Always transient except `canceled`. */
export class TransportError extends Error {
  readonly code: TransportErrorCode;
  constructor(code: TransportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransportError';
    this.code = code;
  }
}

/** What the sync service reports to its callers (the gateway API). */
export type SyncErrorCode =
  /** A setting is unusable: bad server URL, unreadable CA bundle, bad proxy URL. */
  | 'bad_config'
  /** No server credentials yet: enroll first. */
  | 'not_enrolled'
  /** The server refused the enrollment code or the gateway's credentials. */
  | 'unauthorized'
  /** Enrollment failed for another reason (network, server error, revoked id). */
  | 'enroll_failed'
  /** The credentials row read back from disk is damaged. */
  | 'credentials_damaged';

export class SyncError extends Error {
  readonly code: SyncErrorCode;
  constructor(code: SyncErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SyncError';
    this.code = code;
  }
}

/** The message of anything thrown, for logs and status lines. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
