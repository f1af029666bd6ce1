/**
 * The gateway's enrollment, kept in the `sync_credentials` table: the server it enrolled with and
 * the client secret it exchanges for access tokens. A row that does not read back as valid is
 * reported (`credentials_damaged`), never silently replaced.
 */
import { z } from 'zod';
import { UuidV7Schema } from '../../server-contract/api/common.js';
import type { GatewayDatabase } from '../queue/database.js';
import { SyncError } from './errors.js';

export const CredentialsSchema = z.strictObject({
  serverUrl: z.url({ protocol: /^https?$/ }),
  gatewayId: UuidV7Schema,
  gatewayName: z.string().min(1).max(120),
  clientSecret: z.string().min(32).max(256),
  enrolledAtMs: z.number().int().min(0),
});
export type Credentials = z.infer<typeof CredentialsSchema>;

interface CredentialsRow {
  server_url: unknown;
  gateway_id: unknown;
  gateway_name: unknown;
  client_secret: unknown;
  enrolled_at_ms: unknown;
}

/** Reads and writes the one enrollment of this gateway. */
export class CredentialStore {
  constructor(private readonly db: GatewayDatabase) {}

  /** The enrollment, or null when the gateway never enrolled. */
  load(): Credentials | null {
    const row = this.db
      .prepare(
        'SELECT server_url, gateway_id, gateway_name, client_secret, enrolled_at_ms FROM sync_credentials WHERE id = 1',
      )
      .get() as CredentialsRow | undefined;
    if (row === undefined) return null;
    const parsed = CredentialsSchema.safeParse({
      serverUrl: row.server_url,
      gatewayId: row.gateway_id,
      gatewayName: row.gateway_name,
      clientSecret: row.client_secret,
      enrolledAtMs: row.enrolled_at_ms,
    });
    if (!parsed.success)
      throw new SyncError(
        'credentials_damaged',
        `the stored server credentials are damaged (${parsed.error.issues[0]?.message ?? 'invalid'}); enroll this gateway again`,
      );
    return parsed.data;
  }

  /** Replaces the enrollment (one row). */
  save(credentials: Credentials): void {
    const c = CredentialsSchema.parse(credentials);
    this.db
      .prepare(
        `INSERT INTO sync_credentials (id, server_url, gateway_id, gateway_name, client_secret, enrolled_at_ms)
         VALUES (1, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET server_url = excluded.server_url, gateway_id = excluded.gateway_id,
           gateway_name = excluded.gateway_name, client_secret = excluded.client_secret,
           enrolled_at_ms = excluded.enrolled_at_ms`,
      )
      .run(c.serverUrl, c.gatewayId, c.gatewayName, c.clientSecret, c.enrolledAtMs);
  }

  /** Forgets the enrollment. */
  clear(): void {
    this.db.prepare('DELETE FROM sync_credentials').run();
  }
}
