/**
 * The `Store` implementation, written once over kysely; `sqlite.ts` and `postgres.ts` only
 * supply the dialect. Uniqueness and idempotency rely on primary keys and
 * `ON CONFLICT DO NOTHING`, which both databases implement, so concurrent duplicates of the
 * same chunk store exactly one copy.
 */
import { sql, type Kysely } from 'kysely';
import {
  fromPatient,
  toAudit,
  toErrorReport,
  toGateway,
  toPatient,
  toRecording,
  toRefreshToken,
  toReport,
  toUser,
} from './mappers.js';
import type { Dialect } from './migrations.js';
import type { Database } from './schema.js';
import { deleteSeriesRows, exportSeriesRows, insertSeriesRows, querySeriesRows } from './series.js';
import {
  StoreConflictError,
  type AuditEntry,
  type ChunkInput,
  type EnrollmentCodeRecord,
  type ErrorReportRecord,
  type ExportRow,
  type GatewayHeartbeat,
  type GatewayRecord,
  type NewRecording,
  type Page,
  type PageRequest,
  type PatientRecord,
  type PatientUpdate,
  type PutChunkOutcome,
  type RecordingRecord,
  type RecordingView,
  type RefreshTokenRecord,
  type ReportRecord,
  type SeriesName,
  type SeriesRow,
  type Store,
  type StoredChunk,
  type TimeRange,
  type UserRecord,
} from './store.js';

