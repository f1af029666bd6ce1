/**
 * The desk's migration set in the gateway database (`main/queue/database.ts` applies it after the
 * recorder's, whose `operators` table it extends): operators' PIN hashes, the desk session (who is
 * signed in, the chosen patient, the lock), which patient each paired watch records for, and
 * retired operators.
 */
import type { MigrationSet } from '../queue/database.js';

export const DESK_MIGRATIONS: MigrationSet = {
  name: 'desk',
  migrations: [
    `ALTER TABLE operators ADD COLUMN pin_hash TEXT;
     CREATE TABLE desk_session (
       id INTEGER PRIMARY KEY CHECK (id = 1),
       operator_id TEXT,
       patient_id TEXT,
       locked INTEGER NOT NULL DEFAULT 0
     ) STRICT;
     INSERT INTO desk_session (id, operator_id, patient_id, locked) VALUES (1, NULL, NULL, 0);
     CREATE TABLE watch_bindings (
       address TEXT PRIMARY KEY,
       patient_id TEXT NOT NULL,
       name TEXT NOT NULL,
       transport TEXT NOT NULL CHECK (transport IN ('uart', 'hrs')),
       bound_at_ms INTEGER NOT NULL
     ) STRICT;`,
    // an operator who leaves is retired, not deleted: recordings keep naming them
    `ALTER TABLE operators ADD COLUMN retired_at_ms INTEGER;`,
  ],
};
