/**
 * The gateway database on real SQLite files: private permissions, the integrity check that reports
 * a damaged file and leaves it exactly as it was, per-module migrations that keep data, the first
 * release's file migrated with its patients, and refusal of a file written by a newer build.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  GatewayDatabaseError,
  openGatewayDatabase,
  type MigrationSet,
} from '../../../main/queue/database.js';
import { PATIENTS_MIGRATIONS } from '../../../main/recorder/migrations.js';

const openDb = (dir: string): Database.Database => openGatewayDatabase(dir, [PATIENTS_MIGRATIONS]);

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pulsewatch-db-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const mode = (path: string): number => statSync(path).mode & 0o777;
const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

function expectCode(work: () => unknown, code: string): GatewayDatabaseError {
  let caught: unknown;
  try {
    work();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(GatewayDatabaseError);
  expect((caught as GatewayDatabaseError).code).toBe(code);
  return caught as GatewayDatabaseError;
}

/** A database with enough patient rows to span several pages, closed (checkpointed). */
function populated(dir: string): string {
  const db = openDb(dir);
  const insert = db.prepare(
    `INSERT INTO patients (id, study_code, study_code_key, notes, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, 1, 1)`,
  );
  for (let i = 0; i < 200; i++) insert.run(`id-${i}`, `P${i}`, `p${i}`, 'x'.repeat(300));
  db.close();
  return join(dir, 'gateway.db');
}

describe('openGatewayDatabase: permissions', () => {
  it('creates the folder 0700 and the file and its WAL companions 0600', () => {
    const dir = join(dataDir(), 'nested', 'data');
    const db = openDb(dir);
    db.prepare(
      "INSERT INTO patients (id, study_code, study_code_key, created_at_ms, updated_at_ms) VALUES ('a', 'P1', 'p1', 1, 1)",
    ).run();
    expect(mode(dir)).toBe(0o700);
    for (const file of ['gateway.db', 'gateway.db-wal', 'gateway.db-shm']) {
      expect(existsSync(join(dir, file))).toBe(true);
      expect(mode(join(dir, file))).toBe(0o600);
    }
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('tightens an existing folder and existing files that were left readable by others', () => {
    const dir = dataDir();
    openDb(dir).close();
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'gateway.db'), 0o644);
    writeFileSync(join(dir, 'gateway.db-shm'), '');
    chmodSync(join(dir, 'gateway.db-shm'), 0o666);
    const db = openDb(dir);
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'gateway.db'))).toBe(0o600);
    expect(mode(join(dir, 'gateway.db-shm'))).toBe(0o600);
    db.close();
  });

  it('refuses a data folder path that is a file', () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'not-a-folder'), 'x');
    expectCode(() => openDb(join(dir, 'not-a-folder')), 'cannot_open');
  });
});

describe('openGatewayDatabase: integrity check', () => {
  it('reports a file that is not a database, names it, tells IT what to do, and leaves it untouched', () => {
    const dir = dataDir();
    const file = join(dir, 'gateway.db');
    writeFileSync(file, Buffer.from('these are not the bytes of a SQLite database\n'.repeat(200)));
    const before = sha(file);
    const error = expectCode(() => openDb(dir), 'database_damaged');
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/not a SQLite database/);
    expect(error.message).toMatch(/IT: stop the gateway, copy the whole data folder/);
    expect(existsSync(file)).toBe(true);
    expect(sha(file)).toBe(before);
    // a second attempt says the same and still changes nothing
    expectCode(() => openDb(dir), 'database_damaged');
    expect(sha(file)).toBe(before);
  });

  it('reports a database with an overwritten page and leaves it byte for byte as it was', () => {
    const dir = dataDir();
    const file = populated(dir);
    const probe = new Database(file, { readonly: true });
    const { rootpage } = probe
      .prepare("SELECT rootpage FROM sqlite_master WHERE name = 'patients'")
      .get() as {
      rootpage: number;
    };
    const pageSize = probe.pragma('page_size', { simple: true }) as number;
    probe.close();
    // garbage over the patients table's root page (its b-tree header and cell pointers)
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(600, 0xa5), 0, 600, pageSize * (rootpage - 1));
    closeSync(fd);
    const before = sha(file);
    const error = expectCode(() => openDb(dir), 'database_damaged');
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/has not changed or deleted it/);
    expect(sha(file)).toBe(before);
  });

  it('opens a sound database with a WAL left by a crash, keeping the committed rows', () => {
    const dir = dataDir();
    const db = openDb(dir);
    db.prepare(
      "INSERT INTO patients (id, study_code, study_code_key, created_at_ms, updated_at_ms) VALUES ('a', 'P1', 'p1', 1, 1)",
    ).run();
    // copy the files while the connection is open: what a crash leaves behind (db + -wal)
    const crashDir = dataDir();
    for (const f of ['gateway.db', 'gateway.db-wal'])
      writeFileSync(join(crashDir, f), readFileSync(join(dir, f)));
    db.close();
    const reopened = openDb(crashDir);
    expect(reopened.prepare('SELECT study_code FROM patients').all()).toEqual([{ study_code: 'P1' }]);
    reopened.close();
  });
});

