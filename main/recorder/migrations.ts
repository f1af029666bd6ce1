/**
 * The recorder's migration sets in the gateway database (`main/queue/database.ts` applies them).
 * `patients` is the first release's schema, kept byte for byte: a file of that release has
 * `user_version = 1` and is recorded as this set at version 1 without running it again.
 */
import type { MigrationSet } from '../queue/database.js';

/** Patients created on this gateway (see patients-store.ts). */
export const PATIENTS_MIGRATIONS: MigrationSet = {
  name: 'patients',
  migrations: [
    `CREATE TABLE patients (
     id TEXT PRIMARY KEY,
     study_code TEXT NOT NULL,
     study_code_key TEXT NOT NULL UNIQUE,
     age_years INTEGER,
     sex TEXT,
     study_group TEXT,
     notes TEXT,
     identity_enc BLOB,
     created_at_ms INTEGER NOT NULL,
     updated_at_ms INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX patients_created ON patients (created_at_ms DESC);`,
  ],
};
