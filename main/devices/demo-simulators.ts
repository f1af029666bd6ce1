/**
 * The demo's simulated devices (`npm run demo`, `npm run edge -- --simulate`, the desktop app's
 * `--simulate`): an ECG-12 unit on a real pseudo-terminal playing the synthetic ECG (seed 7,
 * serial ECG-SIM-0001), optionally with arrest rhythms pasted in (`episodes`:
 * ecg12/sim/rhythm-episodes.ts), and a Bluetooth adapter with the demo's two watches.
 */
import { createSimulatedAdapter } from './bangle/sim/simulated-adapter.js';
import { Ecg12PtySimulator } from './ecg12/sim/pty-simulator.js';
import { withEpisodes, type SimEpisode } from './ecg12/sim/rhythm-episodes.js';
import { syntheticSource } from './ecg12/sim/synthetic-source.js';
import type { DeviceSimulators } from './simulators.js';

/** Nanovolts per count of the simulated unit (the real unit's scale). */
const DEMO_LSB_NANOVOLTS = 476.84;

/**
 * The demo's simulators; nothing starts until the gateway asks for a device. `episodes` are
 * played in every acquisition run of the ECG-12 unit, timed from its start.
 */
export function demoSimulators(options: { episodes?: readonly SimEpisode[] } = {}): DeviceSimulators {
  return {
    ecg12: () =>
      Ecg12PtySimulator.start({
        sourceForRate: (rateHz) =>
          withEpisodes(
            syntheticSource(rateHz, DEMO_LSB_NANOVOLTS, { seed: 7 }),
            DEMO_LSB_NANOVOLTS,
            options.episodes ?? [],
          ),
        serial: 'ECG-SIM-0001',
        lsbNanovolts: DEMO_LSB_NANOVOLTS,
      }),
    watchBindings: (clock) => createSimulatedAdapter(clock).bindings,
  };
}
