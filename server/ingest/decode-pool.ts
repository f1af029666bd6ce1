/**
 * A small pool of worker threads that decode and expand uploaded chunks, so a burst of large ECG
 * chunks does not hold the event loop (and every other request) while it decodes. Requests are
 * served in arrival order by whichever worker is free; past `maxQueued` waiting requests a new one
 * is refused at once with 503 `unavailable` (retry-after 1 s), so a flood cannot queue without end.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { HttpError } from '../errors.js';
import type { DecodeOutcome, DecodeRequest } from './decode-task.js';
import { fromWire, type WireOutcome } from './decode-wire.js';

interface Task {
  id: number;
  request: DecodeRequest;
  resolve: (outcome: DecodeOutcome) => void;
  reject: (err: Error) => void;
}

/**
 * The bytes as the worker should receive them. Structured clone copies the whole ArrayBuffer
 * behind a view, which for a body Buffer is the body itself (bodies over 4 KiB get a buffer of
 * their own) or Node's 8 KiB pool slab: cloning that costs ~15-25 µs of main-thread CPU for a
 * 300 KB ECG chunk, against ~80-180 µs for allocating a fresh copy to transfer (a new large
 * buffer is zero-filled and faulted in page by page). Only a small view on a much larger buffer
 * is copied down to its own bytes first, so a clone never drags unrelated memory along.
 */
export function ownBytes(bytes: Uint8Array): Uint8Array {
  const behind = bytes.buffer.byteLength;
  return behind <= Math.max(2 * bytes.byteLength, 16_384) ? bytes : new Uint8Array(bytes);
}

type Reply = { id: number; wire: WireOutcome } | { id: number; failure: string };

export class DecodePool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Task>();
  private readonly queue: Task[] = [];
  private nextId = 0;
  private closed = false;

  /** `size` workers (at least 1); at most `maxQueued` requests wait for one (default 64 per worker). */
  constructor(
    size: number,
    private readonly maxQueued = 64 * Math.max(1, size),
  ) {
    const self = fileURLToPath(import.meta.url);
    const entry = new URL(`./decode-worker${extname(self)}`, import.meta.url).href;
    for (let i = 0; i < Math.max(1, size); i++) this.spawn(entry);
  }

  private spawn(entry: string): void {
    const worker = new Worker(new URL('./decode-worker-boot.mjs', import.meta.url), {
      workerData: { entry },
    });
    worker.on('message', (reply: Reply) => this.finish(worker, reply));
    worker.on('error', (err) => {
      const task = this.busy.get(worker);
      this.busy.delete(worker);
      task?.reject(err);
      if (!this.closed) this.spawn(entry);
    });
    this.idle.push(worker);
    this.pump();
  }

  private finish(worker: Worker, reply: Reply): void {
    const task = this.busy.get(worker);
    this.busy.delete(worker);
    this.idle.push(worker);
    if (task) {
      if ('wire' in reply) task.resolve(fromWire(reply.wire));
      else task.reject(new Error(`decode worker failed: ${reply.failure}`));
    }
    this.pump();
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.shift()!;
      const task = this.queue.shift()!;
      this.busy.set(worker, task);
      const bytes = ownBytes(task.request.bytes);
      const request = bytes === task.request.bytes ? task.request : { ...task.request, bytes };
      worker.postMessage({ id: task.id, request });
    }
  }

  /** Chunks queued or being decoded. */
  get inFlight(): number {
    return this.busy.size + this.queue.length;
  }

  decode(request: DecodeRequest): Promise<DecodeOutcome> {
    if (this.closed) return Promise.reject(new Error('decode pool is closed'));
    if (this.queue.length >= this.maxQueued) {
      return Promise.reject(
        new HttpError(503, 'unavailable', 'every chunk decoder is busy; retry shortly', undefined, {
          'retry-after': '1',
        }),
      );
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, request, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
