/**
 * The project's simulated devices as the code that wires the gateway hands them to the gateway
 * core (DESIGN.md "Layout": simulators are wired in from outside, never started by `api/`).
 * `main/devices/demo-simulators.ts` builds the demo's set; tests may pass their own.
 */
import type { EventEmitter } from 'node:events';
import type { Clock } from '../base/clock.js';

/** A simulated ECG-12 unit plugged in on a port the gateway can open like a real one. */
export interface PluggedEcg12Simulator {
  /** The port path to open (a pseudo-terminal). */
  readonly path: string;
  /** Unplugs the unit and releases its port. */
  stop(): Promise<void>;
}

/** Simulated devices to use instead of hardware; a gateway given any of them runs flagged `simulated`. */
export interface DeviceSimulators {
  /** Plugs in a simulated ECG-12 unit; used when staff connect the unit without naming a port. */
  ecg12?: () => Promise<PluggedEcg12Simulator>;
  /**
   * noble bindings of a simulated Bluetooth adapter with watches on it, running on the gateway's
   * `clock` (see `bangle/sim/simulated-adapter.ts`); used instead of the real adapter.
   */
  watchBindings?: (clock: Clock) => EventEmitter;
}