function pageOf<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  return { items, nextAfter: rows.length > limit ? items[items.length - 1]!.id : null };
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return (
    e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

export class KyselyStore implements Store {
  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {}

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

  // ---- patients ----

  async createPatient(p: PatientRecord): Promise<{ patient: PatientRecord; created: boolean }> {
    const existing = await this.getPatient(p.id);
    if (existing) return { patient: existing, created: false };
    try {
      const r = await this.db
        .insertInto('patients')
        .values(fromPatient(p))
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0)
        return { patient: (await this.getPatient(p.id))!, created: false };
      return { patient: p, created: true };
    } catch (err) {
      if (isUniqueViolation(err))
        throw new StoreConflictError('study_code', `study code ${p.studyCode} is taken`);
      throw err;
    }
  }

  async getPatient(id: string): Promise<PatientRecord | undefined> {
    const r = await this.db.selectFrom('patients').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toPatient(r);
  }

  async updatePatient(id: string, u: PatientUpdate, atMs: number): Promise<PatientRecord | undefined> {
    const set: Partial<Database['patients']> = { updated_at_ms: atMs };
    if (u.studyCode !== undefined) set.study_code = u.studyCode;
    if (u.ageYears !== undefined) set.age_years = u.ageYears;
    if (u.sex !== undefined) set.sex = u.sex;
    if (u.studyGroup !== undefined) set.study_group = u.studyGroup;
    if (u.notes !== undefined) set.notes = u.notes;
    if (u.identitySealed !== undefined) set.identity_sealed = u.identitySealed;
    try {
      await this.db.updateTable('patients').set(set).where('id', '=', id).execute();
    } catch (err) {
      if (isUniqueViolation(err))
        throw new StoreConflictError('study_code', `study code ${u.studyCode ?? ''} is taken`);
      throw err;
    }
    return this.getPatient(id);
  }

  async listPatients(
    page: PageRequest,
    filter: { studyCode?: string; studyGroup?: string },
  ): Promise<Page<PatientRecord>> {
    let q = this.db.selectFrom('patients').selectAll();
    if (page.after !== undefined) q = q.where('id', '<', page.after);
    if (filter.studyCode !== undefined) q = q.where('study_code', '=', filter.studyCode);
    if (filter.studyGroup !== undefined) q = q.where('study_group', '=', filter.studyGroup);
    const rows = await q
      .orderBy('id', 'desc')
      .limit(page.limit + 1)
      .execute();
    return pageOf(rows.map(toPatient), page.limit);
  }

  async countRecordings(patientId: string): Promise<number> {
    const r = await this.db
      .selectFrom('recordings')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('patient_id', '=', patientId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async erasePatient(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const patient = await trx.selectFrom('patients').select('id').where('id', '=', id).executeTakeFirst();
      if (!patient) return false;
      const recordingIds = (
        await trx.selectFrom('recordings').select('id').where('patient_id', '=', id).execute()
      ).map((r) => r.id);
      await deleteSeriesRows(trx, recordingIds);
      if (recordingIds.length > 0) {
        await trx.deleteFrom('chunks').where('recording_id', 'in', recordingIds).execute();
        await trx.deleteFrom('reports').where('recording_id', 'in', recordingIds).execute();
      }
      await trx.deleteFrom('reports').where('patient_id', '=', id).execute();
      await trx.deleteFrom('recordings').where('patient_id', '=', id).execute();
      await trx.deleteFrom('patients').where('id', '=', id).execute();
      return true;
    });
  }

  // ---- recordings ----

  async createRecording(r: NewRecording): Promise<{ recording: RecordingRecord; created: boolean }> {
    const res = await this.db
      .insertInto('recordings')
      .values({
        id: r.id,
        patient_id: r.patientId,
        gateway_id: r.gatewayId,
        operator_id: r.operatorId,
        operator_name: r.operatorName,
        devices_json: JSON.stringify(r.devices),
        simulated: r.simulated ? 1 : 0,
        started_at_ms: r.startedAtMs,
        ended_at_ms: null,
        ecg_sample_rate_hz: r.ecgSampleRateHz,
        mains_hz: r.mainsHz,
        summary_json: null,
        final_counts_json: null,
        voided_at_ms: null,
        void_reason: null,
        created_at_ms: r.createdAtMs,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    const stored = await this.db
      .selectFrom('recordings')
      .selectAll()
      .where('id', '=', r.id)
      .executeTakeFirstOrThrow();
    return { recording: toRecording(stored), created: Number(res.numInsertedOrUpdatedRows ?? 0) === 1 };
  }

  private recordingViewQuery() {
    return this.db
      .selectFrom('recordings as r')
      .innerJoin('patients as p', 'p.id', 'r.patient_id')
      .selectAll('r')
      .select('p.study_code as study_code')
      .select((eb) =>
        eb
          .selectFrom('chunks as c')
          .whereRef('c.recording_id', '=', 'r.id')
          .select(eb.fn.countAll().as('n'))
          .as('chunks_received'),
      );
  }

  async getRecordingRecord(id: string): Promise<RecordingRecord | undefined> {
    const r = await this.db.selectFrom('recordings').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toRecording(r);
  }

  async getRecording(id: string): Promise<RecordingView | undefined> {
    const r = await this.recordingViewQuery().where('r.id', '=', id).executeTakeFirst();
    return (
      r && { ...toRecording(r), studyCode: r.study_code, chunksReceived: Number(r.chunks_received ?? 0) }
    );
  }

  async listRecordings(
    page: PageRequest,
    filter: { patientId?: string; gatewayId?: string; status?: 'recording' | 'ended' | 'voided' },
  ): Promise<Page<RecordingView>> {
    let q = this.recordingViewQuery();
    if (page.after !== undefined) q = q.where('r.id', '<', page.after);
    if (filter.patientId !== undefined) q = q.where('r.patient_id', '=', filter.patientId);
    if (filter.gatewayId !== undefined) q = q.where('r.gateway_id', '=', filter.gatewayId);
    if (filter.status === 'voided') q = q.where('r.voided_at_ms', 'is not', null);
    if (filter.status === 'ended')
      q = q.where('r.voided_at_ms', 'is', null).where('r.ended_at_ms', 'is not', null);
    if (filter.status === 'recording')
      q = q.where('r.voided_at_ms', 'is', null).where('r.ended_at_ms', 'is', null);
    const rows = await q
      .orderBy('r.id', 'desc')
      .limit(page.limit + 1)
      .execute();
    const views = rows.map((r) => ({
      ...toRecording(r),
      studyCode: r.study_code,
      chunksReceived: Number(r.chunks_received ?? 0),
    }));
    return pageOf(views, page.limit);
  }

  async endRecording(
    id: string,
    endedAtMs: number,
    finalChunkCounts: Record<string, number>,
    summary: unknown,
  ): Promise<void> {
    await this.db
      .updateTable('recordings')
      .set({
        ended_at_ms: endedAtMs,
        final_counts_json: JSON.stringify(finalChunkCounts),
        summary_json: JSON.stringify(summary),
      })
      .where('id', '=', id)
      .execute();
  }

  async reassignRecording(id: string, patientId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('recordings').set({ patient_id: patientId }).where('id', '=', id).execute();
      await trx
        .updateTable('reports')
        .set({ patient_id: patientId })
        .where('recording_id', '=', id)
        .execute();
    });
  }

  async voidRecording(id: string, atMs: number, reason: string): Promise<void> {
    await this.db
      .updateTable('recordings')
      .set({ voided_at_ms: atMs, void_reason: reason })
      .where('id', '=', id)
      .execute();
  }

  // ---- chunks and rows ----

  async putChunk(c: ChunkInput): Promise<PutChunkOutcome> {
    return this.db.transaction().execute(async (trx) => {
      const res = await trx
        .insertInto('chunks')
        .values({
          recording_id: c.recordingId,
          stream: c.stream,
          chunk_index: c.index,
          sha256: c.sha256,
          size_bytes: c.bytes.byteLength,
          start_ms: c.startMs,
          end_ms: c.endMs,
          sample_count: c.sampleCount,
          blob: c.bytes,
          received_at_ms: c.receivedAtMs,
        })
        .onConflict((oc) => oc.columns(['recording_id', 'stream', 'chunk_index']).doNothing())
        .executeTakeFirst();
      if (Number(res.numInsertedOrUpdatedRows ?? 0) === 1) {
        await insertSeriesRows(trx, c.recordingId, c.index, c.rows);
        return 'stored';
      }
      const existing = await trx
        .selectFrom('chunks')
        .select('sha256')
        .where('recording_id', '=', c.recordingId)
        .where('stream', '=', c.stream)
        .where('chunk_index', '=', c.index)
        .executeTakeFirstOrThrow();
      return existing.sha256 === c.sha256 ? 'duplicate' : 'conflict';
    });
  }

  async chunkIndexes(recordingId: string): Promise<Map<string, number[]>> {
    const rows = await this.db
      .selectFrom('chunks')
      .select(['stream', 'chunk_index'])
      .where('recording_id', '=', recordingId)
      .orderBy('stream')
      .orderBy('chunk_index')
      .execute();
    const out = new Map<string, number[]>();
    for (const r of rows) {
      const list = out.get(r.stream) ?? [];
      list.push(r.chunk_index);
      out.set(r.stream, list);
    }
    return out;
  }

  async chunksInRange(recordingId: string, stream: string, range: TimeRange): Promise<StoredChunk[]> {
    const rows = await this.db
      .selectFrom('chunks')
      .select(['chunk_index', 'sha256', 'start_ms', 'end_ms', 'blob'])
      .where('recording_id', '=', recordingId)
      .where('stream', '=', stream)
      .where('start_ms', '<', range.toMs)
      .where('end_ms', '>', range.fromMs)
      .orderBy('chunk_index')
      .execute();
    return rows.map((r) => ({
      index: r.chunk_index,
      sha256: r.sha256,
      startMs: r.start_ms,
      endMs: r.end_ms,
      bytes: new Uint8Array(r.blob),
    }));
  }

  seriesRows<S extends SeriesName>(
    series: S,
    recordingId: string,
    range: TimeRange,
    limit: number,
  ): Promise<SeriesRow<S>[]> {
    return querySeriesRows(this.db, series, recordingId, range, limit);
  }

  exportRows<S extends SeriesName>(
    series: S,
    patientId: string,
    range: TimeRange,
    batchSize: number,
  ): AsyncGenerator<ExportRow<S>[]> {
    return exportSeriesRows(this.db, series, patientId, range, batchSize);
  }

  // ---- reports, error reports, audit ----

  async putReport(r: ReportRecord, pdf: Uint8Array): Promise<void> {
    await this.db
      .insertInto('reports')
      .values({
        id: r.id,
        recording_id: r.recordingId,
        patient_id: r.patientId,
        gateway_id: r.gatewayId,
        title: r.title,
        file_name: r.fileName,
        size_bytes: r.sizeBytes,
        sha256: r.sha256,
        pdf,
        simulated: r.simulated ? 1 : 0,
        created_at_ms: r.createdAtMs,
        kind: r.kind,
        uploaded_at_ms: r.uploadedAtMs,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  async getReport(id: string): Promise<ReportRecord | undefined> {
    const r = await this.db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toReport(r);
  }

  async getReportPdf(id: string): Promise<Uint8Array | undefined> {
    const r = await this.db.selectFrom('reports').select('pdf').where('id', '=', id).executeTakeFirst();
    return r && new Uint8Array(r.pdf);
  }

  async listReports(
    page: PageRequest,
    filter: { patientId?: string; recordingId?: string },
  ): Promise<Page<ReportRecord>> {
    let q = this.db
      .selectFrom('reports')
      .select([
        'id',
        'recording_id',
        'patient_id',
        'gateway_id',
        'title',
        'file_name',
        'size_bytes',
        'sha256',
        'simulated',
        'created_at_ms',
        'kind',
        'uploaded_at_ms',
      ]);
    if (page.after !== undefined) q = q.where('id', '<', page.after);
    if (filter.patientId !== undefined) q = q.where('patient_id', '=', filter.patientId);
    if (filter.recordingId !== undefined) q = q.where('recording_id', '=', filter.recordingId);
    const rows = await q
      .orderBy('id', 'desc')
      .limit(page.limit + 1)
      .execute();
    return pageOf(rows.map(toReport), page.limit);
  }

  async putErrorReport(r: ErrorReportRecord): Promise<boolean> {
    const res = await this.db
      .insertInto('error_reports')
      .values({
        id: r.id,
        gateway_id: r.gatewayId,
        received_at_ms: r.receivedAtMs,
        occurred_at_ms: r.occurredAtMs,
        severity: r.severity,
        message: r.message,
        data_json: JSON.stringify(r.data),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async listErrorReports(
    page: PageRequest,
    filter: { gatewayId?: string },
  ): Promise<Page<ErrorReportRecord>> {
    let q = this.db.selectFrom('error_reports').selectAll();
    if (page.after !== undefined) q = q.where('id', '<', page.after);
    if (filter.gatewayId !== undefined) q = q.where('gateway_id', '=', filter.gatewayId);
    const rows = await q
      .orderBy('id', 'desc')
      .limit(page.limit + 1)
      .execute();
    return pageOf(rows.map(toErrorReport), page.limit);
  }

  async appendAudit(e: AuditEntry): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({
        id: e.id,
        at_ms: e.atMs,
        actor_kind: e.actorKind,
        actor_id: e.actorId,
        action: e.action,
        target: e.target,
        detail_json: JSON.stringify(e.detail),
      })
      .execute();
  }

  async listAudit(page: PageRequest, filter: { fromMs?: number } = {}): Promise<Page<AuditEntry>> {
    let q = this.db.selectFrom('audit_log').selectAll();
    if (filter.fromMs !== undefined) q = q.where('at_ms', '>=', filter.fromMs);
    if (page.after !== undefined) q = q.where('id', '<', page.after);
    const rows = await q
      .orderBy('id', 'desc')
      .limit(page.limit + 1)
      .execute();
    return pageOf(rows.map(toAudit), page.limit);
  }
}
