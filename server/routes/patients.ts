/** Patients: created on gateways with their own UUID, edited by staff, erased by an admin. */
import { forbidden, HttpError, notFound } from '../errors.js';
import type { Handlers } from '../http/router.js';
import type { Services } from '../services.js';
import { StoreConflictError, type PatientRecord, type PatientUpdate } from '../store/store.js';
import type { Principal } from '../auth/tokens.js';
import {
  decodeCursor,
  mustBePrincipal,
  pageBody,
  patientDto,
  patientGone,
  sealIdentity,
  sealNotes,
} from './shared.js';

const mayReadIdentity = (p: Principal | null) =>
  p !== null && (p.role === 'admin' || p.role === 'clinician' || p.kind === 'gateway');

function studyCodeTaken(err: unknown): never {
  if (err instanceof StoreConflictError)
    throw new HttpError(409, 'study_code_taken', 'this study code is already used by another patient');
  throw err;
}

async function loadPatientFor(s: Services, principal: Principal, patientId: string): Promise<PatientRecord> {
  const patient = await s.store.getPatient(patientId);
  if (!patient) throw notFound('patient');
  if (principal.kind === 'gateway' && patient.gatewayId !== principal.id)
    throw forbidden('this patient was created by another gateway');
  return patient;
}

export function patientHandlers(
  s: Services,
): Pick<
  Handlers,
  'patients.create' | 'patients.list' | 'patients.get' | 'patients.update' | 'patients.erase'
> {
  return {
    'patients.create': async ({ body }, ctx) => {
      const principal = mustBePrincipal(ctx.principal);
      if (await s.store.isPatientErased(body.id)) throw patientGone();
      const record: PatientRecord = {
        id: body.id,
        studyCode: body.studyCode,
        ageYears: body.ageYears ?? null,
        sex: body.sex ?? null,
        studyGroup: body.studyGroup ?? null,
        notes: sealNotes(s, body.id, body.notes ?? null),
        identitySealed: sealIdentity(s, body.id, body.identity),
        gatewayId: principal.kind === 'gateway' ? principal.id : null,
        createdAtMs: body.createdAtMs,
        updatedAtMs: s.now(),
      };
      const { patient, created } = await s.store.createPatient(record).catch(studyCodeTaken);
      if (!created && principal.kind === 'gateway' && patient.gatewayId !== principal.id)
        throw forbidden('this patient id belongs to another gateway');
      const dto = patientDto(s, patient, await s.store.countRecordings(patient.id), true);
      return { status: created ? 201 : 200, body: dto };
    },
    'patients.list': async ({ query }) => {
      const page = await s.store.listPatients(
        { limit: query.limit, after: decodeCursor(query.cursor) },
        { studyCode: query.studyCode, studyGroup: query.studyGroup },
      );
      const counts = await Promise.all(page.items.map((p) => s.store.countRecordings(p.id)));
      let i = 0;
      return { status: 200, body: pageBody(page, (p) => patientDto(s, p, counts[i++] ?? 0, false)) };
    },
    'patients.get': async ({ params }, ctx) => {
      const patient = await s.store.getPatient(params.patientId);
      if (!patient) throw notFound('patient');
      return {
        status: 200,
        body: patientDto(
          s,
          patient,
          await s.store.countRecordings(patient.id),
          mayReadIdentity(ctx.principal),
        ),
      };
    },
    'patients.update': async ({ params, body }, ctx) => {
      const principal = mustBePrincipal(ctx.principal);
      await loadPatientFor(s, principal, params.patientId);
      const update: PatientUpdate = {};
      if (body.studyCode !== undefined) update.studyCode = body.studyCode;
      if (body.ageYears !== undefined) update.ageYears = body.ageYears;
      if (body.sex !== undefined) update.sex = body.sex;
      if (body.studyGroup !== undefined) update.studyGroup = body.studyGroup;
      if (body.notes !== undefined) update.notes = sealNotes(s, params.patientId, body.notes);
      if (body.identity !== undefined)
        update.identitySealed = sealIdentity(s, params.patientId, body.identity);
      const updated = await s.store.updatePatient(params.patientId, update, s.now()).catch(studyCodeTaken);
      if (!updated) throw notFound('patient');
      await s.audit.record(principal, 'patients.update', params.patientId, { fields: Object.keys(update) });
      return { status: 200, body: patientDto(s, updated, await s.store.countRecordings(updated.id), true) };
    },
    'patients.erase': async ({ params, body }, ctx) => {
      const actor = mustBePrincipal(ctx.principal);
      if (!(await s.store.erasePatient(params.patientId, s.now()))) throw notFound('patient');
      await s.audit.record(actor, 'patients.erase', params.patientId, { reason: body.reason });
      return { status: 200, body: { ok: true } };
    },
  };
}
