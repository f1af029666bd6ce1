/**
 * The one storage interface of the server. Both implementations (SQLite and PostgreSQL) are
 * the same kysely code over a different dialect (`kysely-store.ts`), so they cannot drift;
 * the same test suite runs against both.
 *
 * Times are integer ms since the Unix epoch. Ids are UUID v7 strings.
 */
import type { SharedStateTables } from './shared-state-tables.js';
import type { TrendPartial, TrendSource } from './trend-rows.js';

export type StaffRole = 'admin' | 'clinician' | 'researcher';

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
  passwordHash: string;
  createdAtMs: number;
  disabled: boolean;
  failedLogins: number;
  lockedUntilMs: number | null;
}

export interface RefreshTokenRecord {
  id: string;
  userId: string;
  tokenHash: string;
  createdAtMs: number;
  expiresAtMs: number;
  revokedAtMs: number | null;
}

export interface EnrollmentCodeRecord {
  codeHash: string;
  label: string;
  createdBy: string;
  createdAtMs: number;
  expiresAtMs: number;
  /** The enrolled gateway this code re-enrolls; null = only a gateway id not yet known. */
  forGatewayId: string | null;
}

export interface GatewayRecord {
  id: string;
  name: string;
  platform: string;
  appVersion: string;
  secretHash: string;
  enrolledAtMs: number;
  revokedAtMs: number | null;
  lastSeenAtMs: number | null;
  backlogChunks: number | null;
  backlogBytes: number | null;
  oldestPendingAtMs: number | null;
}

/** What the chunk upload reads before decoding: see {@link Store.getUploadContext}. */
export interface UploadContext {
  gateway: Pick<GatewayRecord, 'revokedAtMs' | 'lastSeenAtMs'> | undefined;
  recording: RecordingRecord | undefined;
}

export interface GatewayHeartbeat {
  appVersion: string;
  backlogChunks: number;
  backlogBytes: number;
  oldestPendingAtMs: number | null;
}

export interface PatientRecord {
  id: string;
  studyCode: string;
  ageYears: number | null;
  sex: string | null;
  studyGroup: string | null;
  notes: string | null;
  /** Sealed (encrypted) identifying details; the store never sees them in clear. */
  identitySealed: string | null;
  gatewayId: string | null;
  createdAtMs: number;
  updatedAtMs: number;
}

export type PatientUpdate = Partial<
  Pick<PatientRecord, 'studyCode' | 'ageYears' | 'sex' | 'studyGroup' | 'notes' | 'identitySealed'>
>;

export interface DeviceInfo {
  kind: string;
  serial: string;
  name?: string | undefined;
  firmware?: string | undefined;
  simulated: boolean;
}

export interface RecordingRecord {
  id: string;
  patientId: string;
  gatewayId: string;
  operatorId: string;
  operatorName: string;
  devices: DeviceInfo[];
  simulated: boolean;
  startedAtMs: number;
  endedAtMs: number | null;
  ecgSampleRateHz: number | null;
  mainsHz: number | null;
  /** The end message's summary, kept as sent. */
  summary: unknown;
  finalChunkCounts: Record<string, number> | null;
  voidedAtMs: number | null;
  voidReason: string | null;
  createdAtMs: number;
  /**
   * What the gateway says processed the recording (software and detector versions, filters), as
   * the contract's `RecordingProcessing`; null or absent when it did not say.
   */
  processing?: Record<string, unknown> | null | undefined;
}

export type NewRecording = Omit<
  RecordingRecord,
  'endedAtMs' | 'summary' | 'finalChunkCounts' | 'voidedAtMs' | 'voidReason'
>;

/** A recording joined with its patient's code and its chunk count. */
export interface RecordingView extends RecordingRecord {
  studyCode: string;
  /** The gateway's enrolled name (absent when the store did not join it). */
  gatewayName?: string | null;
  chunksReceived: number;
}

