// Worker entry: loads decode-worker.ts through tsx when the server runs from source
// (npm run server), or decode-worker.js after `tsc -b`.
import { workerData } from 'node:worker_threads';

if (workerData.entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
