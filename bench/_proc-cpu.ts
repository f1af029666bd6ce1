/**
 * CPU time of a process tree read from Linux's /proc, for benchmarks that must say where the time
 * went (e.g. the PostgreSQL server and its backends beside the ingest server and load generator).
 * Off Linux, or when the process is gone, the readers return undefined.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';

const TICKS_PER_S = 100;

interface ProcStat {
  ppid: number;
  /** utime + stime of the process itself, ms. */
  ownMs: number;
  /** cutime + cstime: children it has waited for, ms. */
  reapedMs: number;
}

function procStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) in parentheses.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const ms = (i: number) => (Number(f[i]) * 1000) / TICKS_PER_S;
    return { ppid: Number(f[1]), ownMs: ms(11) + ms(12), reapedMs: ms(13) + ms(14) };
  } catch {
    return undefined;
  }
}

/**
 * CPU ms used so far by `rootPid` and every process below it: live descendants' own time plus
 * what the root has reaped (exited backends), so a delta over a phase is the tree's CPU in it.
 */
export function treeCpuMs(rootPid: number): number | undefined {
  const root = procStat(rootPid);
  if (root === undefined) return undefined;
  const children = new Map<number, number[]>();
  const stats = new Map<number, ProcStat>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = procStat(pid);
    if (s === undefined) continue;
    stats.set(pid, s);
    children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  }
  let total = root.ownMs + root.reapedMs;
  const stack = [...(children.get(rootPid) ?? [])];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    total += stats.get(pid)?.ownMs ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** The postmaster's pid from a PostgreSQL data folder's `postmaster.pid`, or undefined. */
export function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** CPU ms (user + system) of the calling thread so far, from /proc/thread-self/stat; undefined off Linux. */
function threadCpuMs(): number | undefined {
  try {
    const text = readFileSync('/proc/thread-self/stat', 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / TICKS_PER_S;
  } catch {
    return undefined;
  }
}

/** CPU ms so far of each of this process's threads, by thread id (Linux; empty elsewhere). */
function threadsCpuMs(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const text = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      out.set(tid, ((Number(f[11]) + Number(f[12])) * 1000) / TICKS_PER_S);
    }
  } catch {
    // A thread ended while being read, or no /proc: what was read so far.
  }
  return out;
}

/** A server child's usage between two marks (see {@link usageMarks}). */
export interface UsageMark {
  cpuMs: number;
  /** Of which in the kernel (system calls: sockets, file writes and syncs, page faults). */
  systemMs: number;
  mainBusyMs: number;
  /** CPU ms of the main thread alone (Linux; undefined elsewhere): the rest is decode workers, GC and libuv threads. */
  mainCpuMs: number | undefined;
  /** CPU ms of the other threads that used most, largest first (decode workers, GC, compiler). */
  otherThreadsMs: number[];
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

/**
 * A server child's own usage between marks: `mark()` returns the CPU ms of all its threads, the ms
 * its main thread was busy, and the event loop's delay (p99 and longest stall, ms, sampled every
 * 10 ms) since the previous mark (or since this was made).
 */
export function usageMarks(): () => UsageMark {
  let cpuMark = process.cpuUsage();
  let eluMark: EventLoopUtilization = performance.eventLoopUtilization();
  let mainMark = threadCpuMs();
  let threadsMark = threadsCpuMs();
  // How late the event loop ran a 10-ms timer: the stalls every request in flight waits through.
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  return () => {
    const cpu = process.cpuUsage(cpuMark);
    const elu = performance.eventLoopUtilization(eluMark);
    cpuMark = process.cpuUsage();
    eluMark = performance.eventLoopUtilization();
    const main = threadCpuMs();
    const mainCpuMs = main === undefined || mainMark === undefined ? undefined : main - mainMark;
    mainMark = main;
    const threads = threadsCpuMs();
    const otherThreadsMs = [...threads]
      .filter(([tid]) => tid !== String(process.pid))
      .map(([tid, ms]) => ms - (threadsMark.get(tid) ?? 0))
      .sort((a, b) => b - a)
      .slice(0, 4);
    threadsMark = threads;
    const loop = { loopDelayP99Ms: delay.percentile(99) / 1e6, loopDelayMaxMs: delay.max / 1e6 };
    delay.reset();
    return {
      cpuMs: (cpu.user + cpu.system) / 1000,
      systemMs: cpu.system / 1000,
      mainBusyMs: elu.active,
      mainCpuMs,
      otherThreadsMs,
      ...loop,
    };
  };
}

/**
 * A CPU profile of this process's main thread between marks, for finding where a phase's time
 * goes: with `dir` set, odd calls start the V8 profiler and even calls stop it and write
 * `dir/<label>-<n>.cpuprofile` (open it in Chrome DevTools or speedscope). Without `dir`, a no-op.
 */
export function drainProfiler(dir: string | undefined, label: string): () => Promise<void> {
  if (dir === undefined || dir === '') return () => Promise.resolve();
  let session: Session | undefined;
  let count = 0;
  return async () => {
    if (session === undefined) {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
      return;
    }
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    session = undefined;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${label}-${++count}.cpuprofile`), JSON.stringify(profile));
  };
}
