/**
 * Short-lived access tokens for the gateway's requests, fetched with the client secret
 * (`gateways.token`), refreshed a little before they expire and again whenever the server answers
 * 401. Expiry is judged on the server's clock: the heartbeat's `serverTimeMs` gives the offset, so
 * a gateway whose clock is wrong (an edge box without a battery-backed clock) still refreshes in
 * time.
 */
import type { Clock } from '../base/clock.js';

/** A token as the server issued it (`accessTokenExpiresAtMs` is server time). */
export interface IssuedToken {
  accessToken: string;
  accessTokenExpiresAtMs: number;
}

export interface AccessTokenOptions {
  /** Refresh this long before expiry, ms (default 60 s, at most a fifth of the token's lifetime). */
  refreshMarginMs?: number;
}

/** Holds the current access token; one fetch at a time. */
export class AccessTokens {
  private token: IssuedToken | null = null;
  /** Server time when the current token was requested (by the offset known then). */
  private issuedAtServerMs = 0;
  private fetching: Promise<string> | null = null;
  /** Server time minus local time, ms (0 until the server told its time). */
  private serverOffsetMs = 0;
  private readonly refreshMarginMs: number;

  constructor(
    private readonly fetchToken: () => Promise<IssuedToken>,
    private readonly clock: Clock,
    options: AccessTokenOptions = {},
  ) {
    this.refreshMarginMs = options.refreshMarginMs ?? 60_000;
  }

  /** A token valid for a while yet; fetches one when there is none or it is about to expire. */
  async get(): Promise<string> {
    const token = this.token;
    if (token !== null && !this.dueForRefresh(token)) return token.accessToken;
    return this.refresh();
  }

  /** Forgets the token (the server answered 401), so the next `get()` fetches a new one. */
  invalidate(): void {
    this.token = null;
  }

  /** Records the server's time as of now (from a heartbeat answer). */
  observeServerTime(serverTimeMs: number): void {
    this.serverOffsetMs = serverTimeMs - this.clock.now();
  }

  /** Server time when the current token expires, or null when there is none. */
  get expiresAtMs(): number | null {
    return this.token?.accessTokenExpiresAtMs ?? null;
  }

  private dueForRefresh(token: IssuedToken): boolean {
    const serverNowMs = this.clock.now() + this.serverOffsetMs;
    const lifetimeMs = Math.max(0, token.accessTokenExpiresAtMs - this.issuedAtServerMs);
    const marginMs = Math.min(this.refreshMarginMs, lifetimeMs / 5);
    return serverNowMs >= token.accessTokenExpiresAtMs - marginMs;
  }

  private refresh(): Promise<string> {
    this.fetching ??= (async () => {
      try {
        const issuedAtServerMs = this.clock.now() + this.serverOffsetMs;
        const token = await this.fetchToken();
        this.token = token;
        this.issuedAtServerMs = issuedAtServerMs;
        // A fresh token is used even if the local clock says it already expired: the server judges.
        return token.accessToken;
      } finally {
        this.fetching = null;
      }
    })();
    return this.fetching;
  }
}
