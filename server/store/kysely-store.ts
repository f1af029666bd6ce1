/**
 * The `Store` implementation, written once over kysely; `sqlite.ts` and `postgres.ts` only
 * supply the dialect. This top layer holds patients, recordings and the upload's context read
 * (the layers below: `kysely-auth-tables.ts`). Uniqueness and idempotency rely on primary keys and
 * `ON CONFLICT DO NOTHING`, which both databases implement, so concurrent duplicates of the
 * same chunk store exactly one copy.
 */
import { CompiledQuery, sql } from 'kysely';
import { readUploadContextPostgres, type UploadContextRow } from './postgres-upload-context.js';
import { isUniqueViolation, pageOf } from './kysely-auth-tables.js';
import { KyselyChunkTables } from './kysely-chunk-tables.js';
import { SharedStateTables } from './shared-state-tables.js';
import { fromPatient, toPatient, toRecording } from './mappers.js';
import type { Database } from './schema.js';
import { deleteSeriesRows } from './series.js';
import {
  StoreConflictError,
  type NewRecording,
  type Page,
  type PageRequest,
  type PatientRecord,
  type PatientUpdate,
  type RecordingRecord,
  type RecordingView,
  type Store,
  type UploadContext,
} from './store.js';

export class KyselyStore extends KyselyChunkTables implements Store {
  readonly shared = new SharedStateTables(this.db, this.dialect);

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

  async erasePatient(id: string, atMs: number): Promise<boolean> {
    const erased = await this.db.transaction().execute(async (trx) => {
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
      await trx
        .insertInto('erased_patients')
        .values({ id, erased_at_ms: atMs })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      return true;
    });
    if (erased) await this.afterErase();
    return erased;
  }

  /**
   * After an erasure: SQLite (secure_delete on) has zeroed the freed pages, but the plaintext may
   * still sit in the WAL or in pages not yet written back; a checkpoint that truncates the WAL
   * writes the zeroed pages into the database file and empties the WAL. PostgreSQL: nothing here
   * (its dead tuples go with autovacuum; see the operations doc).
   */
  private async afterErase(): Promise<void> {
    if (this.dialect !== 'sqlite') return;
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(this.db);
  }

  async isPatientErased(id: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('erased_patients')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst();
    return r !== undefined;
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
        processing_json: r.processing == null ? null : JSON.stringify(r.processing),
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
      .leftJoin('gateways as g', 'g.id', 'r.gateway_id')
      .selectAll('r')
      .select(['p.study_code as study_code', 'g.name as gateway_name'])
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

  /**
   * Raw SQL, prepared once (no query building on the upload path): the gateway row drives the
   * left join, so an unknown gateway yields no row and an unknown recording a row of nulls.
   */
  private readonly uploadContextSql =
    'select g.revoked_at_ms as gw_revoked_at_ms, g.last_seen_at_ms as gw_last_seen_at_ms, r.* ' +
    'from gateways g left join recordings r on r.id = ' +
    (this.dialect === 'sqlite' ? '? where g.id = ?' : '$1 where g.id = $2');

  async getUploadContext(gatewayId: string, recordingId: string): Promise<UploadContext> {
    type Row = UploadContextRow;
    const parameters = [recordingId, gatewayId];
    const rows = this.sqliteExclusive
      ? await this.sqliteExclusive((c) => c.allSync<Row>(this.uploadContextSql, parameters))
      : this.postgresWire
        ? await readUploadContextPostgres(this.postgresWire, gatewayId, recordingId)
        : (await this.db.executeQuery<Row>(CompiledQuery.raw(this.uploadContextSql, parameters))).rows;
    const r = rows[0];
    if (r === undefined) return { gateway: undefined, recording: undefined };
    return {
      gateway: { revokedAtMs: r.gw_revoked_at_ms, lastSeenAtMs: r.gw_last_seen_at_ms },
      recording: r.id === null ? undefined : toRecording(r),
    };
  }

  async getRecording(id: string): Promise<RecordingView | undefined> {
    const r = await this.recordingViewQuery().where('r.id', '=', id).executeTakeFirst();
    return (
      r && {
        ...toRecording(r),
        studyCode: r.study_code,
        gatewayName: r.gateway_name,
        chunksReceived: Number(r.chunks_received ?? 0),
      }
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
      gatewayName: r.gateway_name,
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
}
