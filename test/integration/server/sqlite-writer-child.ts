/**
 * Child process of sqlite-durability.test.ts: opens the SQLite store at argv[2] and writes chunks
 * (a blob and accelerometer rows each) as fast as the store takes them, 8 at a time, printing
 * `acked <index>` the moment each write is acknowledged, until it is killed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { openSqliteStore } from '../../../server/store/sqlite.js';
import { withRecording } from './store-recording.js';

const RECORDING_ID = 'rec-durability';

const store = await openSqliteStore(process.argv[2]!);
await withRecording(store, RECORDING_ID);

let next = 0;
async function writer(): Promise<void> {
  for (;;) {
    const index = next++;
    const bytes = randomBytes(60_000);
    const accel = Array.from({ length: 50 }, (_, i) => ({
      tMs: index * 1000 + i,
      xMg: i,
      yMg: -i,
      zMg: 1000,
    }));
    await store.putChunk({
      recordingId: RECORDING_ID,
      stream: 'accel',
      index,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes,
      receivedAtMs: 0,
      startMs: index * 1000,
      endMs: index * 1000 + 50,
      sampleCount: 50,
      rows: { accel },
    });
    process.stdout.write(`acked ${index}\n`);
  }
}
await Promise.all(Array.from({ length: 8 }, writer));
