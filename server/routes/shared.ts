/** Helpers shared by the route handlers: cursors, ownership checks, record-to-contract mapping. */
import type { z } from 'zod';
import type { PatientSchema, RecordingSchema } from '../../server-contract/api/index.js';
import type { Principal } from '../auth/tokens.js';
import { forbidden, HttpError, notFound, ValidationError } from '../errors.js';
import type { Services } from '../services.js';
import type { Page, PatientRecord, RecordingRecord, RecordingView } from '../store/store.js';

/** Cursors are opaque to clients: the base64url of the last id of the previous page. */
export function encodeCursor(after: string | null): string | null {
  return after === null ? null : Buffer.from(after, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[0-9a-f-]{36}$/.test(id))
    throw new ValidationError([{ path: 'query.cursor', message: 'not a cursor this server issued' }]);
  return id;
}

export function pageBody<T, U>(
  page: Page<T>,
  map: (item: T) => U,
): { items: U[]; nextCursor: string | null } {
  return { items: page.items.map(map), nextCursor: encodeCursor(page.nextAfter) };
}

/** 410: the patient was erased; its tombstone refuses a late create (and recordings on it). */
export function patientGone(): HttpError {
  return new HttpError(410, 'gone', 'this patient was erased; drop it from the queue');
}

export function mustBePrincipal(principal: Principal | null): Principal {
  if (principal === null) throw new HttpError(401, 'unauthorized', 'authentication required');
  return principal;
}

/** Loads a recording and checks that a gateway caller made it (staff may see any). */
export async function loadRecording(
  services: Services,
  principal: Principal | null,
  recordingId: string,
): Promise<RecordingRecord> {
  const recording = await services.store.getRecordingRecord(recordingId);
  if (!recording) throw notFound('recording');
  if (principal?.kind === 'gateway' && recording.gatewayId !== principal.id)
    throw forbidden('this recording belongs to another gateway');
  return recording;
}

export type RecordingDto = z.input<typeof RecordingSchema>;
export type PatientDto = z.input<typeof PatientSchema>;

export function recordingDto(r: RecordingView): RecordingDto {
  const expected =
    r.finalChunkCounts === null ? null : Object.values(r.finalChunkCounts).reduce((a, b) => a + b, 0);
  return {
    id: r.id,
    patientId: r.patientId,
    studyCode: r.studyCode,
    gatewayId: r.gatewayId,
    gatewayName: r.gatewayName ?? null,
    operator: { id: r.operatorId, name: r.operatorName },
    devices: r.devices as RecordingDto['devices'],
    simulated: r.simulated,
    status: r.voidedAtMs !== null ? 'voided' : r.endedAtMs !== null ? 'ended' : 'recording',
    startedAtMs: r.startedAtMs,
    endedAtMs: r.endedAtMs,
    ecgSampleRateHz: r.ecgSampleRateHz,
    summary: (r.summary ?? null) as RecordingDto['summary'],
    chunksExpected: expected,
    chunksReceived: r.chunksReceived,
    voidReason: r.voidReason,
  };
}

const SEALED_NOTES = 'sealed1:';

/** Notes sealed at rest like the identity (bound to the patient id, apart from it); null stays null. */
export function sealNotes(services: Services, patientId: string, notes: string | null): string | null {
  return notes === null ? null : SEALED_NOTES + services.cipher.seal(notes, `${patientId}:notes`);
}

/** Opens stored notes; a value without the prefix is a plaintext note stored before notes were sealed. */
function openNotes(services: Services, p: PatientRecord): string | null {
  if (p.notes === null || !p.notes.startsWith(SEALED_NOTES)) return p.notes;
  return services.cipher.open(p.notes.slice(SEALED_NOTES.length), `${p.id}:notes`);
}

/** Maps a patient; identifying details and free-text notes are opened only when `withIdentity`. */
export function patientDto(
  services: Services,
  p: PatientRecord,
  recordingCount: number,
  withIdentity: boolean,
): PatientDto {
  const dto: PatientDto = {
    id: p.id,
    studyCode: p.studyCode,
    createdAtMs: p.createdAtMs,
    updatedAtMs: p.updatedAtMs,
    gatewayId: p.gatewayId,
    recordingCount,
  };
  if (p.ageYears !== null) dto.ageYears = p.ageYears;
  if (p.sex !== null) dto.sex = p.sex as PatientDto['sex'];
  if (p.studyGroup !== null) dto.studyGroup = p.studyGroup;
  // Notes are free text that may name the patient: shown only to those who see the identity.
  const notes = withIdentity ? openNotes(services, p) : null;
  if (notes !== null) dto.notes = notes;
  if (withIdentity && p.identitySealed !== null) {
    dto.identity = JSON.parse(services.cipher.open(p.identitySealed, p.id)) as PatientDto['identity'];
  }
  return dto;
}

/** Seals identifying details bound to the patient id; empty details store nothing. */
export function sealIdentity(
  services: Services,
  patientId: string,
  identity: Record<string, string | undefined> | undefined,
): string | null {
  if (identity === undefined) return null;
  const present = Object.fromEntries(Object.entries(identity).filter(([, v]) => v !== undefined && v !== ''));
  return Object.keys(present).length === 0 ? null : services.cipher.seal(JSON.stringify(present), patientId);
}
