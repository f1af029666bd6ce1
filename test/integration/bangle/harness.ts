/**
 * Shared set-up for the Bangle.js integration tests: one manual clock driving both the
 * simulated watches (behind noble's binding interface) and the gateway's link.
 */
import { BangleManager } from '../../../main/devices/bangle/bangle-manager.js';
import { loadNobleCentral } from '../../../main/devices/bangle/noble-central.js';
import { ManualClock } from '../../../main/base/clock.js';
import type {
  AccelBatch,
  BatteryRecord,
  ClockCheckEvent,
  HrRecord,
  PpgBatch,
  WatchGap,
  WatchStatus,
} from '../../../main/devices/bangle/events.js';
import {
  SimulatedBleBindings,
  type SimulatedBindingsOptions,
} from '../../../main/devices/bangle/sim/sim-bindings.js';
import {
  SimulatedWatch,
  type SimulatedWatchOptions,
} from '../../../main/devices/bangle/sim/simulated-watch.js';
import type { WatchLinkOptions } from '../../../main/devices/bangle/watch-link.js';

/** 2026-11-21T09:00:00Z: a whole second, so event grids line up with the start. */
export const START_MS = Date.UTC(2026, 10, 21, 9, 0, 0);

export interface Received {
  statuses: WatchStatus[];
  hr: HrRecord[];
  accel: AccelBatch[];
  ppg: PpgBatch[];
  battery: BatteryRecord[];
  gaps: WatchGap[];
  clock: ClockCheckEvent[];
}

export interface Harness {
  clock: ManualClock;
  bindings: SimulatedBleBindings;
  manager: BangleManager;
  received: Received;
  addWatch(options: Omit<SimulatedWatchOptions, 'address'> & { address?: string }): SimulatedWatch;
  /** Runs simulated time until `done()` or `maxMs`; throws naming `what` if it never happened. */
  until(what: string, done: () => boolean, maxMs: number): Promise<void>;
  lastStatus(): WatchStatus | undefined;
}

export async function makeHarness(
  options: { bindings?: SimulatedBindingsOptions; link?: Partial<WatchLinkOptions> } = {},
): Promise<Harness> {
  const clock = new ManualClock(START_MS);
  const bindings = new SimulatedBleBindings(clock, options.bindings);
  const received: Received = { statuses: [], hr: [], accel: [], ppg: [], battery: [], gaps: [], clock: [] };
  // Loading noble is real module I/O, so it happens before simulated time starts.
  const central = await loadNobleCentral({ clock, bindings });
  // The adapter powers on through the manual clock.
  // Backoff jitter fixed at its midpoint so reconnect times are deterministic.
  const link: Partial<WatchLinkOptions> = {
    backoff: { initialMs: 1000, maxMs: 30_000, random: () => 0.5 },
    ...options.link,
  };
  const manager = await drive(clock, BangleManager.create({ clock, central, link }));
  manager.on('status', (s) => received.statuses.push(s));
  manager.on('hr', (r) => received.hr.push(r));
  manager.on('accel', (r) => received.accel.push(r));
  manager.on('ppg', (r) => received.ppg.push(r));
  manager.on('battery', (r) => received.battery.push(r));
  manager.on('gap', (r) => received.gaps.push(r));
  manager.on('clock', (r) => received.clock.push(r));
  let watchCount = 0;
  return {
    clock,
    bindings,
    manager,
    received,
    addWatch(watchOptions) {
      watchCount += 1;
      const address = watchOptions.address ?? `e7:12:34:56:1a:${(0x2a + watchCount).toString(16)}`;
      const watch = new SimulatedWatch(clock, { ...watchOptions, address });
      bindings.addWatch(watch);
      return watch;
    },
    async until(what, done, maxMs) {
      const ok = await clock.runUntil(done, maxMs);
      if (!ok) throw new Error(`timed out (simulated ${maxMs} ms) waiting for: ${what}`);
    },
    lastStatus: () => received.statuses.at(-1),
  };
}

/** Runs `promise` to completion on the manual clock (rejects if it does not settle in `maxMs`). */
export async function drive<T>(clock: ManualClock, promise: Promise<T>, maxMs = 120_000): Promise<T> {
  let settled = false;
  let value: T | undefined;
  let error: unknown;
  promise.then(
    (v) => {
      settled = true;
      value = v;
    },
    (e: unknown) => {
      settled = true;
      error = e ?? new Error('rejected');
    },
  );
  await clock.runUntil(() => settled, maxMs);
  if (!settled) throw new Error(`operation did not settle within simulated ${maxMs} ms`);
  if (error !== undefined) throw error instanceof Error ? error : new Error(JSON.stringify(error));
  return value as T;
}
