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
 * A byte buffer shared with one worker, reused chunk after chunk: the main thread copies the
 * upload into it and posts a view, which crosses without being serialised. Structured clone of a
 * 300 KB ECG body costs ~35-100 µs of CPU (serialised on this thread, rebuilt on the worker's)
 * against ~27 µs for this copy; allocating a fresh copy to transfer costs ~80-180 µs (a new
 * large buffer is zero-filled and faulted in page by page). The worker reads it only while it
 * holds the task, and keeps no view of it past its reply. It grows to the largest chunk the
 * worker has been handed (rounded up to a power of two, from 512 KiB; the body limit bounds it).
 */
export function sharedView(
  shared: Uint8Array<SharedArrayBuffer> | undefined,
  bytes: Uint8Array,
): Uint8Array<SharedArrayBuffer> {
  let buffer = shared?.buffer;
  if (buffer === undefined || buffer.byteLength < bytes.byteLength) {
    let size = 512 * 1024;
    while (size < bytes.byteLength) size *= 2;
    buffer = new SharedArrayBuffer(size);
  }
  const view = new Uint8Array(buffer, 0, bytes.byteLength);
  view.set(bytes);
  return view;
}

type Reply = { id: number; wire: WireOutcome } | { id: number; failure: string };

export class DecodePool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Task>();
  /** Each worker's shared byte buffer (see {@link sharedView}). */
  private readonly shared = new Map<Worker, Uint8Array<SharedArrayBuffer>>();
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
      this.shared.delete(worker);
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
      const bytes = sharedView(this.shared.get(worker), task.request.bytes);
      this.shared.set(worker, bytes);
      worker.postMessage({ id: task.id, request: { ...task.request, bytes } });
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
    this.shared.clear();
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
