/**
 * Research exports (CSV, WFDB, EDF+, FHIR R4, zip; streamed, audited, de-identified unless an
 * admin asks), their progress, and the audit log.
 */
import { v7 as uuidv7 } from 'uuid';
import { EXPORT_ID_HEADER, type ExportQuery } from '../../server-contract/api/index.js';
import { forbidden, HttpError, notFound } from '../errors.js';
import type { Identity } from '../export/entries.js';
import { planExport } from '../export/plan.js';
import type { ExportTracker } from '../export/progress.js';
import type { Handlers } from '../http/router.js';
import type { Services } from '../services.js';
import type { AuditEntry, PatientRecord } from '../store/store.js';
import { decodeCursor, mustBePrincipal, pageBody } from './shared.js';

function auditDto(e: AuditEntry) {
  return {
    id: e.id,
    atMs: e.atMs,
    actor: e.actorId === null ? e.actorKind : `${e.actorKind}:${e.actorId}`,
    action: e.action,
    target: e.target,
    detail: Object.keys(e.detail).length === 0 ? null : JSON.stringify(e.detail),
  };
}

/** Opens the patient's identifying details for an admin who asked; undefined = de-identified. */
function openIdentity(s: Services, patient: PatientRecord, include: boolean): Identity | undefined {
  if (!include) return undefined;
  if (patient.identitySealed === null) return {};
  return JSON.parse(s.cipher.open(patient.identitySealed, patient.id)) as Identity;
}

async function target(s: Services, query: ExportQuery) {
  if (query.recordingId !== undefined) {
    const recording = await s.store.getRecordingRecord(query.recordingId);
    if (!recording) throw notFound('recording');
    if (recording.voidedAtMs !== null)
      throw new HttpError(409, 'conflict', 'a voided recording is not exported');
    const patient = await s.store.getPatient(recording.patientId);
    if (!patient) throw notFound('patient');
    return { patient, recording };
  }
  const patient = await s.store.getPatient(query.patientId ?? '');
  if (!patient) throw notFound('patient');
  return { patient, recording: undefined };
}

export function exportHandlers(
  s: Services,
): Pick<Handlers, 'exports.get' | 'exports.progress' | 'audit.list'> {
  return {
    'exports.get': async ({ query }, ctx) => {
      const actor = mustBePrincipal(ctx.principal);
      if (query.includeIdentity && actor.role !== 'admin')
        throw forbidden('only an admin may export identifying details');
      const { patient, recording } = await target(s, query);
      const exportId = query.exportId ?? uuidv7();
      const progress: { tracker?: ExportTracker | undefined } = {};
      const plan = await planExport({
        store: s.store,
        query,
        patient,
        recording,
        identity: openIdentity(s, patient, query.includeIdentity),
        serverVersion: s.version,
        nowMs: s.now(),
        onUnits: (units) => progress.tracker?.advance(units),
      });
      const tracker = await s.exportProgress.start(exportId, actor.id, query.format, plan.unitsTotal);
      progress.tracker = tracker;
      if (!tracker) throw new HttpError(409, 'conflict', 'this exportId is already in use: send a new one');
      await s.audit.record(actor, `exports.${query.format}`, patient.id, {
        exportId,
        format: query.format,
        ...(query.format === 'zip' ? { formats: query.formats } : {}),
        ...(query.series === undefined ? {} : { series: query.series }),
        recordingIds: plan.recordingIds,
        fromMs: query.fromMs ?? null,
        toMs: query.toMs ?? null,
        includeIdentity: query.includeIdentity,
      });
      return {
        status: 200,
        body: tracker.track(plan.body),
        headers: {
          'content-type': plan.contentType,
          'content-disposition': `attachment; filename="${plan.fileName}"`,
          'cache-control': 'no-store',
          [EXPORT_ID_HEADER]: exportId,
        },
      };
    },
    'exports.progress': async ({ params }, ctx) => {
      const actor = mustBePrincipal(ctx.principal);
      const progress = await s.exportProgress.get(params.exportId, actor.id);
      if (!progress) throw notFound('export');
      return { status: 200, body: progress };
    },
    'audit.list': async ({ query }) => {
      const page = await s.store.listAudit(
        { limit: query.limit, after: decodeCursor(query.cursor) },
        { fromMs: query.fromMs },
      );
      return { status: 200, body: pageBody(page, auditDto) };
    },
  };
}
