/** PDF reports (multipart upload, type and size checked) and gateway error reports. */
import { createHash } from 'node:crypto';
import { HttpError, notFound } from '../errors.js';
import type { Handlers } from '../http/router.js';
import type { Services } from '../services.js';
import type { ErrorReportRecord, ReportRecord } from '../store/store.js';
import { decodeCursor, loadRecording, mustBePrincipal, pageBody } from './shared.js';

const PDF_MAGIC = '%PDF-';

function reportDto(r: ReportRecord) {
  return {
    id: r.id,
    recordingId: r.recordingId ?? '',
    kind: r.kind as 'resting_12_lead' | 'rhythm_strip' | 'summary',
    createdAtMs: r.createdAtMs,
    title: r.title,
    simulated: r.simulated,
    sizeBytes: r.sizeBytes,
    sha256: r.sha256,
    uploadedAtMs: r.uploadedAtMs,
  };
}

function errorReportDto(r: ErrorReportRecord) {
  const d = r.data as {
    appVersion?: string;
    platform?: string;
    stack?: string;
    context?: Record<string, string | number | boolean | null>;
  };
  return {
    id: r.id,
    gatewayId: r.gatewayId,
    receivedAtMs: r.receivedAtMs,
    occurredAtMs: r.occurredAtMs,
    severity: r.severity as 'error' | 'fatal' | 'warning',
    message: r.message,
    appVersion: d.appVersion ?? '',
    platform: d.platform ?? '',
    ...(d.stack === undefined ? {} : { stack: d.stack }),
    ...(d.context === undefined ? {} : { context: d.context }),
  };
}

export function reportHandlers(
  s: Services,
): Pick<
  Handlers,
  | 'reports.upload'
  | 'reports.list'
  | 'reports.get'
  | 'reports.download'
  | 'errorReports.create'
  | 'errorReports.list'
> {
  return {
    'reports.upload': async ({ body }, ctx) => {
      const { metadata, file } = body;
      const recording = await loadRecording(s, ctx.principal, metadata.recordingId);
      if (new TextDecoder().decode(file.bytes.subarray(0, 5)) !== PDF_MAGIC) {
        throw new HttpError(415, 'unsupported_media_type', 'the file is not a PDF (no %PDF- header)');
      }
      const sha256 = createHash('sha256').update(file.bytes).digest('hex');
      const existing = await s.store.getReport(metadata.id);
      if (existing) {
        if (existing.sha256 !== sha256)
          throw new HttpError(409, 'conflict', 'a different report is stored under this id');
        return { status: 200, body: reportDto(existing) };
      }
      const record: ReportRecord = {
        id: metadata.id,
        recordingId: recording.id,
        patientId: recording.patientId,
        gatewayId: ctx.principal?.kind === 'gateway' ? ctx.principal.id : null,
        title: metadata.title,
        fileName: file.fileName.slice(0, 200),
        sizeBytes: file.bytes.byteLength,
        sha256,
        simulated: metadata.simulated || recording.simulated,
        createdAtMs: metadata.createdAtMs,
        kind: metadata.kind,
        uploadedAtMs: s.now(),
      };
      await s.store.putReport(record, file.bytes);
      return { status: 201, body: reportDto(record) };
    },
    'reports.list': async ({ query }) => {
      const page = await s.store.listReports(
        { limit: query.limit, after: decodeCursor(query.cursor) },
        { patientId: query.patientId, recordingId: query.recordingId },
      );
      return { status: 200, body: pageBody(page, reportDto) };
    },
    'reports.get': async ({ params }) => {
      const report = await s.store.getReport(params.reportId);
      if (!report) throw notFound('report');
      return { status: 200, body: reportDto(report) };
    },
    'reports.download': async ({ params }) => {
      const pdf = await s.store.getReportPdf(params.reportId);
      if (!pdf) throw notFound('report');
      return {
        status: 200,
        body: pdf,
        headers: { 'content-disposition': `attachment; filename="report-${params.reportId}.pdf"` },
      };
    },
    'errorReports.create': async ({ body }, ctx) => {
      const gateway = mustBePrincipal(ctx.principal);
      const { id, occurredAtMs, severity, message, ...data } = body;
      const created = await s.store.putErrorReport({
        id,
        gatewayId: gateway.id,
        receivedAtMs: s.now(),
        occurredAtMs,
        severity,
        message,
        data,
      });
      ctx.log.warn({ gatewayId: gateway.id, errorReportId: id, severity }, 'gateway error report');
      return { status: created ? 201 : 200, body: { ok: true } };
    },
    'errorReports.list': async ({ query }) => {
      const page = await s.store.listErrorReports(
        { limit: query.limit, after: decodeCursor(query.cursor) },
        { gatewayId: query.gatewayId },
      );
      return { status: 200, body: pageBody(page, errorReportDto) };
    },
  };
}
