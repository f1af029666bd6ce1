/**
 * Staff sign-in (scrypt, lockout with doubling backoff), refresh-token rotation with replay
 * detection, gateway enrollment by one-time code, gateway credentials, and the check every
 * authenticated request goes through (disabled users and revoked gateways lose access at once).
 */
import { timingSafeEqual } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { HttpError } from '../errors.js';
import { dummyHash, hashPassword, verifyPassword, type ScryptCost } from '../crypto/passwords.js';
import type { Audit } from '../ops/audit.js';
import type { GatewayRecord, StaffRole, Store, UserRecord } from '../store/store.js';
import { AccessTokens, enrollmentCode, randomSecret, sha256Hex, type Principal } from './tokens.js';

export interface AuthSettings {
  jwtSecret: Uint8Array;
  accessTokenTtlS: number;
  refreshTokenTtlS: number;
  maxFailedLogins: number;
  lockoutBaseS: number;
  scryptCost?: ScryptCost;
}

export interface IssuedPair {
  accessToken: string;
  accessTokenExpiresAtMs: number;
  refreshToken: string;
  refreshTokenExpiresAtMs: number;
}

const invalidLogin = () => new HttpError(401, 'unauthorized', 'wrong username or password');
const invalidRefresh = () =>
  new HttpError(401, 'unauthorized', 'refresh token is invalid, expired or revoked');

export class AuthService {
  readonly tokens: AccessTokens;
  private dummy: Promise<string> | undefined;

  constructor(
    private readonly store: Store,
    private readonly audit: Audit,
    private readonly settings: AuthSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = new AccessTokens(settings.jwtSecret, settings.accessTokenTtlS, now);
  }

  async createUser(input: {
    username: string;
    displayName: string;
    role: StaffRole;
    password: string;
  }): Promise<UserRecord> {
    const user: UserRecord = {
      id: uuidv7(),
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      passwordHash: await hashPassword(input.password, this.settings.scryptCost),
      createdAtMs: this.now(),
      disabled: false,
      failedLogins: 0,
      lockedUntilMs: null,
    };
    await this.store.createUser(user);
    return user;
  }

  /** Signs a user in. Wrong credentials: 401; locked: 423 with `retry-after`. */
  async login(
    username: string,
    password: string,
    ip: string,
  ): Promise<{ user: UserRecord; tokens: IssuedPair }> {
    const user = await this.store.getUserByUsername(username);
    const nowMs = this.now();
    if (!user) {
      this.dummy ??= dummyHash(this.settings.scryptCost);
      await verifyPassword(password, await this.dummy);
      await this.audit.record(null, 'auth.login_failed', null, { username, ip, reason: 'unknown_user' });
      throw invalidLogin();
    }
    // Counted before the (slow) password check, atomically: parallel guesses cannot all pass
    // the lock check before any of them is counted.
    const attempt = await this.store.claimLoginAttempt(
      user.id,
      this.settings.maxFailedLogins,
      nowMs,
      this.lockUntil(Math.max(user.failedLogins + 1, this.settings.maxFailedLogins), nowMs) ?? nowMs,
    );
    if (attempt === undefined) {
      const current = await this.store.getUser(user.id);
      await this.audit.record(null, 'auth.login_locked', user.id, { ip });
      throw lockedError((current?.lockedUntilMs ?? nowMs) - nowMs);
    }
    if (!(await verifyPassword(password, user.passwordHash)) || user.disabled) {
      await this.registerFailure(user.id, attempt, nowMs, ip);
      throw invalidLogin();
    }
    await this.store.setLoginState(user.id, 0, null);
    await this.audit.record({ kind: 'user', id: user.id, role: user.role }, 'auth.login', user.id, { ip });
    return { user, tokens: await this.issuePair(user) };
  }

  /** When `failed` failures lock the account: doubling with each one past the limit, at most a day. */
  private lockUntil(failed: number, nowMs: number): number | null {
    const over = failed - this.settings.maxFailedLogins;
    return over >= 0
      ? nowMs + Math.min(86_400, this.settings.lockoutBaseS * 2 ** Math.min(over, 16)) * 1000
      : null;
  }

