/**
 * Patient notes sealed at rest like the identifying details (AES-256-GCM, the record id plus
 * `:notes` as associated data, so notes and identity ciphertexts cannot be swapped). The notes
 * column is TEXT in a STRICT table, so a sealed note is stored as `sealed1:` + base64; a value
 * without the prefix is a plaintext note written by an older build, which
 * {@link sealPlaintextNotes} seals in place when the store opens.
 */
import type { FieldCipher } from './field-cipher.js';
import type { GatewayDatabase } from '../queue/database.js';

const PREFIX = 'sealed1:';

const aad = (patientId: string) => `${patientId}:notes`;

/** The stored form of `notes` (null stays null). */
export function sealNotes(cipher: FieldCipher, patientId: string, notes: string | null): string | null {
  return notes === null ? null : PREFIX + cipher.seal(notes, aad(patientId)).toString('base64');
}

/** The notes of a stored value; a plaintext value (older build, not yet migrated) reads as itself. */
export function openNotes(cipher: FieldCipher, patientId: string, stored: string | null): string | null {
  if (stored === null || !stored.startsWith(PREFIX)) return stored;
  return cipher.open(Buffer.from(stored.slice(PREFIX.length), 'base64'), aad(patientId));
}

/** Seals every plaintext note in one transaction; returns how many it sealed. */
export function sealPlaintextNotes(db: GatewayDatabase, cipher: FieldCipher): number {
  const rows = db
    .prepare(
      `SELECT id, notes FROM patients WHERE notes IS NOT NULL AND substr(notes, 1, ${PREFIX.length}) <> ?`,
    )
    .all(PREFIX) as { id: string; notes: string }[];
  if (rows.length === 0) return 0;
  const update = db.prepare('UPDATE patients SET notes = ? WHERE id = ?');
  db.transaction(() => {
    for (const row of rows) update.run(sealNotes(cipher, row.id, row.notes), row.id);
  })();
  return rows.length;
}
