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

/**
 * Recordings and their state, each stream's sealed-chunk count and the end of its last durable
 * sample, the journal of open chunks (what arrived from a device and is durable but not yet
 * sealed), the gateway's operators, and which patients have been queued for the server.
 */
export const RECORDER_MIGRATIONS: MigrationSet = {
  name: 'recorder',
  migrations: [
    `CREATE TABLE recordings (
       id TEXT PRIMARY KEY,
       patient_id TEXT NOT NULL,
       study_code TEXT NOT NULL,
       operator_json TEXT NOT NULL,
       devices_json TEXT NOT NULL,
       simulated INTEGER NOT NULL,
       started_at_ms INTEGER NOT NULL,
       ecg_sample_rate_hz REAL,
       mains_hz INTEGER,
       state TEXT NOT NULL CHECK (state IN ('recording', 'interrupted', 'ended')),
       ended_at_ms INTEGER,
       end_reason TEXT,
       summary_json TEXT,
       totals_json TEXT NOT NULL,
       last_alive_ms INTEGER NOT NULL,
       create_item_id INTEGER
     ) STRICT;
     CREATE INDEX recordings_state ON recordings (state);
     CREATE TABLE recording_streams (
       recording_id TEXT NOT NULL REFERENCES recordings (id),
       stream TEXT NOT NULL,
       sealed_chunks INTEGER NOT NULL,
       last_end_ms REAL,
       PRIMARY KEY (recording_id, stream)
     ) STRICT;
     CREATE TABLE journal (
       seq INTEGER PRIMARY KEY AUTOINCREMENT,
       recording_id TEXT NOT NULL REFERENCES recordings (id),
       stream TEXT NOT NULL,
       chunk_index INTEGER NOT NULL,
       header_json TEXT NOT NULL,
       first_index INTEGER,
       set_count INTEGER,
       gap_cause TEXT,
       payload BLOB NOT NULL
     ) STRICT;
     CREATE INDEX journal_chunk ON journal (recording_id, stream, chunk_index, seq);
     CREATE TABLE operators (
       id TEXT PRIMARY KEY,
       name TEXT NOT NULL,
       name_key TEXT NOT NULL UNIQUE
     ) STRICT;
     CREATE TABLE patient_sync (
       patient_id TEXT PRIMARY KEY,
       create_item_id INTEGER NOT NULL
     ) STRICT;`,
    `ALTER TABLE recordings ADD COLUMN void_reason TEXT;`,
  ],
};
