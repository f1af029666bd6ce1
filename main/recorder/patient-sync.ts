/**
 * Patients, and corrections to recordings, travel to the server as queued control messages:
 * creating or editing a patient writes the patient and queues the request in one transaction;
 * a patient made before the queue existed is queued once at start-up; a recording made under
 * the wrong patient is reassigned, or voided, here and on the server (audited there).
 */
import type { z } from 'zod';
import { GatewayApiError } from '../../preload/define.js';
import type { PatientFieldsSchema, PatientSchema } from '../../server-contract/api/patients.js';
import type { GatewayDatabase } from '../queue/database.js';
import { PRIORITY } from '../queue/types.js';
import type { UploadQueue } from '../queue/upload-queue.js';
import type { PatientsStore } from './patients-store.js';

type Patient = z.infer<typeof PatientSchema>;
type PatientFields = z.infer<typeof PatientFieldsSchema>;

export class PatientSync {
  constructor(
    private readonly db: GatewayDatabase,
    private readonly queue: UploadQueue,
    private readonly patients: PatientsStore,
  ) {}

  /** Creates a patient and queues it for the server (one transaction). */
  create(fields: PatientFields): Patient {
    return this.db.transaction(() => {
      const patient = this.patients.create(fields);
      this.queueCreate(patient);
      return patient;
    })();
  }

  /** Edits a patient and queues the change. */
  update(id: string, fields: Partial<PatientFields>): Patient {
    return this.db.transaction(() => {
      this.ensureQueued(id);
      const patient = this.patients.update(id, fields);
      this.queue.enqueue({
        kind: 'control',
        route: 'patients.update',
        params: { patientId: id },
        body: fields,
        priority: PRIORITY.control,
      });
      return patient;
    })();
  }

  /** Queues a patient's creation unless it already was. */
  ensureQueued(patientId: string): void {
    const row = this.db.prepare('SELECT 1 FROM patient_sync WHERE patient_id = ?').get(patientId);
    if (row === undefined) this.queueCreate(this.patients.get(patientId));
  }

  /** Patients made before this build (or by a store without the queue) are queued once. */
  queueNotYetSent(): void {
    const ids = this.db
      .prepare(
        'SELECT id FROM patients WHERE id NOT IN (SELECT patient_id FROM patient_sync) ORDER BY created_at_ms',
      )
      .all() as { id: string }[];
    if (ids.length === 0) return;
    this.db.transaction(() => {
      for (const { id } of ids) this.queueCreate(this.patients.get(id));
    })();
  }

  /** Queues the move of a recording to another patient (the caller updates its own row). */
  queueReassign(recordingId: string, patientId: string, reason: string): void {
    this.ensureQueued(patientId);
    this.queue.enqueue({
      kind: 'control',
      route: 'recordings.reassign',
      params: { recordingId },
      body: { patientId, reason },
      recordingId,
      priority: PRIORITY.control,
    });
  }

  /** Queues voiding a recording. */
  queueVoid(recordingId: string, reason: string): void {
    this.queue.enqueue({
      kind: 'control',
      route: 'recordings.void',
      params: { recordingId },
      body: { reason },
      recordingId,
      priority: PRIORITY.control,
    });
  }

  private queueCreate(patient: Patient): void {
    if (patient.gatewayId === null)
      throw new GatewayApiError('patient_not_local', 'Not a patient of this gateway.');
    const { gatewayId: _g, recordingCount: _r, updatedAtMs: _u, ...body } = patient;
    const item = this.queue.enqueue({
      kind: 'control',
      route: 'patients.create',
      body,
      priority: PRIORITY.control,
    });
    this.db
      .prepare('INSERT INTO patient_sync (patient_id, create_item_id) VALUES (?, ?)')
      .run(patient.id, item.id);
  }
}
