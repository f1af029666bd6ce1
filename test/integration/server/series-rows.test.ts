/**
 * Expanded rows go in through a bulk path of their own in each dialect (fixed-size prepared
 * INSERTs on SQLite, one `unnest` INSERT of array parameters on PostgreSQL). Whatever goes in
 * must come back exactly: every row count that splits into batches differently, nulls, extreme
 * integers, and text that array literals and SQL both treat as special.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyStore } from '../../../server/store/kysely-store.js';
import { openPostgresStore } from '../../../server/store/postgres.js';
import { openSqliteStore } from '../../../server/store/sqlite.js';
import type { ExpandedRows, SeriesName } from '../../../server/store/store.js';
import { startPostgres, type RunningPostgres } from './embedded-pg.js';
import { patient, recording } from './store-suite.js';

const T0 = 1_763_700_000_000;
const NASTY = [
  `'; drop table chunks; --`,
  'a "quoted" word',
  'back\\slash \\" and \\\\',
  '{braces}, commas, and (parens)',
  'NULL',
  '',
  'line\nbreak\ttab',
  'ünïcödé ✓ 心电图',
];

function rows(count: number): Required<ExpandedRows> {
  const t = (i: number) => T0 + i * 80;
  return {
    hr: Array.from({ length: count }, (_, i) => ({
      tMs: t(i),
      bpm: 30 + i / 7,
      confidence: i % 3 === 0 ? null : i % 101,
    })),
    accel: Array.from({ length: count }, (_, i) => ({
      tMs: t(i),
      xMg: i % 2 === 0 ? -2_147_483_648 + i : 2_147_483_647 - i,
      yMg: -i | 0,
      zMg: 1000,
    })),
    measurements: Array.from({ length: count }, (_, i) => ({
      tMs: t(i),
      data: { hrBpm: 60 + (i % 40), note: NASTY[i % NASTY.length]!, nested: { st: [0.1, -0.2] } },
    })),
    beats: Array.from({ length: count }, (_, i) => ({ tMs: t(i), beatClass: 'NVSQ'[i % 4]! })),
    events: Array.from({ length: count }, (_, i) => ({
      tMs: t(i),
      kind: NASTY[i % NASTY.length]!,
      endMs: i % 2 === 0 ? null : t(i) + 5000,
      data: { text: NASTY[(i + 3) % NASTY.length]! },
    })),
    battery: Array.from({ length: count }, (_, i) => ({ tMs: t(i), pct: i % 101, charging: i % 2 === 1 })),
  };
}

const SERIES: SeriesName[] = ['hr', 'accel', 'measurements', 'beats', 'events', 'battery'];
/** Row counts around the SQLite batch sizes (64, 32, …, 1), and a chunk-sized one. */
const COUNTS = [1, 2, 63, 64, 65, 127, 750];