describe('openGatewayDatabase: migrations', () => {
  it('migrates the first release’s file (user_version 1) keeping its patient', () => {
    const dir = dataDir();
    mkdirSync(dir, { recursive: true });
    // exactly what the first release's openGatewayDb created
    const legacy = new Database(join(dir, 'gateway.db'));
    legacy.pragma('journal_mode = WAL');
    legacy.exec(PATIENTS_MIGRATIONS.migrations[0]!);
    legacy.pragma('user_version = 1');
    legacy
      .prepare(
        "INSERT INTO patients (id, study_code, study_code_key, age_years, created_at_ms, updated_at_ms) VALUES ('p-1', 'P001', 'p001', 54, 5, 6)",
      )
      .run();
    legacy.close();
    const db = openDb(dir);
    expect(db.prepare('SELECT id, study_code, age_years FROM patients').all()).toEqual([
      { id: 'p-1', study_code: 'P001', age_years: 54 },
    ]);
    expect(db.prepare('SELECT set_name, version FROM schema_migrations ORDER BY set_name').all()).toEqual([
      { set_name: 'patients', version: 1 },
      { set_name: 'queue', version: 1 },
    ]);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    db.close();
  });

  it('applies a later migration of a set in place, keeping its rows', () => {
    const dir = dataDir();
    const v1: MigrationSet = {
      name: 'notes',
      migrations: ['CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL) STRICT'],
    };
    let db = openGatewayDatabase(dir, [v1]);
    db.prepare("INSERT INTO notes (text) VALUES ('kept')").run();
    db.close();
    const v2: MigrationSet = {
      name: 'notes',
      migrations: [...v1.migrations, "ALTER TABLE notes ADD COLUMN tag TEXT NOT NULL DEFAULT 'none'"],
    };
    db = openGatewayDatabase(dir, [v2]);
    expect(db.prepare('SELECT text, tag FROM notes').all()).toEqual([{ text: 'kept', tag: 'none' }]);
    db.close();
  });

  it('rolls back a failing migration whole and leaves the set at its version', () => {
    const dir = dataDir();
    const v1: MigrationSet = {
      name: 'notes',
      migrations: ['CREATE TABLE notes (id INTEGER PRIMARY KEY) STRICT'],
    };
    openGatewayDatabase(dir, [v1]).close();
    const broken: MigrationSet = {
      name: 'notes',
      migrations: [...v1.migrations, 'CREATE TABLE extra (x INTEGER); SELECT * FROM missing_table'],
    };
    expect(() => openGatewayDatabase(dir, [broken])).toThrow(/missing_table/);
    const db = openGatewayDatabase(dir, [v1]);
    expect(db.prepare("SELECT version FROM schema_migrations WHERE set_name = 'notes'").get()).toEqual({
      version: 1,
    });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").get()).toBeUndefined();
    db.close();
  });

  it('refuses a set newer than this build without writing to the file', () => {
    const dir = dataDir();
    const db = openDb(dir);
    db.prepare("UPDATE schema_migrations SET version = 7 WHERE set_name = 'queue'").run();
    db.close();
    const file = join(dir, 'gateway.db');
    const before = sha(file);
    const error = expectCode(() => openDb(dir), 'schema_too_new');
    expect(error.message).toMatch(/"queue" tables at schema version 7, newer than this build \(1\)/);
    expect(sha(file)).toBe(before);
  });

  it('refuses a layout newer than this build', () => {
    const dir = dataDir();
    const db = openDb(dir);
    db.pragma('user_version = 3');
    db.close();
    expectCode(() => openDb(dir), 'schema_too_new');
  });

  it('refuses invalid migration sets', () => {
    const dir = dataDir();
    expectCode(
      () => openGatewayDatabase(dir, [{ name: 'Bad Name', migrations: ['SELECT 1'] }]),
      'invalid_migrations',
    );
    expectCode(
      () => openGatewayDatabase(dir, [PATIENTS_MIGRATIONS, PATIENTS_MIGRATIONS]),
      'invalid_migrations',
    );
  });
});
