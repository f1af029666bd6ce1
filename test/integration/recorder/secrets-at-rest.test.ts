/**
 * Gateway secrets at rest on real files: patient notes are sealed in gateway.db (and plaintext
 * notes of an older build are sealed when the store opens); the field key is a 0600 file in edge
 * mode, and only ever written wrapped when the desktop passes a key protector (safeStorage there;
 * here a protector that wraps with AES-256-GCM under a key held in memory, since the Electron
 * binary cannot run in this environment).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FieldCipher, type KeyProtector } from '../../../main/recorder/field-cipher.js';
import { openGatewayDatabase, type GatewayDatabase } from '../../../main/queue/database.js';
import { PATIENTS_MIGRATIONS } from '../../../main/recorder/migrations.js';
import { PatientsStore } from '../../../main/recorder/patients-store.js';

const gatewayId = '0192a3b4-c5d6-7e8f-9a0b-1c2d3e4f5a6b';
const MARKER = 'QUOKKA-NOTE-5519 lives at 1 Secret Lane';
let dataDir: string;
let db: GatewayDatabase;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'pulsewatch-at-rest-'));
  db = openGatewayDatabase(dataDir, [PATIENTS_MIGRATIONS]);
});
afterEach(() => {
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function fileText(...names: string[]): string {
  return names
    .map((name) => join(dataDir, name))
    .filter((path) => existsSync(path))
    .map((path) => readFileSync(path).toString('latin1'))
    .join('');
}

/** Wraps keys with AES-256-GCM under a key that never touches the disk (the keychain's role). */
function memoryKeychain(): KeyProtector & { wrapped: number } {
  const master = randomBytes(32);
  const protector = {
    name: 'test-keychain',
    wrapped: 0,
    protect(key: Buffer) {
      protector.wrapped += 1;
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', master, nonce);
      const body = Buffer.concat([cipher.update(key), cipher.final()]);
      return Promise.resolve(Buffer.concat([nonce, cipher.getAuthTag(), body]));
    },
    unprotect(stored: Buffer) {
      const decipher = createDecipheriv('aes-256-gcm', master, stored.subarray(0, 12));
      decipher.setAuthTag(stored.subarray(12, 28));
      return Promise.resolve(Buffer.concat([decipher.update(stored.subarray(28)), decipher.final()]));
    },
  };
  return protector;
}

describe('patient notes at rest', () => {
  it('are sealed in gateway.db and its WAL, and read back as written', () => {
    const store = new PatientsStore(db, FieldCipher.forDataDir(dataDir), gatewayId);
    const created = store.create({ studyCode: 'N001', notes: MARKER });
    expect(store.get(created.id).notes).toBe(MARKER);
    const updated = store.update(created.id, { notes: `${MARKER} (updated)` });
    expect(updated.notes).toBe(`${MARKER} (updated)`);
    expect(fileText('gateway.db', 'gateway.db-wal')).not.toContain('QUOKKA-NOTE-5519');
    const raw = db.prepare('SELECT notes FROM patients WHERE id = ?').get(created.id) as { notes: string };
    expect(raw.notes.startsWith('sealed1:')).toBe(true);
  });

  it('written in plaintext by an older build are sealed when the store opens', () => {
    db.prepare(
      `INSERT INTO patients VALUES ('0192a3b4-c5d6-7e8f-9a0b-000000000001', 'OLD1', 'old1', NULL, NULL, NULL,
         ?, NULL, 1, 1)`,
    ).run(MARKER);
    const store = new PatientsStore(db, FieldCipher.forDataDir(dataDir), gatewayId);
    const raw = db.prepare('SELECT notes FROM patients').get() as { notes: string };
    expect(raw.notes.startsWith('sealed1:')).toBe(true);
    expect(raw.notes).not.toContain('QUOKKA');
    expect(store.get('0192a3b4-c5d6-7e8f-9a0b-000000000001').notes).toBe(MARKER);
  });
});

describe('the field key', () => {
  it('is a 0600 file in edge mode (a wider mode is narrowed on open)', () => {
    FieldCipher.forDataDir(dataDir);
    const file = join(dataDir, 'field-key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    chmodSync(file, 0o644);
    FieldCipher.forDataDir(dataDir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('is only written wrapped when a protector is given, and an older plain key is wrapped and removed', async () => {
    const keychain = memoryKeychain();
    const store = new PatientsStore(db, FieldCipher.forDataDir(dataDir), gatewayId);
    const patient = store.create({ studyCode: 'K001', identity: { name: 'Maria Identifiable' } });
    const plainKey = readFileSync(join(dataDir, 'field-key'), 'utf8').trim();
    const cipher = await FieldCipher.protectedInDataDir(dataDir, keychain);
    expect(existsSync(join(dataDir, 'field-key'))).toBe(false);
    const wrapped = readFileSync(join(dataDir, 'field-key.protected'));
    expect(wrapped.toString('latin1')).not.toContain(plainKey);
    expect(wrapped.includes(Buffer.from(plainKey, 'base64'))).toBe(false);
    expect(statSync(join(dataDir, 'field-key.protected')).mode & 0o777).toBe(0o600);
    // Same key: the details sealed before still open, and reopening unwraps instead of re-creating.
    expect(new PatientsStore(db, cipher, gatewayId).get(patient.id).identity?.name).toBe(
      'Maria Identifiable',
    );
    const again = await FieldCipher.protectedInDataDir(dataDir, keychain);
    expect(new PatientsStore(db, again, gatewayId).get(patient.id).identity?.name).toBe('Maria Identifiable');
    expect(keychain.wrapped).toBe(1);
    // Another user's keychain cannot unwrap it, and says so.
    await expect(FieldCipher.protectedInDataDir(dataDir, memoryKeychain())).rejects.toThrow(/test-keychain/);
  });

  it('is created wrapped on a fresh desktop install: no plain key file ever exists', async () => {
    await FieldCipher.protectedInDataDir(dataDir, memoryKeychain());
    expect(existsSync(join(dataDir, 'field-key'))).toBe(false);
    expect(existsSync(join(dataDir, 'field-key.protected'))).toBe(true);
  });
});
