/**
 * The queue's tables (migration set `queue`). Items and their bytes live in separate tables so that
 * choosing the next item, counting the backlog and listing a recording never read chunk bytes.
 * Item ids come from AUTOINCREMENT: an id is never reused after its row is pruned, so `after_id`
 * and the audit keep meaning the item they named. `queue_counts` holds the items and bytes per
 * (state, kind), kept by triggers, so the UI's counters cost eight row reads however long the
 * backlog; partial indexes over the unacked items make choosing the next one and finding the
 * oldest one seeks, not scans.
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
     CREATE INDEX queue_items_state ON queue_items (state, next_attempt_at_ms);
     CREATE INDEX queue_items_open_age ON queue_items (created_at_ms) WHERE state IN ('pending', 'sending');
     CREATE INDEX queue_items_recording ON queue_items (recording_id, id) WHERE recording_id IS NOT NULL;
     CREATE TABLE queue_payloads (
       item_id INTEGER PRIMARY KEY REFERENCES queue_items (id) ON DELETE CASCADE,
       bytes BLOB NOT NULL
     ) STRICT;
     CREATE TABLE queue_verified_recordings (
       recording_id TEXT PRIMARY KEY,
       verified_at_ms INTEGER NOT NULL
     ) STRICT;
     CREATE TABLE queue_counts (
       state TEXT NOT NULL,
       kind TEXT NOT NULL,
       n INTEGER NOT NULL,
       bytes INTEGER NOT NULL,
       PRIMARY KEY (state, kind)
     ) STRICT, WITHOUT ROWID;
     INSERT INTO queue_counts (state, kind, n, bytes)
       SELECT s.value, k.value, 0, 0
       FROM json_each('["pending","sending","acked","failed"]') s, json_each('["chunk","control"]') k;
     CREATE TRIGGER queue_counts_insert AFTER INSERT ON queue_items BEGIN
       UPDATE queue_counts SET n = n + 1, bytes = bytes + NEW.size_bytes WHERE state = NEW.state AND kind = NEW.kind;
     END;
     CREATE TRIGGER queue_counts_delete AFTER DELETE ON queue_items BEGIN
       UPDATE queue_counts SET n = n - 1, bytes = bytes - OLD.size_bytes WHERE state = OLD.state AND kind = OLD.kind;
     END;
     CREATE TRIGGER queue_counts_update AFTER UPDATE OF state, kind, size_bytes ON queue_items BEGIN
       UPDATE queue_counts SET n = n - 1, bytes = bytes - OLD.size_bytes WHERE state = OLD.state AND kind = OLD.kind;
       UPDATE queue_counts SET n = n + 1, bytes = bytes + NEW.size_bytes WHERE state = NEW.state AND kind = NEW.kind;
     END;
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
