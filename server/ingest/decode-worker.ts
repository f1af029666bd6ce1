/** Decode worker: runs `decodeAndExpand` for the pool in `decode-pool.ts`, replying in wire form. */
import { parentPort } from 'node:worker_threads';
import { decodeAndExpand, type DecodeRequest } from './decode-task.js';
import { toWire } from './decode-wire.js';

parentPort?.on('message', (message: { id: number; request: DecodeRequest }) => {
  try {
    const { wire, transfer } = toWire(decodeAndExpand(message.request));
    parentPort?.postMessage({ id: message.id, wire }, transfer);
  } catch (err) {
    parentPort?.postMessage({ id: message.id, failure: err instanceof Error ? err.message : String(err) });
  }
});
