/**
 * The recorder's tables in the gateway database (a migration set applied by
 * `openGatewayDatabase`): recordings and their state, each stream's sealed-chunk count, the
 * journal of open chunks (what arrived from a device and is durable but not yet sealed), the
 * gateway's operators, and which patients have been queued for the server.
 */
export const RECORDER_MIGRATIONS = {
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
  ],
} as const;
