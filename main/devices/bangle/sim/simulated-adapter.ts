/**
 * One call to get a simulated Bluetooth adapter with watches on it, for the edge-mode demo
 * and tests: pass `bindings` to `BangleManager.create({ clock, bindings })`.
 */
import type { Clock } from '../../../base/clock.js';
import { SimulatedBleBindings, type SimulatedBindingsOptions } from './sim-bindings.js';
import { SimulatedWatch, type SimulatedWatchOptions } from './simulated-watch.js';

/** The demo's watches: a Bangle.js 2 running our program, and one running only the HRS app. */
export const DEMO_WATCHES: readonly SimulatedWatchOptions[] = [
  { seed: 1, address: 'e7:5b:21:09:1a:2b' },
  { seed: 2, address: 'd4:0c:77:3e:5c:19', kind: 'hrs' },
];

export interface SimulatedAdapter {
  bindings: SimulatedBleBindings;
  watches: SimulatedWatch[];
}

/** Builds the adapter and its watches on `clock` (a `SystemClock` for a live demo). */
export function createSimulatedAdapter(
  clock: Clock,
  watches: readonly SimulatedWatchOptions[] = DEMO_WATCHES,
  options: SimulatedBindingsOptions = {},
): SimulatedAdapter {
  const bindings = new SimulatedBleBindings(clock, options);
  const created = watches.map((watchOptions) => new SimulatedWatch(clock, watchOptions));
  for (const watch of created) bindings.addWatch(watch);
  return { bindings, watches: created };
}
