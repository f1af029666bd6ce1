/**
 * The ingest benchmark's ceiling: the same chunks and expanded rows written straight into the
 * store's database, in the server's process (no HTTP, hashing or decoding), 20 chunks per
 * transaction, with the store's own bulk row insert.
 */
import { performance } from 'node:perf_hooks';
import { v7 as uuidv7 } from 'uuid';
import { decodeChunk } from '../server-contract/codec/index.js';
import { expandChunk } from '../server/ingest/expand.js';
import type { KyselyStore } from '../server/store/kysely-store.js';
import { insertSeriesRows } from '../server/store/series-inserts.js';
import { withRecording } from '../test/integration/server/store-recording.js';
import { T0 } from './_ingest-chunks.js';

/** One chunk of the raw insert, as the server received it. */
export interface RawItem {
  stream: string;
  index: number;
  bytes: Uint8Array;
  sha256: string;
}

/** The ceiling: the same chunks and expanded rows inserted directly, 20 chunks per transaction. */
export async function rawInsert(
  store: KyselyStore,
  recordings: RawItem[][],
): Promise<{ chunks: number; seconds: number; cpuMs: number }> {
  const prepared = [];
  for (const uploads of recordings) {
    const recordingId = uuidv7();
    await withRecording(store, recordingId, T0);
    for (const u of uploads) {
      // Rows are derived outside the timed section: the ceiling measures database writes only.
      const expanded = expandChunk(u.stream as 'ecg', decodeChunk(u.bytes));
      prepared.push({ recordingId, u, expanded });
    }
  }
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < prepared.length; i += 20) {
    const batch = prepared.slice(i, i + 20);
    await store.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('chunks')
        .values(
          batch.map(({ recordingId, u, expanded }) => ({
            recording_id: recordingId,
            stream: u.stream,
            chunk_index: u.index,
            sha256: u.sha256,
            size_bytes: u.bytes.length,
            start_ms: expanded.startMs,
            end_ms: expanded.endMs,
            sample_count: expanded.sampleCount,
            blob: u.bytes,
            received_at_ms: T0,
          })),
        )
        .execute();
      for (const { recordingId, u, expanded } of batch)
        await insertSeriesRows(trx, store.dialect, recordingId, u.index, expanded.rows);
    });
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { chunks: prepared.length, seconds, cpuMs: (cpu.user + cpu.system) / 1000 };
}
