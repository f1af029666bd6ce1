/**
 * The first layer of the kysely `Store`: connection lifecycle, staff users, refresh tokens,
 * enrollment codes and gateways. The layers above it add documents (`kysely-document-tables.ts`),
 * the viewer's reads (`kysely-viewer-tables.ts`), chunks and their rows (`kysely-chunk-tables.ts`)
 * and patients and recordings (`KyselyStore`). The split only keeps files readable; every layer is
 * the same code for SQLite and PostgreSQL.
 */
import { sql, type Kysely } from 'kysely';
import { toGateway, toRefreshToken, toUser } from './mappers.js';
import type { Dialect } from './migrations.js';
import type { Database } from './schema.js';
import {
  StoreConflictError,
  type EnrollmentCodeRecord,
  type GatewayHeartbeat,
  type GatewayRecord,
  type Page,
  type RefreshTokenRecord,
  type UserRecord,
} from './store.js';

/** A page from `limit + 1` rows: the extra row only says that more follow. */
export function pageOf<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  return { items, nextAfter: rows.length > limit ? items[items.length - 1]!.id : null };
}

/** A uniqueness violation in either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string };
  return (
    e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

export class KyselyAuthTables {
  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {}

  /** Set for SQLite: whether its writes fail (disk full, I/O error). */
  writeHealth: { fullSinceMs: number | null; code: string | null; syncFailure: string | null } | undefined;

  writeProblem(): string | null {
    const health = this.writeHealth;
    if (health?.syncFailure != null) return health.syncFailure;
    if (health?.fullSinceMs == null) return null;
    return health.code === 'SQLITE_FULL'
      ? 'the database disk is full'
      : `the database cannot write (${health.code ?? 'I/O error'}): is the disk full?`;
  }

  async ping(): Promise<boolean> {
    try {
      await sql`select 1`.execute(this.db);
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.db.destroy();
    await this.onClose();
  }

  // ---- users and tokens ----

  async createUser(u: UserRecord): Promise<void> {
    try {
      await this.db
        .insertInto('users')
        .values({
          id: u.id,
          username: u.username,
          display_name: u.displayName,
          role: u.role,
          password_hash: u.passwordHash,
          created_at_ms: u.createdAtMs,
          disabled: u.disabled ? 1 : 0,
          failed_logins: u.failedLogins,
          locked_until_ms: u.lockedUntilMs,
        })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new StoreConflictError('username', `username ${u.username} is taken`);
      throw err;
    }
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    const r = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toUser(r);
  }

  async getUserByUsername(username: string): Promise<UserRecord | undefined> {
    const r = await this.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirst();
    return r && toUser(r);
  }

  async listUsers(): Promise<UserRecord[]> {
    return (await this.db.selectFrom('users').selectAll().orderBy('username').execute()).map(toUser);
  }

  async countUsers(): Promise<number> {
    const r = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async setLoginState(id: string, failedLogins: number, lockedUntilMs: number | null): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ failed_logins: failedLogins, locked_until_ms: lockedUntilMs })
      .where('id', '=', id)
      .execute();
  }

  async claimLoginAttempt(
    id: string,
    maxFailed: number,
    atMs: number,
    lockUntilMs: number,
  ): Promise<number | undefined> {
    const r = await this.db
      .updateTable('users')
      .set((eb) => ({
        failed_logins: eb('failed_logins', '+', 1),
        locked_until_ms: eb
          .case()
          .when(eb('failed_logins', '+', 1), '>=', maxFailed)
          .then(lockUntilMs)
          .else(eb.ref('locked_until_ms'))
          .end(),
      }))
      .where('id', '=', id)
      .where((eb) => eb.or([eb('locked_until_ms', 'is', null), eb('locked_until_ms', '<=', atMs)]))
      .returning('failed_logins')
      .executeTakeFirst();
    return r === undefined ? undefined : r.failed_logins;
  }

  async setUserDisabled(id: string, disabled: boolean): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ disabled: disabled ? 1 : 0 })
      .where('id', '=', id)
      .execute();
  }

  async putRefreshToken(t: RefreshTokenRecord): Promise<void> {
    await this.db
      .insertInto('refresh_tokens')
      .values({
        id: t.id,
        user_id: t.userId,
        token_hash: t.tokenHash,
        created_at_ms: t.createdAtMs,
        expires_at_ms: t.expiresAtMs,
        revoked_at_ms: t.revokedAtMs,
      })
      .execute();
  }

  async getRefreshTokenByHash(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const r = await this.db
      .selectFrom('refresh_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return r && toRefreshToken(r);
  }

  async revokeRefreshToken(id: string, atMs: number): Promise<boolean> {
    const r = await this.db
      .updateTable('refresh_tokens')
      .set({ revoked_at_ms: atMs })
      .where('id', '=', id)
      .where('revoked_at_ms', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async revokeUserRefreshTokens(userId: string, atMs: number): Promise<void> {
    await this.db
      .updateTable('refresh_tokens')
      .set({ revoked_at_ms: atMs })
      .where('user_id', '=', userId)
      .where('revoked_at_ms', 'is', null)
      .execute();
  }

  // ---- gateways ----

  async putEnrollmentCode(c: EnrollmentCodeRecord): Promise<void> {
    await this.db
      .insertInto('enrollment_codes')
      .values({
        code_hash: c.codeHash,
        label: c.label,
        created_by: c.createdBy,
        created_at_ms: c.createdAtMs,
        expires_at_ms: c.expiresAtMs,
        used_at_ms: null,
        used_by_gateway: null,
        for_gateway: c.forGatewayId,
      })
      .execute();
  }

  async consumeEnrollmentCode(
    codeHash: string,
    gatewayId: string,
    atMs: number,
  ): Promise<EnrollmentCodeRecord | undefined> {
    const r = await this.db
      .updateTable('enrollment_codes')
      .set({ used_at_ms: atMs, used_by_gateway: gatewayId })
      .where('code_hash', '=', codeHash)
      .where('used_at_ms', 'is', null)
      .where('expires_at_ms', '>', atMs)
      .returningAll()
      .executeTakeFirst();
    return (
      r && {
        codeHash: r.code_hash,
        label: r.label,
        createdBy: r.created_by,
        createdAtMs: r.created_at_ms,
        forGatewayId: r.for_gateway,
        expiresAtMs: r.expires_at_ms,
      }
    );
  }

  async putGateway(g: GatewayRecord): Promise<void> {
    const values = {
      id: g.id,
      name: g.name,
      platform: g.platform,
      app_version: g.appVersion,
      secret_hash: g.secretHash,
      enrolled_at_ms: g.enrolledAtMs,
      revoked_at_ms: g.revokedAtMs,
      last_seen_at_ms: g.lastSeenAtMs,
      backlog_chunks: g.backlogChunks,
      backlog_bytes: g.backlogBytes,
      oldest_pending_at_ms: g.oldestPendingAtMs,
    };
    // Re-enrolling the same gateway id (with a fresh code) replaces its credentials.
    await this.db
      .insertInto('gateways')
      .values(values)
      .onConflict((oc) => oc.column('id').doUpdateSet({ ...values, id: undefined }))
      .execute();
  }

  async getGateway(id: string): Promise<GatewayRecord | undefined> {
    const r = await this.db.selectFrom('gateways').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toGateway(r);
  }

  async listGateways(): Promise<GatewayRecord[]> {
    return (await this.db.selectFrom('gateways').selectAll().orderBy('name').orderBy('id').execute()).map(
      toGateway,
    );
  }

  async revokeGateway(id: string, atMs: number): Promise<boolean> {
    const r = await this.db
      .updateTable('gateways')
      .set({ revoked_at_ms: atMs })
      .where('id', '=', id)
      .where('revoked_at_ms', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async recordGatewayContact(id: string, atMs: number, hb?: GatewayHeartbeat): Promise<void> {
    const set = hb
      ? {
          last_seen_at_ms: atMs,
          app_version: hb.appVersion,
          backlog_chunks: hb.backlogChunks,
          backlog_bytes: hb.backlogBytes,
          oldest_pending_at_ms: hb.oldestPendingAtMs,
        }
      : { last_seen_at_ms: atMs };
    await this.db.updateTable('gateways').set(set).where('id', '=', id).execute();
  }
}
