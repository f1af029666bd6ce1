/**
 * A signed-in member of staff: the access and refresh tokens from `auth.login`, refreshed before
 * the access token expires (or once after a 401), revoked on sign-out, and dropped after a spell
 * without keyboard or pointer input (the idle timeout). The refresh token is kept in
 * sessionStorage so a reload of the tab keeps the session; closing the tab ends it.
 */
import type { StaffUser, TokenPair } from '../../../server-contract/api/index.js';
import { ApiError, type IngestClient } from './api.js';

/** Sign out after this long without input. */
export const IDLE_TIMEOUT_MS = 15 * 60_000;
/** Refresh the access token when it has less than this left. */
const REFRESH_MARGIN_MS = 30_000;
const STORAGE_KEY = 'pulsewatch.viewer.session';

interface Stored {
  user: StaffUser;
  tokens: TokenPair;
}

/** Why a session ended, shown on the sign-in page. */
export type EndReason = 'signed_out' | 'idle' | 'expired';

/** What a session is told and uses besides the server. */
export interface SessionDeps {
  onEnd: (reason: EndReason) => void;
  /** Clock for the idle timeout and token expiry (default `Date.now`). */
  now?: () => number;
  /** Where the tokens survive a reload (default the tab's sessionStorage). */
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
}

export class Session {
  private tokens: TokenPair;
  private refreshing: Promise<void> | undefined;
  private lastInputMs: number;
  private readonly onEnd: (reason: EndReason) => void;
  private readonly now: () => number;
  private readonly storage: NonNullable<SessionDeps['storage']>;
  private ended = false;

  constructor(
    readonly client: IngestClient,
    readonly user: StaffUser,
    tokens: TokenPair,
    deps: SessionDeps,
  ) {
    this.tokens = tokens;
    this.onEnd = deps.onEnd;
    this.now = deps.now ?? Date.now;
    this.storage = deps.storage ?? sessionStorage;
    this.lastInputMs = this.now();
    this.save();
  }

  /** Signs in; throws the server's error (wrong password, locked account, …). */
  static async login(
    client: IngestClient,
    username: string,
    password: string,
    deps: SessionDeps,
  ): Promise<Session> {
    const { body } = await client['auth.login']({ body: { username, password } });
    return new Session(client, body.user, body.tokens, deps);
  }

  /** The session this tab had before a reload, if its refresh token still works. */
  static async resume(client: IngestClient, deps: SessionDeps): Promise<Session | null> {
    const storage = deps.storage ?? sessionStorage;
    const raw = storage.getItem(STORAGE_KEY);
    if (raw === null) return null;
    try {
      const stored = JSON.parse(raw) as Stored;
      const { body } = await client['auth.refresh']({
        body: { refreshToken: stored.tokens.refreshToken },
      });
      return new Session(client, stored.user, body, deps);
    } catch {
      storage.removeItem(STORAGE_KEY);
      return null;
    }
  }

  /** Records user input (resets the idle timer). */
  touch(): void {
    this.lastInputMs = this.now();
  }

  /** Ends the session when idle for {@link IDLE_TIMEOUT_MS}; call periodically. */
  checkIdle(): void {
    if (this.now() - this.lastInputMs >= IDLE_TIMEOUT_MS) void this.logout('idle');
  }

  /** Runs `call` with a fresh access token; after a 401 refreshes once and retries. */
  async run<T>(call: (authToken: string) => Promise<T>): Promise<T> {
    if (this.tokens.accessTokenExpiresAtMs - this.now() < REFRESH_MARGIN_MS) await this.refresh();
    try {
      return await call(this.tokens.accessToken);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      await this.refresh();
      return call(this.tokens.accessToken);
    }
  }

  /** Revokes the refresh token and ends the session. */
  async logout(reason: EndReason = 'signed_out'): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.storage.removeItem(STORAGE_KEY);
    try {
      await this.client['auth.logout']({ body: { refreshToken: this.tokens.refreshToken } });
    } catch {
      // the token expires on its own; signing out locally is what matters here
    }
    this.onEnd(reason);
  }

  private refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        const { body } = await this.client['auth.refresh']({
          body: { refreshToken: this.tokens.refreshToken },
        });
        this.tokens = body;
        this.save();
      } catch (error) {
        this.storage.removeItem(STORAGE_KEY);
        if (!this.ended) this.onEnd('expired');
        this.ended = true;
        throw error;
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  private save(): void {
    const stored: Stored = { user: this.user, tokens: this.tokens };
    this.storage.setItem(STORAGE_KEY, JSON.stringify(stored));
  }
}
