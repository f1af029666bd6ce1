/**
 * Schema migrations of the gateway database, one numbered list per module (patients and the
 * recorder's journal, the queue, sync state), tracked per set in `schema_migrations`.
 *
 * `PRAGMA user_version` holds the file's *layout*: 0 a new file, 1 the first release's file (one
 * list of migrations, the patients set at version 1), 2 the per-set table. A layout or a set newer
 * than this build is refused before anything is written, so an older build never damages a file
 * a newer one wrote. Each set's pending migrations run in one transaction: a failure leaves the
 * set at its previous version with its data.
 */
import type Database from 'better-sqlite3';
import { GatewayDatabaseError } from './database-errors.js';

/** A module's migrations: SQL per version, in order (index 0 brings the set to version 1). */
export interface MigrationSet {
  /** Lower-case name, unique among the sets (`patients`, `queue`, `sync`, …). */
  name: string;
  migrations: readonly string[];
}

/** `user_version` of a file whose sets are tracked in `schema_migrations`. */
export const LAYOUT_VERSION = 2;

/** The first release kept one list (the patients table) in `user_version`: it is this set at v1. */
const LEGACY_SET = 'patients';

const SET_NAME = /^[a-z][a-z0-9_]{0,31}$/;

function checkSets(sets: readonly MigrationSet[]): void {
  const names = new Set<string>();
  for (const set of sets) {
    if (!SET_NAME.test(set.name) || names.has(set.name) || set.migrations.length === 0) {
      throw new GatewayDatabaseError(
        'invalid_migrations',
        `Migration set "${set.name}" is invalid: names are unique lower-case words and a set has at least one migration.`,
      );
    }
    names.add(set.name);
  }
}

function tooNew(file: string, what: string, fileVersion: number, buildVersion: number): GatewayDatabaseError {
  return new GatewayDatabaseError(
    'schema_too_new',
    `${file} holds ${what} at schema version ${fileVersion}, newer than this build (${buildVersion}): ` +
      `it was written by a newer PulseWatch. Install that version or newer; the file was not changed.`,
  );
}

/** Brings a file of layout 0 or 1 to the per-set layout (one transaction). */
function upgradeLayout(db: Database.Database, file: string): void {
  const layout = db.pragma('user_version', { simple: true }) as number;
  if (layout > LAYOUT_VERSION) throw tooNew(file, 'its layout', layout, LAYOUT_VERSION);
  if (layout === LAYOUT_VERSION) return;
  db.transaction(() => {
    db.exec(`CREATE TABLE schema_migrations (
               set_name TEXT PRIMARY KEY,
               version INTEGER NOT NULL CHECK (version >= 0),
               applied_at_ms INTEGER NOT NULL
             ) STRICT`);
    if (layout === 1) {
      db.prepare('INSERT INTO schema_migrations VALUES (?, 1, ?)').run(LEGACY_SET, Date.now());
    }
    db.pragma(`user_version = ${LAYOUT_VERSION}`);
  })();
}

function appliedVersions(db: Database.Database): Map<string, number> {
  const rows = db.prepare('SELECT set_name, version FROM schema_migrations').all() as {
    set_name: string;
    version: number;
  }[];
  return new Map(rows.map((r) => [r.set_name, r.version]));
}

/**
 * Applies every set's pending migrations. Sets in the file that are not passed are left alone
 * (another module's tables); a set whose version in the file exceeds its list is refused.
 */
export function applyMigrations(db: Database.Database, file: string, sets: readonly MigrationSet[]): void {
  checkSets(sets);
  upgradeLayout(db, file);
  const applied = appliedVersions(db);
  for (const set of sets) {
    const version = applied.get(set.name) ?? 0;
    if (version > set.migrations.length) {
      throw tooNew(file, `the "${set.name}" tables`, version, set.migrations.length);
    }
  }
  const record = db.prepare(
    `INSERT INTO schema_migrations (set_name, version, applied_at_ms) VALUES (?, ?, ?)
     ON CONFLICT (set_name) DO UPDATE SET version = excluded.version, applied_at_ms = excluded.applied_at_ms`,
  );
  for (const set of sets) {
    const from = applied.get(set.name) ?? 0;
    if (from === set.migrations.length) continue;
    db.transaction(() => {
      for (let v = from; v < set.migrations.length; v++) db.exec(set.migrations[v]!);
      record.run(set.name, set.migrations.length, Date.now());
    })();
  }
}
