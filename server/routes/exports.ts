/** Research exports (CSV, streamed, audited) and the audit log. */
import { forbidden, notFound } from '../errors.js';
import { csvExport } from '../export/csv.js';
import type { Handlers } from '../http/router.js';
import type { Services } from '../services.js';
import type { AuditEntry } from '../store/store.js';
import { decodeCursor, mustBePrincipal, pageBody } from './shared.js';

const MAX_TIME_MS = 7_258_118_400_000;

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

export function exportHandlers(s: Services): Pick<Handlers, 'exports.get' | 'audit.list'> {
  return {
    'exports.get': async ({ query }, ctx) => {
      const actor = mustBePrincipal(ctx.principal);
      if (query.includeIdentity && actor.role !== 'admin')
        throw forbidden('only an admin may export identifying details');
      const patient = await s.store.getPatient(query.patientId);
      if (!patient) throw notFound('patient');
      const identity =
        query.includeIdentity && patient.identitySealed !== null
          ? (JSON.parse(s.cipher.open(patient.identitySealed, patient.id)) as Record<string, string>)
          : query.includeIdentity
            ? {}
            : undefined;
      const range = { fromMs: query.fromMs ?? 0, toMs: query.toMs ?? MAX_TIME_MS };
      await s.audit.record(actor, 'exports.csv', patient.id, {
        series: query.series,
        ...range,
        includeIdentity: query.includeIdentity,
      });
      const body = csvExport(s.store, {
        series: query.series,
        patientId: patient.id,
        studyCode: patient.studyCode,
        range,
        identity,
      });
      const fileName = `${patient.studyCode}-${query.series}.csv`.replace(/[^A-Za-z0-9._-]/g, '_');
      return {
        status: 200,
        body,
        headers: { 'content-disposition': `attachment; filename="${fileName}"`, 'cache-control': 'no-store' },
      };
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
