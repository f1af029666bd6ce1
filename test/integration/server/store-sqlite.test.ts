import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../server/store/migrations.js';
import { openSqliteStore } from '../../../server/store/sqlite.js';
import type { KyselyStore } from '../../../server/store/kysely-store.js';
import { storeSuite } from './store-suite.js';

let dir: string;
let store: KyselyStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pulsewatch-store-'));
  store = await openSqliteStore(join(dir, 'db.sqlite'));
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

storeSuite('sqlite', () => store);

describe('sqlite migrations', () => {
  it('applies nothing twice when the database is reopened', async () => {
    const path = join(dir, 'again.sqlite');
    const first = await openSqliteStore(path);
    await first.close();
    const second = await openSqliteStore(path);
    const versions = await second.db
      .selectFrom('schema_migrations')
      .select('version')
      .orderBy('version')
      .execute();
    expect(versions.map((v) => v.version)).toEqual(MIGRATIONS.map((m) => m.version));
    await second.close();
  });
});

describe('sqlite query plans', () => {
  it('pages one recording’s or one patient’s reports from an index, without sorting', async () => {
    for (const [column, index] of [
      ['recording_id', 'reports_recording_id'],
      ['patient_id', 'reports_patient_id'],
    ] as const) {
      const plan = await sql<{ detail: string }>`explain query plan
        select id from reports where ${sql.ref(column)} = ${'x'} and id < ${'y'} order by id desc limit 51`.execute(
        store.db,
      );
      const text = plan.rows.map((r) => r.detail).join('; ');
      expect(text).toContain(index);
      expect(text).not.toContain('TEMP B-TREE');
    }
  });
});