export interface HrRow {
  tMs: number;
  bpm: number;
  confidence: number | null;
}
export interface AccelRow {
  tMs: number;
  xMg: number;
  yMg: number;
  zMg: number;
}
export interface MeasurementRow {
  tMs: number;
  data: Record<string, unknown>;
}
export interface BeatRow {
  tMs: number;
  beatClass: string;
}
export interface BatteryRow {
  tMs: number;
  pct: number;
  charging: boolean;
}
export interface EventRow {
  tMs: number;
  kind: string;
  endMs: number | null;
  data: Record<string, unknown>;
}

/** Rows expanded from one chunk, stored in the chunk's transaction. */
export interface ExpandedRows {
  hr?: HrRow[];
  accel?: AccelRow[];
  measurements?: MeasurementRow[];
  beats?: BeatRow[];
  events?: EventRow[];
  battery?: BatteryRow[];
}

export interface ChunkInput {
  recordingId: string;
  stream: string;
  index: number;
  sha256: string;
  startMs: number;
  endMs: number;
  sampleCount: number;
  bytes: Uint8Array;
  receivedAtMs: number;
  rows: ExpandedRows;
}

/** `stored`: first upload; `duplicate`: same hash already stored; `conflict`: different hash. */
export type PutChunkOutcome = 'stored' | 'duplicate' | 'conflict';

export interface StoredChunk {
  index: number;
  sha256: string;
  startMs: number;
  endMs: number;
  bytes: Uint8Array;
}

export interface ReportRecord {
  id: string;
  recordingId: string | null;
  patientId: string;
  gatewayId: string | null;
  title: string;
  fileName: string;
  sizeBytes: number;
  sha256: string;
  simulated: boolean;
  createdAtMs: number;
  kind: string;
  uploadedAtMs: number;
}

export interface ErrorReportRecord {
  id: string;
  gatewayId: string;
  receivedAtMs: number;
  occurredAtMs: number;
  severity: string;
  message: string;
  data: Record<string, unknown>;
}

export interface AuditEntry {
  id: string;
  atMs: number;
  actorKind: 'user' | 'gateway' | 'system';
  actorId: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
}

/** Keyset page: `after` is the last id of the previous page. */
export interface PageRequest {
  limit: number;
  after?: string | undefined;
}
export interface Page<T> {
  items: T[];
  /** Id of the last item when more may follow, else null. */
  nextAfter: string | null;
}

export interface TimeRange {
  fromMs: number;
  toMs: number;
}

/** Which expanded series an export or viewer asks for. */
export type SeriesName = 'hr' | 'accel' | 'measurements' | 'beats' | 'events' | 'battery';
export type SeriesRow<S extends SeriesName> = S extends 'hr'
  ? HrRow
  : S extends 'accel'
    ? AccelRow
    : S extends 'measurements'
      ? MeasurementRow
      : S extends 'beats'
        ? BeatRow
        : S extends 'events'
          ? EventRow
          : BatteryRow;

/** An exported row with the recording it belongs to. */
export type ExportRow<S extends SeriesName> = SeriesRow<S> & { recordingId: string; simulated: boolean };

/** One stored trend partial (per minute and source; see trend-rows.ts). */
export interface TrendPartialRow {
  source: TrendSource;
  tMs: number;
  data: TrendPartial;
}

/**
 * What identifies a recording's stored trend partials: their count and the sum of their chunk
 * indexes. Partials are only ever added (a chunk is stored once and never replaced), so a new
 * chunk changes it; a cached trend computed under an equal version is still the trend.
 */
export interface TrendVersion {
  rows: number;
  chunkIndexSum: number;
}

/** First sample time and end of one stream's stored chunks. */
export interface StreamSpan {
  startMs: number;
  endMs: number;
}

/** An enrollment code without its hash. */
export interface EnrollmentCodeInfo {
  label: string;
  createdAtMs: number;
  expiresAtMs: number;
  usedAtMs: number | null;
  usedByGatewayId: string | null;
  forGatewayId: string | null;
}

/** What a retention run removed (or, with `dryRun`, would remove). */
export interface RetentionResult {
  cutoffMs: number;
  recordings: number;
  /** PostgreSQL: partitions dropped, by table; SQLite: rows deleted, by table. */
  dropped: Record<string, number>;
}

