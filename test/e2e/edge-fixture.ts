/**
 * What every edge e2e spec starts: a gateway core in a temporary data folder, served with the
 * built UI by the edge host on a free loopback port; `close` stops both and removes the folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGatewayCore, type GatewayCore, type GatewayCoreOptions } from '../../main/api/gateway-core.js';
import { ensureUiBuilt } from '../../main/edge/build-ui.js';
import { startEdgeHost, type EdgeHost } from '../../main/edge/host.js';
import { demoSimulators } from '../../main/devices/demo-simulators.js';
import type { SimEpisode } from '../../main/devices/ecg12/sim/rhythm-episodes.js';

export interface EdgeFixture {
  core: GatewayCore;
  host: EdgeHost;
  close(): Promise<void>;
}

/**
 * Starts core and host. `prepare` runs on the core before the host serves (e.g. creating a patient).
 * No serial ports are listed unless `listPorts` says otherwise; `episodes` are arrest rhythms the
 * simulated ECG-12 unit plays (rhythm-episodes.ts).
 */
export async function startEdgeFixture(
  name: string,
  options: { simulated: boolean; episodes?: readonly SimEpisode[] } & Partial<
    Pick<GatewayCoreOptions, 'listPorts' | 'version'>
  >,
  prepare: (core: GatewayCore) => Promise<unknown> = () => Promise.resolve(),
): Promise<EdgeFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), `pulsewatch-${name}-`));
  const core = createGatewayCore({
    dataDir,
    mode: 'edge',
    version: options.version ?? '0.0.0-test',
    ...(options.simulated ? { simulators: demoSimulators({ episodes: options.episodes ?? [] }) } : {}),
    listPorts: options.listPorts ?? (() => Promise.resolve([])),
  });
  await prepare(core);
  const host = await startEdgeHost({ core, staticDir: ensureUiBuilt(), host: '127.0.0.1', port: 0 });
  return {
    core,
    host,
    close: async () => {
      await host.close();
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
