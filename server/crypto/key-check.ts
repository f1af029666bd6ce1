/**
 * Every process using one database must hold the same patient-details key: data sealed by a
 * replica with another key cannot be read by the rest (and a wrong key file after a restore would
 * do the same). The database keeps an HMAC fingerprint of the key it was first used with (never
 * the key); a server with a different key refuses to start.
 */
import { createHmac } from 'node:crypto';
import { ConfigError } from '../errors.js';
import type { Store } from '../store/store.js';

/** The fingerprint: HMAC-SHA-256 of a fixed label under the key, hex. */
export function keyFingerprint(key: Uint8Array): string {
  return createHmac('sha256', key).update('pulsewatch field-key fingerprint v1').digest('hex');
}

/** Throws `ConfigError` when the database was first used with another field key. */
export async function checkFieldKey(store: Store, fieldKey: Uint8Array, keyFile: string): Promise<void> {
  const mine = keyFingerprint(fieldKey);
  const recorded = await store.shared.claimFingerprint('field-key', mine);
  if (recorded !== mine)
    throw new ConfigError(
      'fieldKeyFile',
      `${keyFile} is not the key this database was first used with: patient details sealed with the ` +
        'other key could not be read. Give every server replica the same field-key file ' +
        '(PULSEWATCH_FIELD_KEY_FILE), or restore the key that belongs to this database.',
    );
}
