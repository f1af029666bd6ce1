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
 * Export formats. `csv`: one series as CSV (with `series=ecg`, the 12 leads of one recording);
 * `wfdb`: a zip of `recording.hea`, `.dat` (format 16) and `.atr` (beats); `edf`: EDF+ (EDF+D
 * when the recording has gaps) with events as annotations; `fhir`: an R4 Bundle (JSON); `zip`:
 * the formats named in `formats` in one zip. Every format carries the provenance (software,
 * detector and measurement versions, filters, device model and firmware, `simulated`).
 */
export const ExportFormatSchema = z.enum(['csv', 'wfdb', 'edf', 'fhir', 'zip']);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

/** The formats a `zip` export may bundle (`csv` there = every series plus the data dictionary). */
export const ZipPartSchema = z.enum(['csv', 'wfdb', 'edf', 'fhir']);

/** Series a CSV export may name; `ecg` is the 12 leads (needs `recordingId`). */
export const ExportSeriesSchema = z.enum([
  'hr',
  'accel',
  'measurements',
  'beats',
  'events',
  'battery',
  'ecg',
]);

/** Response header naming the export, for `exports.progress`. */
export const EXPORT_ID_HEADER = 'x-export-id';

/**
 * What to export: one recording (`recordingId`) or a patient's recordings in a time range
 * (`patientId`, optional `fromMs`/`toMs`); exactly one of the two. A client that wants progress
 * sends its own `exportId` (a UUID v7) so it can poll `exports.progress` while the download runs
 * (a browser download cannot read response headers); without one the server makes one and
 * names it in the `x-export-id` header.
 */
export const ExportQuerySchema = z
  .strictObject({
    format: ExportFormatSchema.default('csv'),
    /** CSV only: the series to export; `battery` is the watch's charge (pct, charging). */
    series: ExportSeriesSchema.optional(),
    patientId: UuidV7Schema.optional(),
    recordingId: UuidV7Schema.optional(),
    fromMs: EpochMsQuerySchema.optional(),
    toMs: EpochMsQuerySchema.optional(),
    /** `zip` only: comma-separated parts, default all four. */
    formats: z
      .string()
      .max(40)
      .default('csv,wfdb,edf,fhir')
      .transform((v, ctx) => {
        const parts = [...new Set(v.split(',').map((p) => p.trim()))];
        const bad = parts.filter((p) => !ZipPartSchema.safeParse(p).success);
        if (bad.length > 0 || parts.length === 0)
          ctx.addIssue({
            code: 'custom',
            message: `unknown formats: ${bad.join(', ')}; use csv, wfdb, edf, fhir`,
          });
        return parts as z.infer<typeof ZipPartSchema>[];
      }),
    exportId: UuidV7Schema.optional(),
    /** Admin only: add the patient's identifying details (CSV columns, EDF+ patient field, FHIR Patient). */
    includeIdentity: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
  })
  .refine((q) => q.fromMs === undefined || q.toMs === undefined || q.fromMs < q.toMs, {
    message: 'fromMs must be before toMs',
    path: ['toMs'],
  })
  .refine((q) => (q.patientId === undefined) !== (q.recordingId === undefined), {
    message: 'name exactly one of patientId and recordingId',
    path: ['patientId'],
  })
  .refine((q) => q.format !== 'csv' || q.series !== undefined, {
    message: 'a CSV export names its series',
    path: ['series'],
  })
  .refine((q) => q.series !== 'ecg' || q.recordingId !== undefined, {
    message: 'the ECG series is exported per recording: send recordingId',
    path: ['recordingId'],
  });
export type ExportQuery = z.output<typeof ExportQuerySchema>;

/**
 * Progress of an export while it streams (and for a while after). `fractionDone` is samples and
 * rows written over those the export will write, 0–1; `bytesSent` counts the response body so far.
 */
export const ExportProgressSchema = z.strictObject({
  exportId: UuidV7Schema,
  format: ExportFormatSchema,
  state: z.enum(['running', 'done', 'failed']),
  fractionDone: z.number().min(0).max(1),
  unitsDone: z.number().int().min(0),
  unitsTotal: z.number().int().min(0),
  bytesSent: z.number().int().min(0),
  startedAtMs: EpochMsSchema,
  finishedAtMs: EpochMsSchema.nullable(),
  /** Why it failed (no internals). */
  error: z.string().nullable(),
});
export type ExportProgress = z.infer<typeof ExportProgressSchema>;

/** One entry of the audit log (logins, enrollments, corrections, erasures, exports). */
export const AuditEntrySchema = z.strictObject({
  id: z.string(),
  atMs: EpochMsSchema,
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  detail: z.string().nullable(),
});