  /** The attempt (already counted) failed: set its lock (the count stays as claimed). */
  private async registerFailure(userId: string, failed: number, nowMs: number, ip: string): Promise<void> {
    const lockedUntil = this.lockUntil(failed, nowMs);
    if (lockedUntil !== null) await this.store.setLoginState(userId, failed, lockedUntil);
    await this.audit.record(null, 'auth.login_failed', userId, {
      ip,
      failedLogins: failed,
      locked: lockedUntil !== null,
    });
  }

  private async issuePair(user: UserRecord): Promise<IssuedPair> {
    const access = await this.tokens.issue({ kind: 'user', id: user.id, role: user.role });
    const refreshToken = randomSecret(32);
    const nowMs = this.now();
    const expiresAtMs = nowMs + this.settings.refreshTokenTtlS * 1000;
    await this.store.putRefreshToken({
      id: uuidv7(),
      userId: user.id,
      tokenHash: sha256Hex(refreshToken),
      createdAtMs: nowMs,
      expiresAtMs,
      revokedAtMs: null,
    });
    return {
      accessToken: access.token,
      accessTokenExpiresAtMs: access.expiresAtMs,
      refreshToken,
      refreshTokenExpiresAtMs: expiresAtMs,
    };
  }

  /**
   * Rotates a refresh token (single use). Presenting a revoked one is treated as theft: every
   * refresh token of that user is revoked.
   */
  async refresh(refreshToken: string): Promise<IssuedPair> {
    const stored = await this.store.getRefreshTokenByHash(sha256Hex(refreshToken));
    const nowMs = this.now();
    if (!stored) throw invalidRefresh();
    if (stored.revokedAtMs !== null || !(await this.store.revokeRefreshToken(stored.id, nowMs))) {
      await this.store.revokeUserRefreshTokens(stored.userId, nowMs);
      await this.audit.record(null, 'auth.refresh_replayed', stored.userId, {});
      throw invalidRefresh();
    }
    if (stored.expiresAtMs <= nowMs) throw invalidRefresh();
    const user = await this.store.getUser(stored.userId);
    if (!user || user.disabled) throw invalidRefresh();
    return this.issuePair(user);
  }

  async logout(refreshToken: string): Promise<void> {
    const stored = await this.store.getRefreshTokenByHash(sha256Hex(refreshToken));
    if (stored) await this.store.revokeRefreshToken(stored.id, this.now());
  }

  async disableUser(actor: Principal, userId: string): Promise<UserRecord> {
    const user = await this.store.getUser(userId);
    if (!user) throw new HttpError(404, 'not_found', 'user not found');
    await this.store.setUserDisabled(userId, true);
    await this.store.revokeUserRefreshTokens(userId, this.now());
    await this.audit.record(actor, 'users.disable', userId, {});
    return { ...user, disabled: true };
  }

  async createEnrollmentCode(
    actor: Principal,
    label: string,
    validForS: number,
    forGatewayId?: string,
  ): Promise<{ code: string; label: string; expiresAtMs: number }> {
    const code = enrollmentCode();
    const nowMs = this.now();
    const expiresAtMs = nowMs + validForS * 1000;
    await this.store.putEnrollmentCode({
      codeHash: sha256Hex(code),
      label,
      createdBy: actor.id,
      createdAtMs: nowMs,
      expiresAtMs,
      forGatewayId: forGatewayId ?? null,
    });
    await this.audit.record(actor, 'enrollment.code_created', forGatewayId ?? null, { label, expiresAtMs });
    return { code, label, expiresAtMs };
  }

