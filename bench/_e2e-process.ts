/**
 * Process plumbing for the e2e-sync benchmark: the gateway child (bench/_e2e-gateway.ts) driven
 * by JSON lines, and what Linux's /proc says about a process (CPU seconds, RSS and its
 * high-water mark) — read from outside, so the figures do not depend on the process reporting
 * them honestly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { NODE_TS, REPO_ROOT } from '../test/integration/chaos/server-process.js';

/** One report line of the gateway child. */
export type ChildMessage = Record<string, unknown> & { type: string };

export class GatewayChild {
  private readonly inbox: ChildMessage[] = [];
  private waiter: (() => void) | undefined;
  private exitCode: number | null | undefined;
  readonly stderr: string[] = [];

  private constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const message = JSON.parse(line) as ChildMessage;
        if (typeof message.type === 'string') this.inbox.push(message);
      } catch {
        return; // not a report (a library writing to stdout)
      }
      this.waiter?.();
    });
    child.stderr!.on('data', (data: Buffer) => {
      this.stderr.push(data.toString('utf8'));
      if (this.stderr.length > 100) this.stderr.shift();
    });
    child.on('exit', (code) => {
      this.exitCode = code;
      this.waiter?.();
    });
  }

  static start(dataDir: string, config: unknown): GatewayChild {
    const child = spawn(
      NODE_TS[0],
      [...NODE_TS.slice(1), join(REPO_ROOT, 'bench/_e2e-gateway.ts'), dataDir, JSON.stringify(config)],
      { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    return new GatewayChild(child);
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('the gateway process did not start');
    return this.child.pid;
  }

  send(command: Record<string, unknown>): void {
    this.child.stdin!.write(`${JSON.stringify(command)}\n`);
  }

  /** The next report of `type` (an `error` report, or the process exiting, rejects). */
  async next(type: string, timeoutMs: number): Promise<ChildMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const failed = this.inbox.find((m) => m.type === 'error');
      if (failed !== undefined) throw new Error(`the gateway process failed: ${String(failed.message)}`);
      const index = this.inbox.findIndex((m) => m.type === type);
      if (index >= 0) return this.inbox.splice(index, 1)[0]!;
      if (this.exitCode !== undefined)
        throw new Error(
          `the gateway process exited (${this.exitCode}); stderr:\n${this.stderr.join('').slice(-3000)}`,
        );
      if (Date.now() > deadline)
        throw new Error(`no "${type}" from the gateway within ${timeoutMs / 1000} s`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
  }

  /** Waits for the exit after `close`; kills it (SIGKILL) if it has not gone after `graceMs`. */
  async exited(graceMs: number): Promise<void> {
    if (this.exitCode !== undefined) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  kill(): void {
    if (this.exitCode === undefined) this.child.kill('SIGKILL');
  }
}

const CLOCK_TICKS_PER_S = 100; // USER_HZ on Linux

/** CPU seconds (user + system, all threads) of a live process, from /proc/PID/stat. */
export function procCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // after "pid (comm) ": state is field 3, utime 14, stime 15 (1-based in proc(5))
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
}

/** Current RSS and its high-water mark, MB (10^6 bytes), from /proc/PID/status. */
export function procMemoryMb(pid: number): { rssMb: number; hwmMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: (kib('VmRSS') * 1024) / 1e6, hwmMb: (kib('VmHWM') * 1024) / 1e6 };
}

/** The pid of this process's child whose command line contains `needle` (e.g. the server). */
export function childPid(needle: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  return undefined;
}
