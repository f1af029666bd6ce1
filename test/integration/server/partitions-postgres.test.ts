import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KyselyStore } from '../../../server/store/kysely-store.js';
import { migrate, MIGRATIONS } from '../../../server/store/migrations.js';
import {
  ensurePartitions,
  isPartitioned,
  monthStart,
  partitionName,
  partitionsOf,
  PARTITIONED,
} from '../../../server/store/partitions.js';
import type { Database } from '../../../server/store/schema.js';
import { openSqliteStore } from '../../../server/store/sqlite.js';
import type { ChunkInput, Store } from '../../../server/store/store.js';
import { startPostgres, testPool, type RunningPostgres } from './embedded-pg.js';

const DAY_MS = 86_400_000;
const NOW = Date.now();
const OLD_MS = monthStart(NOW, -3) + 5 * DAY_MS;
const HR_ROWS = 4000;

let postgres: RunningPostgres;
let db: Kysely<Database>;
let store: KyselyStore;
const oldId = uuidv7({ msecs: OLD_MS });
const newId = uuidv7({ msecs: NOW });

function hrChunk(recordingId: string, startMs: number, index = 0, sha256 = 'a'.repeat(64)): ChunkInput {
  return {
    ...{ recordingId, stream: 'hr', index, sha256, startMs, endMs: startMs + HR_ROWS * 1000 },
    ...{ sampleCount: HR_ROWS, bytes: new Uint8Array([1, 2, 3]), receivedAtMs: startMs },
    rows: {
      hr: Array.from({ length: HR_ROWS }, (_, i) => ({
        tMs: startMs + i * 1000,
        bpm: 60 + (i % 40),
        confidence: 90,
      })),
    },
  };
}

async function addRecording(s: Store, id: string, startedAtMs: number): Promise<void> {
  const patientId = uuidv7({ msecs: startedAtMs });
  await s.createPatient({
    ...{
      id: patientId,
      studyCode: `P${id.slice(-6)}`,
      ageYears: null,
      sex: null,
      studyGroup: null,
      notes: null,
    },
    ...{ identitySealed: null, gatewayId: null, createdAtMs: startedAtMs, updatedAtMs: startedAtMs },
  });
  await s.createRecording({
    ...{ id, patientId, gatewayId: uuidv7(), operatorId: uuidv7(), operatorName: 'Nurse', devices: [] },
    ...{ simulated: true, startedAtMs, ecgSampleRateHz: null, mainsHz: null, createdAtMs: startedAtMs },
  });
  expect(await s.putChunk(hrChunk(id, startedAtMs))).toBe('stored');
}

/** Relations and index names a plan reads. */
function planReads(plan: unknown): { relations: string[]; indexes: string[]; nodes: string[] } {
  const out = { relations: [] as string[], indexes: [] as string[], nodes: [] as string[] };
  const walk = (node: Record<string, unknown>) => {
    out.nodes.push(String(node['Node Type']));
    if (typeof node['Relation Name'] === 'string') out.relations.push(node['Relation Name']);
    if (typeof node['Index Name'] === 'string') out.indexes.push(node['Index Name']);
    for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  walk((plan as [{ Plan: Record<string, unknown> }])[0].Plan);
  return out;
}

async function explain(text: string, parameters: unknown[]) {
  const r = await db.executeQuery<{ 'QUERY PLAN': unknown }>(
    CompiledQuery.raw(`explain (format json) ${text}`, parameters),
  );
  return planReads(r.rows[0]!['QUERY PLAN']);
}

beforeAll(async () => {
  postgres = await startPostgres();
  const url = await postgres.createDatabase('partitions');
  db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: testPool(url, 4) }),
  });
  // An existing database of the previous version, with data, before migration 10.
  await sql`create table schema_migrations (version integer primary key, name text not null, applied_at_ms bigint not null)`.execute(
    db,
  );
  for (const m of MIGRATIONS.filter((x) => x.version < 10)) {
    await m.up(db, 'postgres');
    await db
      .insertInto('schema_migrations')
      .values({ version: m.version, name: m.name, applied_at_ms: NOW })
      .execute();
  }
  store = new KyselyStore(db, 'postgres');
  await addRecording(store, oldId, OLD_MS);
  await addRecording(store, newId, NOW);
  expect(await isPartitioned(db, 'hr_rows')).toBe(false);
  expect(await migrate(db, 'postgres', () => NOW)).toEqual(
    MIGRATIONS.filter((x) => x.version >= 10).map((x) => x.version),
  );
  await sql`analyze`.execute(db);
}, 120_000);

