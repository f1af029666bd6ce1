/**
 * Reports (PDF blobs), gateway error reports and the audit log: the middle layer of the kysely
 * `Store` (see `kysely-auth-tables.ts` for why it is split).
 */
import { toAudit, toErrorReport, toReport } from './mappers.js';
import { KyselyAuthTables, pageOf } from './kysely-auth-tables.js';
import type { AuditEntry, ErrorReportRecord, Page, PageRequest, ReportRecord } from './store.js';

export class KyselyDocumentTables extends KyselyAuthTables {
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
