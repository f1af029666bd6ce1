/**
 * The queue's tables (migration set `queue`). Items and their bytes live in separate tables so that
 * choosing the next item, counting the backlog and listing a recording never read chunk bytes.
 * Item ids come from AUTOINCREMENT: an id is never reused after its row is pruned, so `after_id`
 * and the audit keep meaning the item they named.
 */
import type { MigrationSet } from './migrate.js';

export const QUEUE_MIGRATIONS: MigrationSet = {
  name: 'queue',
  migrations: [
    `CREATE TABLE queue_items (
       id INTEGER PRIMARY KEY AUTOINCREMENT,
       kind TEXT NOT NULL CHECK (kind IN ('chunk', 'control')),
       route TEXT NOT NULL,
       order_key TEXT NOT NULL,
       recording_id TEXT,
       stream TEXT,
       chunk_index INTEGER,
       params_json TEXT NOT NULL,
       body_json TEXT,
       sha256 TEXT,
       size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
       priority INTEGER NOT NULL,
       after_id INTEGER,
       state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'acked', 'failed')),
       attempts INTEGER NOT NULL DEFAULT 0,
       created_at_ms INTEGER NOT NULL,
       next_attempt_at_ms INTEGER NOT NULL,
       last_error TEXT,
       last_status INTEGER,
       acked_at_ms INTEGER
     ) STRICT;
     CREATE UNIQUE INDEX queue_items_chunk ON queue_items (recording_id, stream, chunk_index)
       WHERE kind = 'chunk';
     CREATE INDEX queue_items_open ON queue_items (order_key, id) WHERE state IN ('pending', 'sending');
     CREATE INDEX queue_items_state ON queue_items (state, kind, size_bytes, created_at_ms);
     CREATE INDEX queue_items_recording ON queue_items (recording_id, id) WHERE recording_id IS NOT NULL;
     CREATE TABLE queue_payloads (
       item_id INTEGER PRIMARY KEY REFERENCES queue_items (id) ON DELETE CASCADE,
       bytes BLOB NOT NULL
     ) STRICT;
     CREATE TABLE queue_verified_recordings (
       recording_id TEXT PRIMARY KEY,
       verified_at_ms INTEGER NOT NULL
     ) STRICT;
     CREATE TABLE queue_audit (
       id INTEGER PRIMARY KEY,
       item_id INTEGER NOT NULL,
       route TEXT NOT NULL,
       recording_id TEXT,
       stream TEXT,
       chunk_index INTEGER,
       size_bytes INTEGER NOT NULL,
       at_ms INTEGER NOT NULL,
       outcome TEXT NOT NULL,
       status INTEGER,
       detail TEXT
     ) STRICT;`,
  ],
};
