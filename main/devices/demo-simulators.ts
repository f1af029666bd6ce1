/**
 * The demo's simulated devices (`npm run demo`, `npm run edge -- --simulate`, the desktop app's
 * `--simulate`): an ECG-12 unit on a real pseudo-terminal playing the synthetic ECG (seed 7,
 * serial ECG-SIM-0001), and a Bluetooth adapter with the demo's two watches.
 */
import { createSimulatedAdapter } from './bangle/sim/simulated-adapter.js';
import { Ecg12PtySimulator } from './ecg12/sim/pty-simulator.js';
import { syntheticSource } from './ecg12/sim/synthetic-source.js';
import type { DeviceSimulators } from './simulators.js';

/** Nanovolts per count of the simulated unit (the real unit's scale). */
const DEMO_LSB_NANOVOLTS = 476.84;

/** The demo's simulators; nothing starts until the gateway asks for a device. */
export function demoSimulators(): DeviceSimulators {
  return {
    ecg12: () =>
      Ecg12PtySimulator.start({
        sourceForRate: (rateHz) => syntheticSource(rateHz, DEMO_LSB_NANOVOLTS, { seed: 7 }),
        serial: 'ECG-SIM-0001',
        lsbNanovolts: DEMO_LSB_NANOVOLTS,
      }),
    watchBindings: (clock) => createSimulatedAdapter(clock).bindings,
  };
}
