/**
 * SQLite chunk groups: chunks written in one turn share a transaction, written first without
 * savepoints; a chunk that fails makes the group be written again with one savepoint per chunk,
 * so it fails alone and the others are stored once, with their rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyStore } from '../../../server/store/kysely-store.js';
import { openSqliteStore } from '../../../server/store/sqlite.js';
import type { ChunkInput } from '../../../server/store/store.js';
import { withRecording } from './store-recording.js';

let dir: string;
let store: KyselyStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pulsewatch-chunk-group-'));
  store = await openSqliteStore(join(dir, 'db.sqlite'));
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function hrChunk(recordingId: string, index: number, sha256 = 'a'.repeat(64)): ChunkInput {
  const startMs = index * 60_000;
  return {
    recordingId,
    stream: 'hr',
    index,
    sha256,
    bytes: Uint8Array.of(1, 2, 3, index),
    receivedAtMs: 1,
    startMs,
    endMs: startMs + 60_000,
    sampleCount: 60,
    rows: {
      hr: Array.from({ length: 60 }, (_, i) => ({ tMs: startMs + i * 1000, bpm: 60 + i, confidence: 90 })),
    },
  };
}

const everything = { fromMs: 0, toMs: 10 * 60_000 };

describe('sqlite chunk groups', () => {
  it('stores every chunk of a group without failures, each answered on its own', async () => {
    await withRecording(store, 'rec-group-ok');
    const outcomes = await Promise.all([0, 1, 2].map((i) => store.putChunk(hrChunk('rec-group-ok', i))));
    expect(outcomes).toEqual(['stored', 'stored', 'stored']);
    expect((await store.chunkIndexes('rec-group-ok')).get('hr')).toEqual([0, 1, 2]);
    expect(await store.seriesRows('hr', 'rec-group-ok', everything, 1000)).toHaveLength(180);
  });

  it('fails only the chunk that fails and stores the rest of its group once', async () => {
    await withRecording(store, 'rec-group-mixed');
    // Submitted in one turn, so one group; the middle chunk names no recording (foreign key).
    const settled = await Promise.allSettled([
      store.putChunk(hrChunk('rec-group-mixed', 0)),
      store.putChunk(hrChunk('rec-group-missing', 0)),
      store.putChunk(hrChunk('rec-group-mixed', 1)),
      store.putChunk(hrChunk('rec-group-mixed', 0, 'b'.repeat(64))),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : 'failed'))).toEqual([
      'stored',
      'failed',
      'stored',
      'conflict',
    ]);
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({
      code: 'SQLITE_CONSTRAINT_FOREIGNKEY',
    });
    expect((await store.chunkIndexes('rec-group-mixed')).get('hr')).toEqual([0, 1]);
    expect(await store.seriesRows('hr', 'rec-group-mixed', everything, 1000)).toHaveLength(120);
    expect(await store.seriesRows('hr', 'rec-group-missing', everything, 1000)).toHaveLength(0);
    expect(await store.putChunk(hrChunk('rec-group-mixed', 1))).toBe('duplicate');
  });
});
