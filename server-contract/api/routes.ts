/**
 * The ingest API: every route the server serves and the gateway's uploader calls, in one table.
 * The server implements a handler per entry (`RouteHandlers<typeof routes, …>`), validates every
 * request with it, and publishes the OpenAPI document generated from it.
 */
import { z } from 'zod';
import {
  AuditEntrySchema,
  ErrorReportListQuerySchema,
  ErrorReportSchema,
  ExportProgressSchema,
  ExportQuerySchema,
  MAX_REPORT_BYTES,
  ReportListQuerySchema,
  ReportMetadataSchema,
  ReportSchema,
  StoredErrorReportSchema,
} from './reports.js';
import {
  CreateStaffUserSchema,
  EnrollRequestSchema,
  EnrollmentCodeRequestSchema,
  EnrollmentCodeSchema,
  GatewayCredentialsSchema,
  GatewayHeartbeatSchema,
  GatewaySchema,
  GatewayTokenRequestSchema,
  GatewayTokenSchema,
  LoginRequestSchema,
  LoginResponseSchema,
  RefreshRequestSchema,
  StaffUserSchema,
  TokenPairSchema,
} from './auth.js';
import {
  ErrorBodySchema,
  EpochMsQuerySchema,
  EpochMsSchema,
  OkSchema,
  PageQuerySchema,
  Sha256HexSchema,
  UuidV7Schema,
  pageOf,
} from './common.js';
import { defineRoutes } from './define.js';
import {
  CreatePatientSchema,
  EraseRequestSchema,
  PatientListQuerySchema,
  PatientSchema,
  UpdatePatientSchema,
} from './patients.js';
import {
  CHUNK_SHA256_HEADER,
  ChunkAckSchema,
  ChunkPathSchema,
  CreateRecordingSchema,
  EndRecordingSchema,
  MAX_CHUNK_BYTES,
  ReassignRecordingSchema,
  RecordingChunksSchema,
  RecordingListQuerySchema,
  RecordingSchema,
  VoidRecordingSchema,
} from './recordings.js';
import {
  BeatListSchema,
  EcgSegmentQuerySchema,
  EcgSegmentSchema,
  EventListSchema,
  MeasurementTimelineSchema,
  RecordingIdParamsSchema,
  TimeRangeQuerySchema,
  WatchSeriesQuerySchema,
  WatchSeriesSchema,
} from './viewer.js';
import {
  EcgPageQuerySchema,
  EcgPageSchema,
  EnrollmentCodeListQuerySchema,
  EnrollmentCodeListSchema,
  TrendQuerySchema,
  TrendSchema,
} from './viewer-pages.js';

const HealthSchema = z.strictObject({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  apiVersion: z.number().int(),
  database: z.enum(['sqlite', 'postgres']),
  databaseReachable: z.boolean(),
  uptimeS: z.number().min(0),
});

const err = ErrorBodySchema;
const staff = ['admin', 'clinician'] as const;
const readers = ['admin', 'clinician', 'researcher'] as const;
const PatientIdParams = z.strictObject({ patientId: UuidV7Schema });
const ReportIdParams = z.strictObject({ reportId: UuidV7Schema });
const GatewayIdParams = z.strictObject({ gatewayId: UuidV7Schema });
const UserIdParams = z.strictObject({ userId: UuidV7Schema });

