/** Conversions between database rows (snake_case, 0/1, JSON text) and store records. */
import type { Selectable } from 'kysely';
import type {
  AuditLogTable,
  ErrorReportsTable,
  GatewaysTable,
  PatientsTable,
  RecordingsTable,
  RefreshTokensTable,
  ReportsTable,
  UsersTable,
} from './schema.js';
import type {
  AuditEntry,
  DeviceInfo,
  ErrorReportRecord,
  GatewayRecord,
  PatientRecord,
  RecordingRecord,
  RefreshTokenRecord,
  ReportRecord,
  StaffRole,
  UserRecord,
} from './store.js';

/** Data read back from disk is input too: a JSON column that does not parse is an error. */
export function parseJsonObject(text: string, what: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`stored ${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

export function toUser(r: Selectable<UsersTable>): UserRecord {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role as StaffRole,
    passwordHash: r.password_hash,
    createdAtMs: r.created_at_ms,
    disabled: r.disabled === 1,
    failedLogins: r.failed_logins,
    lockedUntilMs: r.locked_until_ms,
  };
}

export function toRefreshToken(r: Selectable<RefreshTokensTable>): RefreshTokenRecord {
  return {
    id: r.id,
    userId: r.user_id,
    tokenHash: r.token_hash,
    createdAtMs: r.created_at_ms,
    expiresAtMs: r.expires_at_ms,
    revokedAtMs: r.revoked_at_ms,
  };
}

export function toGateway(r: Selectable<GatewaysTable>): GatewayRecord {
  return {
    id: r.id,
    name: r.name,
    platform: r.platform,
    appVersion: r.app_version,
    secretHash: r.secret_hash,
    enrolledAtMs: r.enrolled_at_ms,
    revokedAtMs: r.revoked_at_ms,
    lastSeenAtMs: r.last_seen_at_ms,
    backlogChunks: r.backlog_chunks,
    backlogBytes: r.backlog_bytes,
    oldestPendingAtMs: r.oldest_pending_at_ms,
  };
}

export function toPatient(r: Selectable<PatientsTable>): PatientRecord {
  return {
    id: r.id,
    studyCode: r.study_code,
    ageYears: r.age_years,
    sex: r.sex,
    studyGroup: r.study_group,
    notes: r.notes,
    identitySealed: r.identity_sealed,
    gatewayId: r.gateway_id,
    createdAtMs: r.created_at_ms,
    updatedAtMs: r.updated_at_ms,
  };
}

export function fromPatient(p: PatientRecord): PatientsTable {
  return {
    id: p.id,
    study_code: p.studyCode,
    age_years: p.ageYears,
    sex: p.sex,
    study_group: p.studyGroup,
    notes: p.notes,
    identity_sealed: p.identitySealed,
    gateway_id: p.gatewayId,
    created_at_ms: p.createdAtMs,
    updated_at_ms: p.updatedAtMs,
  };
}

export function toRecording(r: Selectable<RecordingsTable>): RecordingRecord {
  return {
    id: r.id,
    patientId: r.patient_id,
    gatewayId: r.gateway_id,
    operatorId: r.operator_id,
    operatorName: r.operator_name,
    devices: JSON.parse(r.devices_json) as DeviceInfo[],
    simulated: r.simulated === 1,
    startedAtMs: r.started_at_ms,
    endedAtMs: r.ended_at_ms,
    ecgSampleRateHz: r.ecg_sample_rate_hz,
    mainsHz: r.mains_hz,
    summary: r.summary_json === null ? null : (JSON.parse(r.summary_json) as unknown),
    finalChunkCounts:
      r.final_counts_json === null
        ? null
        : (parseJsonObject(r.final_counts_json, 'final counts') as Record<string, number>),
    voidedAtMs: r.voided_at_ms,
    voidReason: r.void_reason,
    createdAtMs: r.created_at_ms,
    processing:
      r.processing_json === null ? null : parseJsonObject(r.processing_json, 'recording processing'),
  };
}

export function toReport(r: Omit<Selectable<ReportsTable>, 'pdf'>): ReportRecord {
  return {
    id: r.id,
    recordingId: r.recording_id,
    patientId: r.patient_id,
    gatewayId: r.gateway_id,
    title: r.title,
    fileName: r.file_name,
    sizeBytes: r.size_bytes,
    sha256: r.sha256,
    simulated: r.simulated === 1,
    createdAtMs: r.created_at_ms,
    kind: r.kind,
    uploadedAtMs: r.uploaded_at_ms,
  };
}

export function toErrorReport(r: Selectable<ErrorReportsTable>): ErrorReportRecord {
  return {
    id: r.id,
    gatewayId: r.gateway_id,
    receivedAtMs: r.received_at_ms,
    occurredAtMs: r.occurred_at_ms,
    severity: r.severity,
    message: r.message,
    data: parseJsonObject(r.data_json, 'error report'),
  };
}

export function toAudit(r: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: r.id,
    atMs: r.at_ms,
    actorKind: r.actor_kind as AuditEntry['actorKind'],
    actorId: r.actor_id,
    action: r.action,
    target: r.target,
    detail: parseJsonObject(r.detail_json, 'audit detail'),
  };
}