/** Raised for a uniqueness clash the caller should report (e.g. a study code taken). */
export class StoreConflictError extends Error {
  readonly code = 'store_conflict';
  constructor(
    readonly what: 'study_code' | 'username' | 'id',
    message: string,
  ) {
    super(message);
    this.name = 'StoreConflictError';
  }
}
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** State every replica must see alike: shared rate limits, export progress. */
  readonly shared: SharedStateTables;
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  /** Why writes currently fail although the database answers (e.g. its disk is full); null when they do not. */
  writeProblem(): string | null;
  close(): Promise<void>;

  createUser(user: UserRecord): Promise<void>;
  getUser(id: string): Promise<UserRecord | undefined>;
  getUserByUsername(username: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;
  countUsers(): Promise<number>;
  setLoginState(id: string, failedLogins: number, lockedUntilMs: number | null): Promise<void>;
  /**
   * Atomically counts a sign-in attempt before its password is checked, unless the account is
   * locked at `atMs`: adds one to `failedLogins` and, when that reaches `maxFailed`, locks the
   * account until `lockUntilMs` in the same statement (the caller clears it on success). Returns
   * the new count, or undefined when the account was locked (or is unknown).
   */
  claimLoginAttempt(
    id: string,
    maxFailed: number,
    atMs: number,
    lockUntilMs: number,
  ): Promise<number | undefined>;
  setUserDisabled(id: string, disabled: boolean): Promise<void>;

  putRefreshToken(token: RefreshTokenRecord): Promise<void>;
  getRefreshTokenByHash(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  /** Marks the token revoked; returns false when it was already revoked (a replay). */
  revokeRefreshToken(id: string, atMs: number): Promise<boolean>;
  revokeUserRefreshTokens(userId: string, atMs: number): Promise<void>;

  putEnrollmentCode(code: EnrollmentCodeRecord): Promise<void>;
  /** Atomically uses an unexpired, unused code; returns it, or undefined. */
  consumeEnrollmentCode(
    codeHash: string,
    gatewayId: string,
    atMs: number,
  ): Promise<EnrollmentCodeRecord | undefined>;

  putGateway(gateway: GatewayRecord): Promise<void>;
  getGateway(id: string): Promise<GatewayRecord | undefined>;
  listGateways(): Promise<GatewayRecord[]>;
  revokeGateway(id: string, atMs: number): Promise<boolean>;
  recordGatewayContact(id: string, atMs: number, heartbeat?: GatewayHeartbeat): Promise<void>;

  /** Creates the patient; a repeat with the same id returns the stored one. */
  createPatient(patient: PatientRecord): Promise<{ patient: PatientRecord; created: boolean }>;
  getPatient(id: string): Promise<PatientRecord | undefined>;
  updatePatient(id: string, update: PatientUpdate, atMs: number): Promise<PatientRecord | undefined>;
  listPatients(
    page: PageRequest,
    filter: { studyCode?: string; studyGroup?: string },
  ): Promise<Page<PatientRecord>>;
  countRecordings(patientId: string): Promise<number>;
  /** Deletes the patient and everything recorded for them. Returns false when unknown. */
  /** Deletes the patient and everything of it, leaving a tombstone; false when unknown. */
  erasePatient(id: string, atMs: number): Promise<boolean>;
  /** Whether the patient was erased (its tombstone exists). */
  isPatientErased(id: string): Promise<boolean>;

  createRecording(recording: NewRecording): Promise<{ recording: RecordingRecord; created: boolean }>;
  /** The recording with its patient's code and chunk count (counts its chunks: not for hot paths). */
  getRecording(id: string): Promise<RecordingView | undefined>;
  /** The recording row alone (cheap: the upload path reads it on every chunk). */
  getRecordingRecord(id: string): Promise<RecordingRecord | undefined>;
  /**
   * The chunk upload's one read, a single statement: the calling gateway's standing (undefined
   * when unknown) and the recording (undefined when unknown). Read on every upload, so a
   * revocation is seen at once (see docs/server/replicas.md).
   */
  getUploadContext(gatewayId: string, recordingId: string): Promise<UploadContext>;
  listRecordings(
    page: PageRequest,
    filter: { patientId?: string; gatewayId?: string; status?: 'recording' | 'ended' | 'voided' },
  ): Promise<Page<RecordingView>>;
  endRecording(
    id: string,
    endedAtMs: number,
    finalChunkCounts: Record<string, number>,
    summary: unknown,
  ): Promise<void>;
  reassignRecording(id: string, patientId: string): Promise<void>;
  voidRecording(id: string, atMs: number, reason: string): Promise<void>;

  /** Stores a chunk and its rows in one transaction, idempotently (see `PutChunkOutcome`). */
  putChunk(chunk: ChunkInput): Promise<PutChunkOutcome>;
  /**
   * Tells the store how many chunk writes are on their way (uploads being decoded), so that it
   * may wait briefly to commit them together; a store that commits each chunk alone ignores it.
   */
  expectChunks(pending: () => number): void;
  /** Time span of one stream's chunks; undefined when it has none. */
  streamSpan(recordingId: string, stream: string): Promise<StreamSpan | undefined>;
  /** Per-minute trend partials of a recording with `t_ms` in `range`, by time. */
  trendPartials(recordingId: string, range: TimeRange): Promise<TrendPartialRow[]>;
  /** The version of a recording's trend partials (see {@link TrendVersion}); one indexed aggregate. */
  trendVersion(recordingId: string): Promise<TrendVersion>;
  /** Received chunk indexes per stream, ascending. */
  chunkIndexes(recordingId: string): Promise<Map<string, number[]>>;
  /** Chunks of one stream overlapping `range`, by index. */
  chunksInRange(recordingId: string, stream: string, range: TimeRange): Promise<StoredChunk[]>;
  /**
   * The same chunks as {@link chunksInRange}, yielded in pages of at most `pageSize` by index
   * (keyset pagination: exports of a day of ECG never hold it all in memory). With `headBytes`,
   * each chunk's `bytes` are only its first `headBytes` bytes (enough for its header, without
   * reading and allocating the whole blob).
   */
  chunkPages(
    recordingId: string,
    stream: string,
    range: TimeRange,
    pageSize: number,
    headBytes?: number,
  ): AsyncGenerator<StoredChunk[]>;

  /** Rows of one series of one recording in `range`, by time, at most `limit`. */
  seriesRows<S extends SeriesName>(
    series: S,
    recordingId: string,
    range: TimeRange,
    limit: number,
  ): Promise<SeriesRow<S>[]>;
  /**
   * Rows of one series for a patient in `range`, excluding voided recordings, in time order,
   * yielded in batches of at most `batchSize` (keyset pagination: never the whole set in memory).
   */
  exportRows<S extends SeriesName>(
    series: S,
    patientId: string,
    range: TimeRange,
    batchSize: number,
  ): AsyncGenerator<ExportRow<S>[]>;

  putReport(report: ReportRecord, pdf: Uint8Array): Promise<void>;
  getReport(id: string): Promise<ReportRecord | undefined>;
  getReportPdf(id: string): Promise<Uint8Array | undefined>;
  listReports(
    page: PageRequest,
    filter: { patientId?: string; recordingId?: string },
  ): Promise<Page<ReportRecord>>;

  /** Stores an error report; false when one with this id was already stored. */
  putErrorReport(report: ErrorReportRecord): Promise<boolean>;
  listErrorReports(page: PageRequest, filter: { gatewayId?: string }): Promise<Page<ErrorReportRecord>>;

  /**
   * Removes the recordings started before `cutoffMs` with all their data (PostgreSQL: whole month
   * partitions, so up to a month later); with `dryRun`, only counts.
   */
  applyRetention(cutoffMs: number, dryRun: boolean): Promise<RetentionResult>;
  /** Enrollment codes, newest first. */
  listEnrollmentCodes(limit: number): Promise<EnrollmentCodeInfo[]>;

  appendAudit(entry: AuditEntry): Promise<void>;
  /** Audit entries, newest first, optionally only those at or after `fromMs`. */
  listAudit(page: PageRequest, filter?: { fromMs?: number }): Promise<Page<AuditEntry>>;
}
