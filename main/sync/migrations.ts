/**
 * The sync module's tables in the gateway database (migration set `sync`, applied by
 * `openGatewayDatabase` with the other modules' sets):
 *
 * - `sync_credentials`: the one enrollment this gateway holds — the server URL, the gateway's
 *   name as enrolled, its client secret (shown once by the server, exchanged for short-lived
 *   access tokens) and when it was enrolled. The database file is 0600 in a 0700 folder.
 * - `sync_verify`: recordings whose end message the server acknowledged and whose chunk list
 *   still has to be checked (`due`), or whose holes cannot be filled from here (`parked` until
 *   another of their items is acked). On disk, so a restart does not forget a check.
 */
import type { MigrationSet } from '../queue/database.js';

export const SYNC_MIGRATIONS: MigrationSet = {
  name: 'sync',
  migrations: [
    `CREATE TABLE sync_credentials (
       id INTEGER PRIMARY KEY CHECK (id = 1),
       server_url TEXT NOT NULL,
       gateway_id TEXT NOT NULL,
       gateway_name TEXT NOT NULL,
       client_secret TEXT NOT NULL,
       enrolled_at_ms INTEGER NOT NULL
     ) STRICT;
     CREATE TABLE sync_verify (
       recording_id TEXT PRIMARY KEY,
       state TEXT NOT NULL CHECK (state IN ('due', 'parked')),
       updated_at_ms INTEGER NOT NULL
     ) STRICT;`,
  ],
};