  /** Uses a one-time code; returns the gateway's secret (shown once). */
  async enroll(
    input: { code: string; gatewayId: string; name: string; platform: string; appVersion: string },
    ip: string,
  ): Promise<string> {
    const nowMs = this.now();
    const existing = await this.store.getGateway(input.gatewayId);
    if (existing?.revokedAtMs != null)
      throw new HttpError(409, 'conflict', 'this gateway id was revoked; install a new gateway id');
    const code = await this.store.consumeEnrollmentCode(sha256Hex(input.code), input.gatewayId, nowMs);
    if (!code) {
      await this.audit.record(null, 'gateways.enroll_failed', input.gatewayId, { ip });
      throw new HttpError(401, 'unauthorized', 'enrollment code is unknown, used or expired');
    }
    // Gateway ids are not secret (IT sees them on /metrics): taking over an enrolled one needs a
    // code an admin issued for that id; a code issued for one id enrolls no other.
    if (code.forGatewayId !== null ? code.forGatewayId !== input.gatewayId : existing !== undefined) {
      await this.audit.record(null, 'gateways.enroll_refused', input.gatewayId, { ip, label: code.label });
      throw new HttpError(
        409,
        'conflict',
        existing !== undefined && code.forGatewayId === null
          ? 'this gateway id is already enrolled; re-enrolling it needs a code issued for it'
          : 'this enrollment code was issued for another gateway id',
      );
    }
    const clientSecret = randomSecret(32);
    const gateway: GatewayRecord = {
      id: input.gatewayId,
      name: input.name,
      platform: input.platform,
      appVersion: input.appVersion,
      secretHash: sha256Hex(clientSecret),
      enrolledAtMs: nowMs,
      revokedAtMs: null,
      lastSeenAtMs: nowMs,
      backlogChunks: null,
      backlogBytes: null,
      oldestPendingAtMs: null,
    };
    await this.store.putGateway(gateway);
    await this.audit.record(
      { kind: 'gateway', id: gateway.id, role: 'gateway' },
      'gateways.enroll',
      gateway.id,
      { label: code.label, ip },
    );
    return clientSecret;
  }

  async gatewayToken(
    gatewayId: string,
    clientSecret: string,
  ): Promise<{ accessToken: string; accessTokenExpiresAtMs: number }> {
    const gateway = await this.store.getGateway(gatewayId);
    const presented = Buffer.from(sha256Hex(clientSecret), 'hex');
    const expected = Buffer.from(gateway?.secretHash ?? '0'.repeat(64), 'hex');
    if (!gateway || gateway.revokedAtMs !== null || !timingSafeEqual(presented, expected)) {
      throw new HttpError(401, 'unauthorized', 'gateway credentials are invalid or revoked');
    }
    await this.store.recordGatewayContact(gateway.id, this.now());
    const access = await this.tokens.issue({ kind: 'gateway', id: gateway.id, role: 'gateway' });
    return { accessToken: access.token, accessTokenExpiresAtMs: access.expiresAtMs };
  }

  /** Verifies a bearer token and that its principal still may act (user enabled, gateway not revoked). */
  async authenticate(token: string): Promise<Principal> {
    const principal = await this.tokens.verify(token);
    if (principal.kind === 'user') return this.admitUser(principal);
    await this.admitGateway(principal, await this.store.getGateway(principal.id));
    return principal;
  }

  /**
   * Checks the token alone (signature, claims, expiry) for a route whose handler reads the
   * gateway's standing itself in its own query and passes it to {@link admitGateway} (the chunk
   * upload, which reads it with the recording); a user's standing is still read here.
   */
  async authenticateDeferringGateway(token: string): Promise<Principal> {
    const principal = await this.tokens.verify(token);
    return principal.kind === 'user' ? this.admitUser(principal) : principal;
  }

  private async admitUser(principal: Principal): Promise<Principal> {
    const user = await this.store.getUser(principal.id);
    if (!user || user.disabled) throw new HttpError(401, 'unauthorized', 'account disabled');
    return { kind: 'user', id: user.id, role: user.role };
  }

  /**
   * Refuses a gateway that is unknown or revoked (`standing` as just read from the database) and
   * refreshes its last contact at most every 30 s (what IT watches) rather than on every upload.
   */
  async admitGateway(
    principal: Principal,
    standing: Pick<GatewayRecord, 'revokedAtMs' | 'lastSeenAtMs'> | undefined,
  ): Promise<void> {
    if (!standing || standing.revokedAtMs !== null)
      throw new HttpError(401, 'unauthorized', 'gateway credentials revoked');
    const nowMs = this.now();
    if (standing.lastSeenAtMs === null || nowMs - standing.lastSeenAtMs > 30_000)
      await this.store.recordGatewayContact(principal.id, nowMs);
  }
}

function lockedError(remainingMs: number): HttpError {
  const retryS = Math.max(1, Math.ceil(remainingMs / 1000));
  return new HttpError(
    423,
    'account_locked',
    `too many failed sign-ins; try again in ${retryS} s`,
    undefined,
    { 'retry-after': String(retryS) },
  );
}
