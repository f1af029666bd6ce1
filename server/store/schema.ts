/**
 * Table types of the server database, shared by the SQLite and PostgreSQL dialects through
 * kysely. Times are integer ms since the Unix epoch; booleans are stored as 0/1 integers and
 * JSON as text so both dialects read back the same values.
 */
export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
  created_at_ms: number;
  disabled: number;
  failed_logins: number;
  locked_until_ms: number | null;
}

export interface RefreshTokensTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at_ms: number;
  expires_at_ms: number;
  revoked_at_ms: number | null;
}

export interface EnrollmentCodesTable {
  code_hash: string;
  label: string;
  created_by: string;
  created_at_ms: number;
  expires_at_ms: number;
  used_at_ms: number | null;
  used_by_gateway: string | null;
  /** Set when the code re-enrolls this (already enrolled) gateway id. */
  for_gateway: string | null;
}

/** Tombstone of an erased patient: a late create for the id answers 410. */
export interface ErasedPatientsTable {
  id: string;
  erased_at_ms: number;
}

export interface GatewaysTable {
  id: string;
  name: string;
  platform: string;
  app_version: string;
  secret_hash: string;
  enrolled_at_ms: number;
  revoked_at_ms: number | null;
  last_seen_at_ms: number | null;
  backlog_chunks: number | null;
  backlog_bytes: number | null;
  oldest_pending_at_ms: number | null;
}

export interface PatientsTable {
  id: string;
  study_code: string;
  age_years: number | null;
  sex: string | null;
  study_group: string | null;
  notes: string | null;
  /** AES-256-GCM sealed JSON of the identifying details (base64), or null. */
  identity_sealed: string | null;
  gateway_id: string | null;
  created_at_ms: number;
  updated_at_ms: number;
}

export interface RecordingsTable {
  id: string;
  patient_id: string;
  gateway_id: string;
  operator_id: string;
  operator_name: string;
  devices_json: string;
  simulated: number;
  started_at_ms: number;
  ended_at_ms: number | null;
  ecg_sample_rate_hz: number | null;
  mains_hz: number | null;
  summary_json: string | null;
  final_counts_json: string | null;
  voided_at_ms: number | null;
  void_reason: string | null;
  created_at_ms: number;
  /** The gateway's processing provenance (software, detector, filters), JSON; null if not sent. */
  processing_json: string | null;
}

export interface ChunksTable {
  recording_id: string;
  stream: string;
  chunk_index: number;
  sha256: string;
  size_bytes: number;
  start_ms: number;
  end_ms: number;
  sample_count: number;
  blob: Uint8Array;
  received_at_ms: number;
}

/** Columns every expanded row carries: where it came from, and its time. */
interface ExpandedRow {
  recording_id: string;
  chunk_index: number;
  /** Position in its chunk; with the two above, the row's identity. */
  seq: number;
  t_ms: number;
}

export interface HrRowsTable extends ExpandedRow {
  bpm: number;
  confidence: number | null;
}

export interface AccelRowsTable extends ExpandedRow {
  x_mg: number;
  y_mg: number;
  z_mg: number;
}

export interface MeasurementRowsTable extends ExpandedRow {
  /** The measurement record as JSON text (heart rate, intervals, axis, …). */
  data_json: string;
}

export interface BeatRowsTable extends ExpandedRow {
  beat_class: string;
}

export interface EventRowsTable extends ExpandedRow {
  kind: string;
  end_ms: number | null;
  data_json: string;
}

export interface BatteryRowsTable extends ExpandedRow {
  pct: number;
  charging: number;
}

export interface ReportsTable {
  id: string;
  recording_id: string | null;
  patient_id: string;
  gateway_id: string | null;
  title: string;
  file_name: string;
  size_bytes: number;
  sha256: string;
  pdf: Uint8Array;
  simulated: number;
  created_at_ms: number;
  kind: string;
  uploaded_at_ms: number;
}

export interface ErrorReportsTable {
  id: string;
  gateway_id: string;
  received_at_ms: number;
  occurred_at_ms: number;
  severity: string;
  message: string;
  data_json: string;
}

export interface AuditLogTable {
  id: string;
  at_ms: number;
  actor_kind: string;
  actor_id: string | null;
  action: string;
  target: string | null;
  detail_json: string;
}

/** A rate-limit token bucket every replica shares (PostgreSQL; SQLite keeps them in memory). */
export interface RateLimitsTable {
  bucket_key: string;
  tokens: number;
  updated_at_ms: number;
  /** 1 when the last take was allowed, 0 when refused. */
  last_taken: number;
}

/** Progress of an export, readable from any replica while another one streams it. */
export interface ExportProgressTable {
  export_id: string;
  owner_id: string;
  format: string;
  state: string;
  units_done: number;
  units_total: number;
  bytes_sent: number;
  started_at_ms: number;
  finished_at_ms: number | null;
  error: string | null;
}

/** HMAC fingerprint of a key every replica must share (never the key). */
export interface KeyFingerprintsTable {
  name: string;
  fingerprint: string;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at_ms: number;
}

export interface Database {
  users: UsersTable;
  refresh_tokens: RefreshTokensTable;
  enrollment_codes: EnrollmentCodesTable;
  gateways: GatewaysTable;
  patients: PatientsTable;
  erased_patients: ErasedPatientsTable;
  recordings: RecordingsTable;
  chunks: ChunksTable;
  hr_rows: HrRowsTable;
  accel_rows: AccelRowsTable;
  measurement_rows: MeasurementRowsTable;
  beat_rows: BeatRowsTable;
  event_rows: EventRowsTable;
  battery_rows: BatteryRowsTable;
  reports: ReportsTable;
  error_reports: ErrorReportsTable;
  audit_log: AuditLogTable;
  schema_migrations: SchemaMigrationsTable;
  rate_limits: RateLimitsTable;
  export_progress: ExportProgressTable;
  key_fingerprints: KeyFingerprintsTable;
}
