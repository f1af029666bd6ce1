/** Decode worker: runs `decodeAndExpand` for the pool in `decode-pool.ts`. */
import { parentPort } from 'node:worker_threads';
import { decodeAndExpand, type DecodeRequest } from './decode-task.js';

parentPort?.on('message', (message: { id: number; request: DecodeRequest }) => {
  try {
    parentPort?.postMessage({ id: message.id, outcome: decodeAndExpand(message.request) });
  } catch (err) {
    parentPort?.postMessage({ id: message.id, failure: err instanceof Error ? err.message : String(err) });
  }
});
