/**
 * The gateway core uses the simulated devices the wiring code passes in, and nothing else: a core
 * given its own simulated ECG-12 unit connects to that unit (on a real pseudo-terminal) and
 * unplugs it on disconnect; a core given none runs unflagged, on hardware only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createGatewayCore, type GatewayCore } from '../../../main/api/gateway-core.js';
import { Ecg12PtySimulator } from '../../../main/devices/ecg12/sim/pty-simulator.js';
import { syntheticSource } from '../../../main/devices/ecg12/sim/synthetic-source.js';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startCore(options: Omit<Parameters<typeof createGatewayCore>[0], 'dataDir' | 'mode' | 'version'>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'pulsewatch-core-sim-'));
  const core: GatewayCore = createGatewayCore({ dataDir, mode: 'edge', version: 'test', ...options });
  cleanups.push(async () => {
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return core;
}

describe('simulators passed in to the gateway core', () => {
  it('connects the simulated unit it was given and unplugs it on disconnect', async () => {
    const plugged: Ecg12PtySimulator[] = [];
    const core = startCore({
      simulators: {
        ecg12: async () => {
          const sim = await Ecg12PtySimulator.start({
            sourceForRate: (rateHz) => syntheticSource(rateHz, 476.84, { seed: 3 }),
            serial: 'ECG-TEST-0042',
          });
          plugged.push(sim);
          return sim;
        },
      },
    });
    const status = await core.handlers['devices.connectEcg12']({});
    expect(status).toMatchObject({ kind: 'ecg12', serial: 'ECG-TEST-0042', simulated: true });
    expect(plugged).toHaveLength(1);
    expect(plugged[0]!.isPluggedIn).toBe(true);
    expect((await core.handlers['app.info']({})).simulated).toBe(true);

    await core.handlers['devices.disconnectEcg12']({});
    expect(plugged[0]!.isPluggedIn).toBe(false);
  });

  it('runs unflagged when given no simulators', async () => {
    const core = startCore({ listPorts: () => Promise.resolve([]) });
    expect((await core.handlers['app.info']({})).simulated).toBe(false);
    const devices = await core.handlers['devices.list']({});
    expect(devices.find((d) => d.kind === 'ecg12')).toMatchObject({
      simulated: false,
      state: 'disconnected',
    });
  });
});
