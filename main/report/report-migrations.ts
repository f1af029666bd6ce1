/**
 * The reports table (migration set `reports` of the gateway database): one row per PDF made on
 * this gateway, pointing at the queue item that uploads it. The PDF bytes live in the queue item
 * (`reports.upload`), not twice.
 */
import type { MigrationSet } from '../queue/database.js';

export const REPORT_MIGRATIONS: MigrationSet = {
  name: 'reports',
  migrations: [
    `CREATE TABLE reports (
       id TEXT PRIMARY KEY,
       recording_id TEXT NOT NULL,
       created_at_ms INTEGER NOT NULL,
       title TEXT NOT NULL,
       paper TEXT NOT NULL CHECK (paper IN ('A4', 'Letter')),
       page_count INTEGER NOT NULL CHECK (page_count >= 1),
       segment_start_ms INTEGER,
       segment_chosen_by TEXT CHECK (segment_chosen_by IN ('staff', 'good_signal', 'last_signal')),
       simulated INTEGER NOT NULL,
       size_bytes INTEGER NOT NULL,
       sha256 TEXT NOT NULL,
       queue_item_id INTEGER NOT NULL
     ) STRICT;
     CREATE INDEX reports_recording ON reports (recording_id, created_at_ms DESC);`,
  ],
};
