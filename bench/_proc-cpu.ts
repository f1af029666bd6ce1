/**
 * CPU time of a process tree read from Linux's /proc, for benchmarks that must say where the time
 * went (e.g. the PostgreSQL server and its backends beside the ingest server and load generator).
 * Off Linux, or when the process is gone, the readers return undefined.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

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

/**
 * A server child's own usage between marks: `mark()` returns the CPU ms of all its threads and
 * the ms its main thread was busy since the previous mark (or since this was made).
 */
export function usageMarks(): () => { cpuMs: number; mainBusyMs: number } {
  let cpuMark = process.cpuUsage();
  let eluMark: EventLoopUtilization = performance.eventLoopUtilization();
  return () => {
    const cpu = process.cpuUsage(cpuMark);
    const elu = performance.eventLoopUtilization(eluMark);
    cpuMark = process.cpuUsage();
    eluMark = performance.eventLoopUtilization();
    return { cpuMs: (cpu.user + cpu.system) / 1000, mainBusyMs: elu.active };
  };
}
