/**
 * Drives `gateway-child.ts`: calls of the gateway API over the child's stdin/stdout, its events,
 * and the blunt end of a process — `kill9()` — or a graceful stop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { GatewayApi } from '../../../preload/api.js';
import type { CallInput, CallName, CallOutput } from '../../../preload/define.js';
import { NODE_TS, REPO_ROOT, waitForOutput } from './server-process.js';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class GatewayCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'GatewayCallError';
  }
}

export class GatewayProcess {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  readonly events: { event: string; payload: unknown }[] = [];
  readonly stderr: string[] = [];
  private exited = false;

  private constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => this.onLine(line));
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr.push(chunk.toString('utf8'));
      if (this.stderr.length > 200) this.stderr.shift();
    });
    child.on('exit', () => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(new Error('the gateway process exited'));
      this.pending.clear();
    });
  }

  static async start(dataDir: string): Promise<GatewayProcess> {
    const child = spawn(
      NODE_TS[0],
      [...NODE_TS.slice(1), join(REPO_ROOT, 'test/integration/chaos/gateway-child.ts'), dataDir],
      {
        cwd: REPO_ROOT,
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    const gateway = new GatewayProcess(child);
    await waitForOutput(child, /"ready":"([0-9a-f-]+)"/, 'the gateway process');
    return gateway;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Calls the gateway API; rejects with GatewayCallError when the call fails. */
  call<K extends CallName<GatewayApi>>(
    name: K,
    input: CallInput<GatewayApi, K>,
  ): Promise<CallOutput<GatewayApi, K>> {
    if (this.exited) return Promise.reject(new Error('the gateway process has exited'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve, reject });
      this.child.stdin!.write(`${JSON.stringify({ id, call: name, input })}\n`);
    });
  }

  /** Polls `check` every 250 ms until it returns a value, or fails after `timeoutMs`. */
  async until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; stderr:\n${this.stderr.join('').slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** kill -9: no chance to flush, seal or say goodbye. */
  async kill9(): Promise<void> {
    if (this.exited) return;
    await new Promise<void>((done) => {
      this.child.once('exit', () => done());
      this.child.kill('SIGKILL');
    });
  }

  /** A graceful stop (SIGTERM): the core closes, sealing what it holds. */
  async stop(): Promise<void> {
    if (this.exited) return;
    await new Promise<void>((done) => {
      this.child.once('exit', () => done());
      this.child.kill('SIGTERM');
    });
  }

  private onLine(line: string): void {
    let message: {
      id?: number;
      result?: unknown;
      error?: { code: string; message: string };
      event?: string;
      payload?: unknown;
    };
    try {
      message = JSON.parse(line) as typeof message;
    } catch {
      return; // not ours (a library printing to stdout)
    }
    if (message.event !== undefined) {
      this.events.push({ event: message.event, payload: message.payload });
      return;
    }
    if (message.id === undefined) return;
    const pending = this.pending.get(message.id);
    if (pending === undefined) return;
    this.pending.delete(message.id);
    if (message.error !== undefined)
      pending.reject(new GatewayCallError(message.error.code, message.error.message));
    else pending.resolve(message.result);
  }
}