function suite(name: string, open: () => Promise<{ store: KyselyStore; close: () => Promise<void> }>) {
  describe(`${name}: expanded rows`, () => {
    let store: KyselyStore;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ store, close } = await open());
    });
    afterAll(async () => close());

    it('reads back every row exactly as stored, in order, for every batch split', async () => {
      const p = patient();
      await store.createPatient(p);
      for (const count of COUNTS) {
        const r = recording(p.id);
        await store.createRecording(r);
        const expected = rows(count);
        const outcome = await store.putChunk({
          recordingId: r.id,
          stream: 'events',
          index: 0,
          sha256: 'a'.repeat(64),
          startMs: T0,
          endMs: T0 + count * 80 + 1,
          sampleCount: count,
          bytes: new Uint8Array([count & 255]),
          receivedAtMs: T0,
          rows: expected,
        });
        expect(outcome).toBe('stored');
        for (const series of SERIES) {
          const back = await store.seriesRows(series, r.id, { fromMs: T0, toMs: T0 + 1e9 }, 10_000);
          expect(back, `${series} × ${count}`).toEqual(expected[series]);
        }
      }
    });

    it('changes the trend version when a chunk adds trend partials, and only then', async () => {
      const p = patient();
      await store.createPatient(p);
      const r = recording(p.id);
      await store.createRecording(r);
      expect(await store.trendVersion(r.id)).toEqual({ rows: 0, chunkIndexSum: 0 });
      const chunk = (index: number, stream: string, chunkRows: ExpandedRows) => ({
        ...{ recordingId: r.id, stream, index, sha256: String(index).repeat(64), startMs: T0 },
        ...{ endMs: T0 + 60_000, sampleCount: 1, bytes: new Uint8Array([index]), receivedAtMs: T0 },
        rows: chunkRows,
      });
      const all = rows(750);
      expect(await store.putChunk(chunk(3, 'measurements', { measurements: all.measurements }))).toBe(
        'stored',
      );
      const first = await store.trendVersion(r.id);
      expect(first.rows).toBeGreaterThan(0);
      expect(first.chunkIndexSum).toBe(3 * first.rows);
      // a repeat of the same chunk and a chunk without trend values leave it as it was
      expect(await store.putChunk(chunk(3, 'measurements', { measurements: all.measurements }))).not.toBe(
        'stored',
      );
      await store.putChunk(chunk(0, 'beats', { beats: all.beats }));
      expect(await store.trendVersion(r.id)).toEqual(first);
      await store.putChunk(chunk(1, 'hr', { hr: all.hr }));
      const second = await store.trendVersion(r.id);
      expect(second.rows).toBeGreaterThan(first.rows);
      expect(second.chunkIndexSum).toBe(first.chunkIndexSum + (second.rows - first.rows));
    });

    it('stores nothing of a chunk whose rows fail to insert', async () => {
      const p = patient();
      await store.createPatient(p);
      const r = recording(p.id);
      await store.createRecording(r);
      const bad = rows(70);
      // NOT NULL violated in the 70th row: the whole chunk, blob and the rows before it, must roll back.
      (bad.accel[69] as { xMg: number | null }).xMg = null;
      const input = {
        recordingId: r.id,
        stream: 'accel',
        index: 4,
        sha256: 'b'.repeat(64),
        startMs: T0,
        endMs: T0 + 10_000,
        sampleCount: 70,
        bytes: new Uint8Array([4]),
        receivedAtMs: T0,
        rows: bad,
      };
      await expect(store.putChunk(input)).rejects.toThrow();
      expect(await store.chunkIndexes(r.id)).toEqual(new Map());
      for (const series of SERIES)
        expect(await store.seriesRows(series, r.id, { fromMs: 0, toMs: T0 + 1e9 }, 10)).toEqual([]);
      // The same chunk, repaired, then stores normally.
      expect(await store.putChunk({ ...input, rows: rows(70) })).toBe('stored');
    });

    it('gives each of many concurrent writes its own outcome, whatever the others do', async () => {
      const p = patient();
      await store.createPatient(p);
      const r = recording(p.id);
      await store.createRecording(r);
      const chunk = (index: number, sha: string, count = 5) => ({
        recordingId: r.id,
        stream: 'hr',
        index,
        sha256: sha.repeat(64),
        startMs: T0 + index * 1000,
        endMs: T0 + index * 1000 + 1000,
        sampleCount: count,
        bytes: new Uint8Array([index]),
        receivedAtMs: T0,
        rows: { hr: rows(count).hr.map((h, i) => ({ ...h, tMs: T0 + index * 1000 + i })) },
      });
      expect(await store.putChunk(chunk(0, 'a'))).toBe('stored');
      const broken = chunk(3, 'd');
      (broken.rows.hr[2] as { bpm: number | null }).bpm = null;
      // Submitted in one turn: on SQLite they share one transaction.
      const outcomes = await Promise.allSettled([
        store.putChunk(chunk(1, 'b')),
        store.putChunk(chunk(0, 'a')),
        store.putChunk(chunk(0, 'c')),
        store.putChunk(broken),
        store.putChunk({ ...chunk(4, 'e'), recordingId: uuidv7() }),
        store.putChunk(chunk(2, 'f')),
      ]);
      expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : 'failed'))).toEqual([
        'stored',
        'duplicate',
        'conflict',
        'failed',
        'failed',
        'stored',
      ]);
      expect(await store.chunkIndexes(r.id)).toEqual(new Map([['hr', [0, 1, 2]]]));
      const back = await store.seriesRows('hr', r.id, { fromMs: T0, toMs: T0 + 10_000 }, 100);
      expect(back.map((h) => h.tMs)).toEqual(
        [0, 1000, 2000].flatMap((s0) => [0, 1, 2, 3, 4].map((i) => T0 + s0 + i)),
      );
    });
  });
}

suite('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pulsewatch-rows-'));
  const store = await openSqliteStore(join(dir, 'db.sqlite'));
  return {
    store,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

let pg: RunningPostgres | undefined;
suite('postgres', async () => {
  pg = await startPostgres();
  const store = await openPostgresStore(await pg.createDatabase(`rows_${uuidv7().slice(-8)}`));
  return {
    store,
    close: async () => {
      await store.close();
      await pg?.stop();
    },
  };
});
