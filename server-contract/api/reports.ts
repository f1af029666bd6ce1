/** PDF reports, gateway error reports and research exports. */
import { z } from 'zod';
import { EpochMsQuerySchema, EpochMsSchema, UuidV7Schema } from './common.js';

/** Largest accepted report PDF. */
export const MAX_REPORT_BYTES = 10 * 1024 * 1024;

/** Metadata sent beside the PDF (multipart field `metadata`, JSON). */
export const ReportMetadataSchema = z.strictObject({
  id: UuidV7Schema,
  recordingId: UuidV7Schema,
  kind: z.enum(['resting_12_lead', 'rhythm_strip', 'summary']),
  createdAtMs: EpochMsSchema,
  title: z.string().trim().min(1).max(200),
  simulated: z.boolean(),
});

export const ReportSchema = ReportMetadataSchema.extend({
  sizeBytes: z.number().int().min(0),
  sha256: z.string(),
  uploadedAtMs: EpochMsSchema,
});
export type Report = z.infer<typeof ReportSchema>;

/**
 * Reports newest first, optionally only one patient's or one recording's (both filters apply
 * when both are given). A `cursor` continues the listing it came from: send the same filters.
 */
export const ReportListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
  patientId: UuidV7Schema.optional(),
  recordingId: UuidV7Schema.optional(),
});

/** A crash or error a gateway reports (replaces the old e-mailed crash logs). */
export const ErrorReportSchema = z.strictObject({
  id: UuidV7Schema,
  occurredAtMs: EpochMsSchema,
  severity: z.enum(['error', 'fatal', 'warning']),
  appVersion: z.string().max(32),
  platform: z.string().max(64),
  message: z.string().max(2000),
  stack: z.string().max(20_000).optional(),
  /** Free-form context without patient details (device, counters, …). */
  context: z
    .record(z.string().max(64), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]))
    .optional(),
});
export type ErrorReport = z.infer<typeof ErrorReportSchema>;

export const StoredErrorReportSchema = ErrorReportSchema.extend({
  gatewayId: UuidV7Schema,
  receivedAtMs: EpochMsSchema,
});

export const ErrorReportListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
  gatewayId: UuidV7Schema.optional(),
});

/**
 * Export formats: `csv` now; WFDB, EDF+ and FHIR are named so that clients and the OpenAPI
 * document already know the place (the server answers 501 until they land).
 */
export const ExportFormatSchema = z.enum(['csv']);

export const ExportQuerySchema = z
  .strictObject({
    format: ExportFormatSchema.default('csv'),
    /** The expanded series to export; `battery` is the watch's charge (pct, charging). */
    series: z.enum(['hr', 'accel', 'measurements', 'beats', 'events', 'battery']),
    patientId: UuidV7Schema,
    fromMs: EpochMsQuerySchema.optional(),
    toMs: EpochMsQuerySchema.optional(),
    /** Admin only: add the patient's identifying details as columns. */
    includeIdentity: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
  })
  .refine((q) => q.fromMs === undefined || q.toMs === undefined || q.fromMs < q.toMs, {
    message: 'fromMs must be before toMs',
    path: ['toMs'],
  });

/** One entry of the audit log (logins, enrollments, corrections, erasures, exports). */
export const AuditEntrySchema = z.strictObject({
  id: z.string(),
  atMs: EpochMsSchema,
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  detail: z.string().nullable(),
});