afterAll(async () => {
  await db.destroy();
  await postgres.stop();
});

describe('PostgreSQL partitioning by recording month', () => {
  it('migrates an existing database: every table partitioned by month, every row kept', async () => {
    for (const { table } of PARTITIONED) expect(await isPartitioned(db, table)).toBe(true);
    const parts = await partitionsOf(db, 'hr_rows');
    expect(parts).toContain(partitionName('hr_rows', monthStart(OLD_MS)));
    expect(parts).toContain(partitionName('hr_rows', monthStart(NOW, 3)));
    expect(parts).toContain('hr_rows_default');
    for (const [id, start] of [
      [oldId, OLD_MS],
      [newId, NOW],
    ] as const) {
      const rows = await store.seriesRows('hr', id, { fromMs: 0, toMs: start + DAY_MS }, 10_000);
      expect(rows).toHaveLength(HR_ROWS);
      expect((await store.chunkIndexes(id)).get('hr')).toEqual([0]);
      expect((await store.trendPartials(id, { fromMs: 0, toMs: start + DAY_MS })).length).toBeGreaterThan(60);
    }
    const inOldMonth = await sql<{
      n: number;
    }>`select count(*)::int as n from ${sql.table(partitionName('hr_rows', monthStart(OLD_MS)))}`.execute(db);
    expect(inOldMonth.rows[0]!.n).toBe(HR_ROWS);
  });

  it('still stores a chunk once: a repeat is a duplicate, another hash a conflict', async () => {
    const again = hrChunk(newId, NOW);
    expect(await store.putChunk(again)).toBe('duplicate');
    expect(await store.putChunk({ ...again, sha256: 'b'.repeat(64) })).toBe('conflict');
    expect(await store.putChunk(hrChunk(newId, NOW + HR_ROWS * 1000, 1, 'c'.repeat(64)))).toBe('stored');
  });

  it('reads a time range of one recording through one partition’s time index', async () => {
    const text = `select * from "hr_rows" where "recording_id" = $1 and "t_ms" >= $2 and "t_ms" < $3 order by "t_ms", "chunk_index", "seq" limit $4`;
    const plan = await explain(text, [oldId, OLD_MS + 600_000, OLD_MS + 660_000, 10_001]);
    expect(plan.relations).toEqual([partitionName('hr_rows', monthStart(OLD_MS))]);
    expect(plan.nodes.some((n) => n.includes('Index'))).toBe(true);
    expect(plan.indexes.some((i) => i.includes('t_ms'))).toBe(true);
    expect(plan.nodes).not.toContain('Seq Scan');
    const page = await explain(
      `select "chunk_index", "blob" from "chunks" where "recording_id" = $1 and "stream" = $2 and "start_ms" < $3 and "end_ms" > $4 order by "chunk_index"`,
      [newId, 'hr', NOW + 10_000, NOW],
    );
    expect(page.relations).toEqual([partitionName('chunks', monthStart(NOW))]);
  });

  it('moves rows out of the default partition when their month’s partition is made', async () => {
    const farMs = monthStart(NOW, 14) + DAY_MS;
    const farId = uuidv7({ msecs: farMs });
    await addRecording(store, farId, farMs);
    const inDefault = await sql<{ n: number }>`select count(*)::int as n from hr_rows_default`.execute(db);
    expect(inDefault.rows[0]!.n).toBe(HR_ROWS);
    await db.transaction().execute((trx) => ensurePartitions(trx, farMs, farMs));
    const after = await sql<{ n: number }>`select count(*)::int as n from hr_rows_default`.execute(db);
    expect(after.rows[0]!.n).toBe(0);
    expect(await store.seriesRows('hr', farId, { fromMs: 0, toMs: farMs + DAY_MS }, 10_000)).toHaveLength(
      HR_ROWS,
    );
  });

  it('stores chunk blobs uncompressed in every partition, those made later too', async () => {
    const farMs = monthStart(NOW, 20) + DAY_MS;
    await db.transaction().execute((trx) => ensurePartitions(trx, farMs, farMs));
    const storage = await sql<{ relname: string; attstorage: string }>`
      select c.relname, a.attstorage from pg_attribute a join pg_class c on c.oid = a.attrelid
      where a.attname = 'blob' and c.relname like 'chunks%' and c.relkind in ('r', 'p')`.execute(db);
    expect(storage.rows.map((r) => r.relname)).toContain(partitionName('chunks', monthStart(farMs)));
    for (const r of storage.rows) expect(r.attstorage, r.relname).toBe('e');
    // A compressible blob is stored at its full size (out of line, not run through pglz).
    const id = uuidv7({ msecs: NOW });
    await addRecording(store, id, NOW);
    const blob = new Uint8Array(50_000).fill(7);
    expect(await store.putChunk({ ...hrChunk(id, NOW, 5, 'd'.repeat(64)), bytes: blob })).toBe('stored');
    const size = await sql<{ n: number }>`
      select pg_column_size(blob)::int as n from chunks where recording_id = ${id} and chunk_index = 5`.execute(
      db,
    );
    expect(size.rows[0]!.n).toBeGreaterThanOrEqual(50_000);
  });

  it('drops whole month partitions older than the retention, and their recordings', async () => {
    const cutoff = NOW - 30 * DAY_MS;
    const dry = await store.applyRetention(cutoff, true);
    expect(dry.recordings).toBe(1);
    expect(await store.getRecordingRecord(oldId)).toBeDefined();
    const done = await store.applyRetention(cutoff, false);
    expect(done.dropped.hr_rows).toBeGreaterThanOrEqual(1);
    expect(done.dropped.chunks).toBeGreaterThanOrEqual(1);
    expect(await partitionsOf(db, 'hr_rows')).not.toContain(partitionName('hr_rows', monthStart(OLD_MS)));
    expect(await store.getRecordingRecord(oldId)).toBeUndefined();
    // The recent recording keeps both its chunks (the second stored by the idempotency test).
    expect(await store.seriesRows('hr', newId, { fromMs: 0, toMs: NOW + DAY_MS }, 10_000)).toHaveLength(
      2 * HR_ROWS,
    );
  });
});

describe('SQLite retention', () => {
  it('deletes the rows of recordings started before the cutoff and keeps the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulsewatch-retention-'));
    const lite = await openSqliteStore(join(dir, 'db.sqlite'));
    try {
      await addRecording(lite, oldId, OLD_MS);
      await addRecording(lite, newId, NOW);
      const done = await lite.applyRetention(NOW - 30 * DAY_MS, false);
      expect(done.recordings).toBe(1);
      expect(done.dropped.hr_rows).toBe(HR_ROWS);
      expect(await lite.getRecordingRecord(oldId)).toBeUndefined();
      expect(await lite.seriesRows('hr', oldId, { fromMs: 0, toMs: NOW + DAY_MS }, 10_000)).toHaveLength(0);
      expect(await lite.seriesRows('hr', newId, { fromMs: 0, toMs: NOW + DAY_MS }, 10_000)).toHaveLength(
        HR_ROWS,
      );
    } finally {
      await lite.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
