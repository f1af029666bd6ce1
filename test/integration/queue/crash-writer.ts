/**
 * Child process of crash.test.ts: opens the queue in `argv[2]` and, until killed, enqueues the next
 * chunks of one stream (bytes a function of the index, see queue-fixtures.ts), takes some out as
 * the uploader would and acks some. Each line is printed only after its change has committed:
 * `enqueued <id> <index> <sha256>`, `sending <id>`, `acked <id>`. Stdout to a pipe is synchronous
 * on Linux, so a printed line is in the pipe before the next change starts.
 */
import { UploadQueue } from '../../../main/queue/upload-queue.js';
import { chunkInput, openDb, RECORDING_A } from './queue-fixtures.js';

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: crash-writer.ts DATA_DIR');
const db = openDb(dataDir);
const queue = new UploadQueue(db, { quotaBytes: () => 1e12 });
const held = queue.itemsOfRecording(RECORDING_A);
let index = held.reduce((max, item) => Math.max(max, (item.chunkIndex ?? -1) + 1), 0);
process.stdout.write(`ready ${index} ${queue.recoveredSending}\n`);

for (let step = 0; ; step++) {
  const item = queue.enqueue(chunkInput(RECORDING_A, 'ecg', index, { samples: 200 + ((index * 37) % 3000) }));
  process.stdout.write(`enqueued ${item.id} ${index} ${item.sha256}\n`);
  index++;
  if (step % 3 === 2) {
    const sending = queue.next();
    if (sending !== undefined) {
      process.stdout.write(`sending ${sending.id}\n`);
      if (step % 2 === 0) {
        queue.markAcked(sending.id, { status: 201, duplicate: false });
        process.stdout.write(`acked ${sending.id}\n`);
      }
    }
  }
}
