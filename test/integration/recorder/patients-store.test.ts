/**
 * The gateway's patient store on a real SQLite file: UUID v7 ids, unique study codes, identifying
 * details sealed at rest, and clear errors for damaged rows.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UuidV7Schema } from '../../../server-contract/api/common.js';
import { FieldCipher } from '../../../main/recorder/field-cipher.js';
import { openGatewayDatabase, type GatewayDatabase } from '../../../main/queue/database.js';
import { PATIENTS_MIGRATIONS } from '../../../main/recorder/migrations.js';
import { PatientsStore } from '../../../main/recorder/patients-store.js';

const gatewayId = '0192a3b4-c5d6-7e8f-9a0b-1c2d3e4f5a6b';
let dataDir: string;
let db: GatewayDatabase;
let store: PatientsStore;
let clockMs: number;

function open(): PatientsStore {
  db = openGatewayDatabase(dataDir, [PATIENTS_MIGRATIONS]);
  return new PatientsStore(db, FieldCipher.forDataDir(dataDir), gatewayId, () => clockMs++);
}

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'pulsewatch-patients-'));
  clockMs = 1_763_000_000_000;
  store = open();
});

afterEach(() => {
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('PatientsStore', () => {
  it('creates patients with UUID v7 ids and lists them newest first', () => {
    const a = store.create({ studyCode: 'P001', ageYears: 54, sex: 'female', studyGroup: 'control' });
    store.create({ studyCode: 'P002' });
    expect(UuidV7Schema.safeParse(a.id).success).toBe(true);
    expect(a).toMatchObject({
      studyCode: 'P001',
      ageYears: 54,
      sex: 'female',
      studyGroup: 'control',
      gatewayId,
    });
    expect(store.list(undefined, 10).map((p) => p.studyCode)).toEqual(['P002', 'P001']);
    expect(store.list('p00', 10)).toHaveLength(2);
    expect(store.list('contr', 10).map((p) => p.id)).toEqual([a.id]);
    expect(store.list('%', 10)).toEqual([]);
  });

  it('refuses a study code already used, whatever its case', () => {
    store.create({ studyCode: 'P001' });
    expect(() => store.create({ studyCode: 'p001' })).toThrow(
      expect.objectContaining({ code: 'study_code_taken' }) as Error,
    );
  });

  it('updates fields and keeps the creation time', () => {
    const created = store.create({ studyCode: 'P001', ageYears: 54 });
    const updated = store.update(created.id, { ageYears: 55, notes: 'moved to ward B' });
    expect(updated).toMatchObject({
      ageYears: 55,
      notes: 'moved to ward B',
      createdAtMs: created.createdAtMs,
    });
    expect(updated.updatedAtMs).toBeGreaterThan(created.updatedAtMs);
  });

  it('keeps identifying details encrypted at rest and readable after reopening', () => {
    const created = store.create({
      studyCode: 'P001',
      identity: { name: 'Ada Lovelace', phone: '+44 20 7946 0000' },
    });
    db.close();
    const raw = new Database(join(dataDir, 'gateway.db'), { readonly: true });
    const row = raw.prepare('SELECT identity_enc FROM patients').get() as { identity_enc: Buffer };
    raw.close();
    expect(row.identity_enc.toString('latin1')).not.toContain('Lovelace');
    store = open();
    expect(store.get(created.id).identity).toEqual({ name: 'Ada Lovelace', phone: '+44 20 7946 0000' });
  });

  it('refuses identity ciphertext moved to another patient’s row', () => {
    const a = store.create({ studyCode: 'P001', identity: { name: 'Ada Lovelace' } });
    const b = store.create({ studyCode: 'P002', identity: { name: 'Charles Babbage' } });
    db.prepare(
      'UPDATE patients SET identity_enc = (SELECT identity_enc FROM patients WHERE id = ?) WHERE id = ?',
    ).run(a.id, b.id);
    expect(() => store.get(b.id)).toThrow();
    expect(store.get(a.id).identity?.name).toBe('Ada Lovelace');
  });

  it('reports a damaged row clearly instead of returning a wrong patient', () => {
    const created = store.create({ studyCode: 'P001' });
    db.prepare("UPDATE patients SET sex = 'alien' WHERE id = ?").run(created.id);
    expect(() => store.get(created.id)).toThrow(
      expect.objectContaining({ code: 'corrupt_patient_row' }) as Error,
    );
  });

  it('answers patient_not_found for an unknown id', () => {
    expect(() => store.get('0192a3b4-c5d6-7e8f-8a0b-1c2d3e4f5a6c')).toThrow(
      expect.objectContaining({ code: 'patient_not_found' }) as Error,
    );
  });

  it('refuses a database written by a newer schema', () => {
    db.pragma('user_version = 99');
    db.close();
    expect(() => openGatewayDatabase(dataDir, [PATIENTS_MIGRATIONS])).toThrow(/newer than this build/);
    db = openGatewayDatabase(mkdtempSync(join(tmpdir(), 'pulsewatch-patients-fresh-')), [
      PATIENTS_MIGRATIONS,
    ]);
  });
});
