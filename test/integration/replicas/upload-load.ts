/**
 * Continuous upload load through the proxy: `workers` uploaders, each sending one chunk at a time
 * (as the gateway's uploader does) with the next free index of one recording, until stopped.
 * Every answer other than 201 or 200, and every request that fails outright, is a failure.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { encoded, hrChunk } from '../server/harness.js';
import { putChunk } from './http-call.js';

/** Longest the tests wait for the load to make progress (generous: a slow machine is not a failure). */
const PROGRESS_TIMEOUT_MS = 180_000;

export interface LoadResult {
  acked: number;
  failures: string[];
}

export class UploadLoad {
  acked = 0;
  private readonly failures: string[] = [];
  private nextIndex = 0;
  private running = false;
  private workers: Promise<void>[] = [];
  private wake: (() => void)[] = [];

  constructor(
    private readonly proxyUrl: string,
    private readonly token: string,
    readonly recordingId: string,
    private readonly concurrency: number,
  ) {}

  start(): void {
    this.running = true;
    this.workers = Array.from({ length: this.concurrency }, () => this.work());
  }

  /** Stops sending, waits for the requests in flight, and returns what happened. */
  async stop(): Promise<LoadResult> {
    this.running = false;
    await Promise.all(this.workers);
    return { acked: this.acked, failures: [...this.failures] };
  }

  /** Resolves once at least `count` chunks were acknowledged. */
  untilAcked(count: number): Promise<void> {
    return this.until(() => this.acked >= count, `${count} acknowledged uploads`);
  }

  /** Resolves once `done()` holds, checked after every answer. */
  async until(done: () => boolean, what: string): Promise<void> {
    const started = Date.now();
    while (!done()) {
      if (!this.running) throw new Error(`the load stopped before ${what}`);
      if (Date.now() - started > PROGRESS_TIMEOUT_MS) throw new Error(`no ${what} within the timeout`);
      await Promise.race([new Promise<void>((wake) => this.wake.push(wake)), sleep(1_000)]);
    }
  }

  private async work(): Promise<void> {
    while (this.running) {
      const index = this.nextIndex++;
      const chunk = encoded(hrChunk(this.recordingId, index));
      try {
        const r = await putChunk(this.proxyUrl, this.token, this.recordingId, 'hr', index, chunk);
        if (r.status === 201 || r.status === 200) this.acked++;
        else this.failures.push(`chunk ${index}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
      } catch (error) {
        this.failures.push(`chunk ${index}: ${(error as Error).message}`);
      }
      for (const wake of this.wake.splice(0)) wake();
    }
  }
}