export const routes = defineRoutes({
  // ── operations ──────────────────────────────────────────────────────────────
  'health.get': {
    method: 'GET',
    path: '/health',
    summary: 'Overall health, including whether the database answers',
    auth: 'public',
    responses: { 200: HealthSchema, 503: HealthSchema },
  },
  'health.ready': {
    method: 'GET',
    path: '/ready',
    summary: 'Readiness: the database is reachable and migrated',
    auth: 'public',
    responses: { 200: OkSchema, 503: err },
  },
  'health.live': {
    method: 'GET',
    path: '/live',
    summary: 'Liveness: the process answers',
    auth: 'public',
    responses: { 200: OkSchema },
  },

  // ── staff auth ──────────────────────────────────────────────────────────────
  'auth.login': {
    method: 'POST',
    path: '/v1/auth/login',
    summary: 'Staff sign-in; repeated failures lock the account for a while',
    auth: 'public',
    body: { kind: 'json', schema: LoginRequestSchema },
    responses: { 200: LoginResponseSchema, 400: err, 401: err, 423: err, 429: err },
  },
  'auth.refresh': {
    method: 'POST',
    path: '/v1/auth/refresh',
    summary: 'Exchanges a refresh token (single use) for a new token pair',
    auth: 'public',
    body: { kind: 'json', schema: RefreshRequestSchema },
    responses: { 200: TokenPairSchema, 400: err, 401: err },
  },
  'auth.logout': {
    method: 'POST',
    path: '/v1/auth/logout',
    summary: 'Revokes a refresh token',
    auth: 'public',
    body: { kind: 'json', schema: RefreshRequestSchema },
    responses: { 200: OkSchema, 400: err },
  },
  'users.list': {
    method: 'GET',
    path: '/v1/users',
    summary: 'Staff accounts',
    auth: ['admin'],
    query: PageQuerySchema,
    responses: { 200: pageOf(StaffUserSchema), 401: err, 403: err },
  },
  'users.create': {
    method: 'POST',
    path: '/v1/users',
    summary: 'Creates a staff account',
    auth: ['admin'],
    body: { kind: 'json', schema: CreateStaffUserSchema },
    responses: { 201: StaffUserSchema, 400: err, 401: err, 403: err, 409: err },
  },
  'users.disable': {
    method: 'POST',
    path: '/v1/users/:userId/disable',
    summary: 'Disables an account and revokes its tokens',
    auth: ['admin'],
    params: UserIdParams,
    responses: { 200: StaffUserSchema, 401: err, 403: err, 404: err },
  },

  // ── gateways ────────────────────────────────────────────────────────────────
  'enrollment.createCode': {
    method: 'POST',
    path: '/v1/enrollment-codes',
    summary: 'Issues a one-time code to enroll one gateway',
    auth: ['admin'],
    body: { kind: 'json', schema: EnrollmentCodeRequestSchema },
    responses: { 201: EnrollmentCodeSchema, 400: err, 401: err, 403: err },
  },
  'enrollment.listCodes': {
    method: 'GET',
    path: '/v1/enrollment-codes',
    summary: 'Enrollment codes issued, newest first, with use and expiry (never the code itself)',
    auth: ['admin'],
    query: EnrollmentCodeListQuerySchema,
    responses: { 200: EnrollmentCodeListSchema, 400: err, 401: err, 403: err },
  },
  'gateways.enroll': {
    method: 'POST',
    path: '/v1/gateways/enroll',
    summary: 'Exchanges a one-time code for gateway credentials',
    auth: 'public',
    body: { kind: 'json', schema: EnrollRequestSchema },
    responses: { 201: GatewayCredentialsSchema, 400: err, 401: err, 409: err, 429: err },
  },
  'gateways.token': {
    method: 'POST',
    path: '/v1/gateways/token',
    summary: 'Exchanges gateway credentials for an access token',
    auth: 'public',
    body: { kind: 'json', schema: GatewayTokenRequestSchema },
    responses: { 200: GatewayTokenSchema, 400: err, 401: err, 429: err },
  },
  'gateways.heartbeat': {
    method: 'POST',
    path: '/v1/gateways/heartbeat',
    summary: 'A gateway reports its version and upload backlog',
    auth: ['gateway'],
    body: { kind: 'json', schema: GatewayHeartbeatSchema },
    responses: { 200: z.strictObject({ serverTimeMs: EpochMsSchema }), 400: err, 401: err },
  },
  'gateways.list': {
    method: 'GET',
    path: '/v1/gateways',
    summary: 'Enrolled gateways with last contact and reported backlog',
    auth: ['admin'],
    query: PageQuerySchema,
    responses: { 200: pageOf(GatewaySchema), 401: err, 403: err },
  },
  'gateways.revoke': {
    method: 'POST',
    path: '/v1/gateways/:gatewayId/revoke',
    summary: 'Revokes a gateway’s credentials',
    auth: ['admin'],
    params: GatewayIdParams,
    responses: { 200: GatewaySchema, 401: err, 403: err, 404: err },
  },

  // ── patients ────────────────────────────────────────────────────────────────
  'patients.create': {
    method: 'POST',
    path: '/v1/patients',
    summary: 'Creates a patient with the gateway’s UUID (idempotent)',
    auth: ['admin', 'clinician', 'gateway'],
    body: { kind: 'json', schema: CreatePatientSchema },
    responses: { 200: PatientSchema, 201: PatientSchema, 400: err, 401: err, 403: err, 409: err, 410: err },
  },
  'patients.list': {
    method: 'GET',
    path: '/v1/patients',
    summary: 'Patients, newest first',
    auth: readers,
    query: PatientListQuerySchema,
    responses: { 200: pageOf(PatientSchema), 401: err, 403: err },
  },
  'patients.get': {
    method: 'GET',
    path: '/v1/patients/:patientId',
    summary: 'One patient (identity only for admin and clinician)',
    auth: readers,
    params: PatientIdParams,
    responses: { 200: PatientSchema, 401: err, 403: err, 404: err },
  },
  'patients.update': {
    method: 'PATCH',
    path: '/v1/patients/:patientId',
    summary: 'Edits a patient',
    auth: ['admin', 'clinician', 'gateway'],
    params: PatientIdParams,
    body: { kind: 'json', schema: UpdatePatientSchema },
    responses: { 200: PatientSchema, 400: err, 401: err, 403: err, 404: err, 409: err },
  },
  'patients.erase': {
    method: 'POST',
    path: '/v1/patients/:patientId/erase',
    summary: 'Erases a patient’s data (audited)',
    auth: ['admin'],
    params: PatientIdParams,
    body: { kind: 'json', schema: EraseRequestSchema },
    responses: { 200: OkSchema, 400: err, 401: err, 403: err, 404: err },
  },

  // ── recordings and chunks ───────────────────────────────────────────────────
  'recordings.create': {
    method: 'POST',
    path: '/v1/recordings',
    summary: 'Starts a recording with the gateway’s UUID (idempotent)',
    auth: ['gateway'],
    body: { kind: 'json', schema: CreateRecordingSchema },
    responses: {
      200: RecordingSchema,
      201: RecordingSchema,
      400: err,
      401: err,
      403: err,
      404: err,
      409: err,
      410: err,
    },
  },
  'recordings.end': {
    method: 'POST',
    path: '/v1/recordings/:recordingId/end',
    summary: 'Ends a recording with each stream’s final chunk count',
    auth: ['gateway'],
    params: RecordingIdParamsSchema,
    body: { kind: 'json', schema: EndRecordingSchema },
    responses: { 200: RecordingSchema, 400: err, 401: err, 403: err, 404: err, 409: err },
  },
  'recordings.list': {
    method: 'GET',
    path: '/v1/recordings',
    summary: 'Recordings, newest first',
    auth: readers,
    query: RecordingListQuerySchema,
    responses: { 200: pageOf(RecordingSchema), 401: err, 403: err },
  },
  'recordings.get': {
    method: 'GET',
    path: '/v1/recordings/:recordingId',
    summary: 'One recording with its summary',
    auth: [...readers, 'gateway'],
    params: RecordingIdParamsSchema,
    responses: { 200: RecordingSchema, 401: err, 403: err, 404: err },
  },
  'recordings.reassign': {
    method: 'POST',
    path: '/v1/recordings/:recordingId/reassign',
    summary: 'Moves a recording to the right patient (audited)',
    auth: [...staff, 'gateway'],
    params: RecordingIdParamsSchema,
    body: { kind: 'json', schema: ReassignRecordingSchema },
    responses: { 200: RecordingSchema, 400: err, 401: err, 403: err, 404: err },
  },
  'recordings.void': {
    method: 'POST',
    path: '/v1/recordings/:recordingId/void',
    summary: 'Voids a recording (audited)',
    auth: [...staff, 'gateway'],
    params: RecordingIdParamsSchema,
    body: { kind: 'json', schema: VoidRecordingSchema },
    responses: { 200: RecordingSchema, 400: err, 401: err, 403: err, 404: err },
  },
  'chunks.upload': {
    method: 'PUT',
    path: '/v1/recordings/:recordingId/streams/:stream/chunks/:index',
    summary:
      'Uploads one sealed chunk as its encoded bytes; a repeat with the same SHA-256 is a success, a different one 409',
    auth: ['gateway'],
    params: ChunkPathSchema,
    headers: z.object({ [CHUNK_SHA256_HEADER]: Sha256HexSchema }),
    body: { kind: 'binary', contentType: 'application/octet-stream', maxBytes: MAX_CHUNK_BYTES },
    responses: {
      200: ChunkAckSchema,
      201: ChunkAckSchema,
      400: err,
      401: err,
      403: err,
      404: err,
      409: err,
      413: err,
      415: err,
      422: err,
      503: err,
    },
  },
  'chunks.list': {
    method: 'GET',
    path: '/v1/recordings/:recordingId/chunks',
    summary: 'Which chunk indexes the server has and lacks, per stream',
    auth: [...readers, 'gateway'],
    params: RecordingIdParamsSchema,
    responses: { 200: RecordingChunksSchema, 401: err, 403: err, 404: err },
  },

  // ── recording data for viewers ──────────────────────────────────────────────
  'recordings.measurements': {
    method: 'GET',
    path: '/v1/recordings/:recordingId/measurements',
    summary: 'Measurements timeline',
    auth: readers,
    params: RecordingIdParamsSchema,
    query: TimeRangeQuerySchema,
    responses: { 200: MeasurementTimelineSchema, 400: err, 401: err, 403: err, 404: err },
  },
  'recordings.ecg': {
    method: 'GET',
    path: '/v1/recordings/:recordingId/ecg',
    summary: 'ECG for a time range, decoded from the stored chunks',
    auth: readers,
    params: RecordingIdParamsSchema,
    query: EcgSegmentQuerySchema,
    responses: { 200: EcgSegmentSchema, 400: err, 401: err, 403: err, 404: err },
  },
  'recordings.beats': {
    method: 'GET',
    path: '/v1/recordings/:recordingId/beats',
    summary: 'Detected beats',
    auth: readers,
    params: RecordingIdParamsSchema,
    query: TimeRangeQuerySchema,
    responses: { 200: BeatListSchema, 400: err, 401: err, 403: err, 404: err },
  },
  'recordings.events': {
    method: 'GET',
    path: '/v1/recordings/:recordingId/events',
    summary: 'Rhythm flags, lead-off, gaps and markers',
    auth: readers,
    params: RecordingIdParamsSchema,
    query: TimeRangeQuerySchema,
    responses: { 200: EventListSchema, 400: err, 401: err, 403: err, 404: err },
  },
  'recordings.watch': {
    method: 'GET',
    path: '/v1/recordings/:recordingId/watch',
    summary: 'Watch heart rate, accelerometer or battery series',
    auth: readers,
    params: RecordingIdParamsSchema,
    query: WatchSeriesQuerySchema,
    responses: { 200: WatchSeriesSchema, 400: err, 401: err, 403: err, 404: err },
  },

  'recordings.page': {
    method: 'GET',
    path: '/v1/recordings/:recordingId/page',
    summary: 'One ECG page (10 s by default) with its gaps, beats (with class) and events',
    auth: readers,
    params: RecordingIdParamsSchema,
    query: EcgPageQuerySchema,
    responses: { 200: EcgPageSchema, 400: err, 401: err, 403: err, 404: err },
  },
  'recordings.trends': {
    method: 'GET',
    path: '/v1/recordings/:recordingId/trends',
    summary:
      'Whole-recording trends decimated to buckets of whole minutes: heart rate, QTc, ST per lead and signal quality; the watch’s heart rate, movement and battery',
    auth: readers,
    params: RecordingIdParamsSchema,
    query: TrendQuerySchema,
    responses: { 200: TrendSchema, 400: err, 401: err, 403: err, 404: err },
  },

  // ── reports ─────────────────────────────────────────────────────────────────
  'reports.upload': {
    method: 'POST',
    path: '/v1/reports',
    summary: 'Uploads a PDF report (multipart: `metadata` JSON + `file` PDF)',
    auth: [...staff, 'gateway'],
    body: {
      kind: 'multipart',
      metadata: ReportMetadataSchema,
      file: { field: 'file', contentType: 'application/pdf', maxBytes: MAX_REPORT_BYTES },
    },
    responses: {
      200: ReportSchema,
      201: ReportSchema,
      400: err,
      401: err,
      403: err,
      404: err,
      409: err,
      413: err,
      415: err,
    },
  },
  'reports.list': {
    method: 'GET',
    path: '/v1/reports',
    summary: 'Reports, newest first',
    auth: readers,
    query: ReportListQuerySchema,
    responses: { 200: pageOf(ReportSchema), 401: err, 403: err },
  },
  'reports.get': {
    method: 'GET',
    path: '/v1/reports/:reportId',
    summary: 'Report metadata',
    auth: readers,
    params: ReportIdParams,
    responses: { 200: ReportSchema, 401: err, 403: err, 404: err },
  },
  'reports.download': {
    method: 'GET',
    path: '/v1/reports/:reportId/pdf',
    summary: 'The report PDF',
    auth: readers,
    params: ReportIdParams,
    responses: { 200: { kind: 'binary', contentType: 'application/pdf' }, 401: err, 403: err, 404: err },
  },

  // ── gateway error reports ───────────────────────────────────────────────────
  'errorReports.create': {
    method: 'POST',
    path: '/v1/error-reports',
    summary: 'A gateway reports an error or crash (idempotent by id)',
    auth: ['gateway'],
    body: { kind: 'json', schema: ErrorReportSchema },
    responses: { 200: OkSchema, 201: OkSchema, 400: err, 401: err },
  },
  'errorReports.list': {
    method: 'GET',
    path: '/v1/error-reports',
    summary: 'Gateway error reports, newest first',
    auth: ['admin'],
    query: ErrorReportListQuerySchema,
    responses: { 200: pageOf(StoredErrorReportSchema), 401: err, 403: err },
  },

  // ── exports and audit ───────────────────────────────────────────────────────
  'exports.get': {
    method: 'GET',
    path: '/v1/exports',
    summary:
      'Streams a recording or a patient’s time range as CSV, WFDB, EDF+, FHIR R4 or a zip of several (de-identified unless an admin asks; audited; progress at exports.progress)',
    auth: ['admin', 'researcher'],
    query: ExportQuerySchema,
    responses: {
      200: {
        kind: 'binary',
        contentType: 'text/csv; charset=utf-8',
        alsoContentTypes: ['application/zip', 'application/octet-stream', 'application/fhir+json'],
      },
      400: err,
      401: err,
      403: err,
      404: err,
      409: err,
    },
  },
  'exports.progress': {
    method: 'GET',
    path: '/v1/exports/:exportId/progress',
    summary: 'Progress of an export the caller started (kept an hour after it ends)',
    auth: ['admin', 'researcher'],
    params: z.strictObject({ exportId: UuidV7Schema }),
    responses: { 200: ExportProgressSchema, 401: err, 403: err, 404: err },
  },
  'audit.list': {
    method: 'GET',
    path: '/v1/audit',
    summary: 'Audit log: logins, enrollments, corrections, erasures, exports',
    auth: ['admin'],
    query: PageQuerySchema.extend({ fromMs: EpochMsQuerySchema.optional() }),
    responses: { 200: pageOf(AuditEntrySchema), 401: err, 403: err },
  },
});

export type Routes = typeof routes;
export type RouteName = keyof Routes;
