/**
 * The gateway's local SQLite database (better-sqlite3, WAL, synchronous FULL: a row the gateway
 * acknowledged survives a power cut). Schema changes are numbered migrations applied at open
 * and tracked in `PRAGMA user_version`; a database newer than this build is refused rather than
 * written to.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export type GatewayDatabase = Database.Database;

const MIGRATIONS: readonly string[] = [
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
];

/** Opens (creating if needed) `<dataDir>/gateway.db` and applies pending migrations. */
export function openGatewayDb(dataDir: string): GatewayDatabase {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'gateway.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    db.close();
    throw new Error(
      `gateway.db is at schema ${version}, newer than this build (${MIGRATIONS.length}): update PulseWatch`,
    );
  }
  db.transaction(() => {
    for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  })();
  return db;
}
