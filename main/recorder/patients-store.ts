/**
 * Patients on the gateway: created here with a UUID v7 so staff can work offline, a study code
 * unique on this gateway (case-insensitively), optional demographics, and identifying details
 * and notes sealed with AES-256-GCM (plaintext notes of older builds are sealed on open). Rows read back are validated against the contract's schema, so a
 * damaged database gives a clear error instead of a wrong patient.
 */
import type { z } from 'zod';
import { v7 as uuidv7 } from 'uuid';
import { GatewayApiError } from '../../preload/define.js';
import {
  PatientIdentitySchema,
  PatientSchema,
  type PatientFieldsSchema,
} from '../../server-contract/api/patients.js';
import type { FieldCipher } from './field-cipher.js';
import type { GatewayDatabase } from '../queue/database.js';
import { openNotes, sealNotes, sealPlaintextNotes } from './sealed-notes.js';

type Patient = z.infer<typeof PatientSchema>;
type PatientFields = z.infer<typeof PatientFieldsSchema>;

interface PatientRow {
  id: string;
  study_code: string;
  age_years: number | null;
  sex: string | null;
  study_group: string | null;
  notes: string | null;
  identity_enc: Buffer | null;
  created_at_ms: number;
  updated_at_ms: number;
}

export class PatientsStore {
  constructor(
    private readonly db: GatewayDatabase,
    private readonly cipher: FieldCipher,
    private readonly gatewayId: string,
    private readonly now: () => number = Date.now,
  ) {
    sealPlaintextNotes(db, cipher);
  }

  create(fields: PatientFields): Patient {
    const id = uuidv7();
    const atMs = this.now();
    this.write(id, fields, atMs, atMs, 'insert');
    return this.get(id);
  }

  update(id: string, fields: Partial<PatientFields>): Patient {
    const current = this.get(id);
    const merged: PatientFields = { ...stripRecord(current), ...fields };
    this.write(id, merged, current.createdAtMs, this.now(), 'update');
    return this.get(id);
  }

  get(id: string): Patient {
    const row = this.db.prepare('SELECT * FROM patients WHERE id = ?').get(id) as PatientRow | undefined;
    if (row === undefined)
      throw new GatewayApiError('patient_not_found', `No patient ${id} on this gateway.`);
    return this.fromRow(row);
  }

  /** Newest first; `search` matches the study code or group (case-insensitive prefix). */
  list(search: string | undefined, limit: number): Patient[] {
    const rows = (
      search === undefined || search.trim() === ''
        ? this.db.prepare('SELECT * FROM patients ORDER BY created_at_ms DESC LIMIT ?').all(limit)
        : this.db
            .prepare(
              `SELECT * FROM patients WHERE study_code_key LIKE ? ESCAPE '\\' OR lower(study_group) LIKE ? ESCAPE '\\'
               ORDER BY created_at_ms DESC LIMIT ?`,
            )
            .all(likePrefix(search), likePrefix(search), limit)
    ) as PatientRow[];
    return rows.map((row) => this.fromRow(row));
  }

  private write(
    id: string,
    fields: PatientFields,
    createdAtMs: number,
    updatedAtMs: number,
    mode: 'insert' | 'update',
  ): void {
    const identity =
      fields.identity === undefined ? null : this.cipher.seal(JSON.stringify(fields.identity), id);
    const values = {
      id,
      study_code: fields.studyCode,
      study_code_key: fields.studyCode.toLowerCase(),
      age_years: fields.ageYears ?? null,
      sex: fields.sex ?? null,
      study_group: fields.studyGroup ?? null,
      notes: sealNotes(this.cipher, id, fields.notes ?? null),
      identity_enc: identity,
      created_at_ms: createdAtMs,
      updated_at_ms: updatedAtMs,
    };
    const sql =
      mode === 'insert'
        ? `INSERT INTO patients VALUES (@id, @study_code, @study_code_key, @age_years, @sex, @study_group, @notes,
             @identity_enc, @created_at_ms, @updated_at_ms)`
        : `UPDATE patients SET study_code = @study_code, study_code_key = @study_code_key, age_years = @age_years,
             sex = @sex, study_group = @study_group, notes = @notes, identity_enc = @identity_enc,
             updated_at_ms = @updated_at_ms WHERE id = @id`;
    try {
      this.db.prepare(sql).run(values);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new GatewayApiError(
          'study_code_taken',
          `Study code ${fields.studyCode} is already used on this gateway.`,
        );
      }
      throw error;
    }
  }

  private fromRow(row: PatientRow): Patient {
    const identity =
      row.identity_enc === null
        ? undefined
        : PatientIdentitySchema.parse(JSON.parse(this.cipher.open(row.identity_enc, row.id)));
    const notes = openNotes(this.cipher, row.id, row.notes);
    const parsed = PatientSchema.safeParse({
      id: row.id,
      studyCode: row.study_code,
      ...(row.age_years === null ? {} : { ageYears: row.age_years }),
      ...(row.sex === null ? {} : { sex: row.sex }),
      ...(row.study_group === null ? {} : { studyGroup: row.study_group }),
      ...(notes === null ? {} : { notes }),
      ...(identity === undefined ? {} : { identity }),
      createdAtMs: row.created_at_ms,
      updatedAtMs: row.updated_at_ms,
      gatewayId: this.gatewayId,
      recordingCount: 0,
    });
    if (!parsed.success)
      throw new GatewayApiError(
        'corrupt_patient_row',
        `Patient ${row.id} in gateway.db is damaged: ${parsed.error.message}`,
      );
    return parsed.data;
  }
}

function stripRecord(patient: Patient): PatientFields {
  const { id: _id, createdAtMs: _c, updatedAtMs: _u, gatewayId: _g, recordingCount: _r, ...fields } = patient;
  return fields;
}

function likePrefix(search: string): string {
  return `${search
    .trim()
    .toLowerCase()
    .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
