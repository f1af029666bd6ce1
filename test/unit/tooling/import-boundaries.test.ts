/**
 * The import boundaries of DESIGN.md are lint errors: each case lints a one-line file placed in
 * a folder with only the boundary rules, and checks that the crossing import is reported (and
 * that the allowed direction is not). The second half covers the allow-list inside main/
 * (MAIN_LAYERS in eslint.boundaries.js).
 */
import { ESLint } from 'eslint';
import { join } from 'node:path';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { boundaries } from '../../../eslint.boundaries.js';

const repoRoot = join(import.meta.dirname, '../../..');
const eslint = new ESLint({
  cwd: repoRoot,
  overrideConfigFile: true,
  overrideConfig: [{ languageOptions: { parser: tseslint.parser } }, ...boundaries],
});

async function violations(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(repoRoot, filePath) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

const forbidden: [string, string][] = [
  ['server-contract/api/x.ts', "import { a } from '../../main/api/gateway-core.js';"],
  ['server-contract/codec/x.ts', "import { readFileSync } from 'node:fs';"],
  ['server-contract/x.ts', "import { app } from 'electron';"],
  ['main/api/x.ts', "import { a } from '../../server/app.js';"],
  ['main/devices/ecg12/x.ts', "import { a } from '../../electron/main.js';"],
  ['main/queue/x.ts', "import { app } from 'electron';"],
  ['main/dsp/x.ts', "import { a } from '../devices/record-files.js';"],
  ['main/dsp/x.ts', "import { performance } from 'node:perf_hooks';"],
  ['server/routes/x.ts', "import { a } from '../../main/dsp/qrs.js';"],
  ['server/routes/x.ts', "import { a } from '../../preload/api.js';"],
  ['renderer/src/x.tsx', "import { a } from '../../main/api/gateway-core.js';"],
  ['renderer/src/x.tsx', "import { a } from '../../server-contract/api/index.js';"],
  ['renderer/src/x.tsx', "import { readFileSync } from 'node:fs';"],
  ['preload/api.ts', "import { a } from '../main/api/gateway-core.js';"],
  ['preload/client.ts', "import { ipcRenderer } from 'electron';"],
  ['renderer/viewer/src/x.tsx', "import { a } from '../../../main/sync/uploader.js';"],
  ['renderer/viewer/src/x.tsx', "import { a } from '../../../server/app.js';"],
  ['renderer/viewer/src/x.tsx', "import type { GatewayApi } from '../../../preload/index-types.js';"],
  ['renderer/viewer/src/pages/x.tsx', "import { App } from '../../../src/App.js';"],
  ['renderer/viewer/src/x.ts', "import { readFileSync } from 'node:fs';"],
];

const allowed: [string, string][] = [
  ['main/api/x.ts', "import { a } from '../../preload/api.js';"],
  ['main/api/x.ts', "import { a } from '../../server-contract/api/index.js';"],
  ['main/electron/x.ts', "import { app } from 'electron';"],
  ['preload/index.ts', "import { contextBridge } from 'electron';"],
  ['preload/api.ts', "import { a } from '../server-contract/api/streams.js';"],
  ['server/routes/x.ts', "import { a } from '../../server-contract/api/index.js';"],
  ['renderer/src/x.tsx', "import type { GatewayApi } from '../../preload/index-types.js';"],
  ['renderer/src/ecg/x.ts', "import { a } from '../../../server-contract/formats/ecg-page.js';"],
  ['main/dsp/x.ts', "import { a } from './filters.js';"],
  ['renderer/viewer/src/x.ts', "import { routes } from '../../../server-contract/api/index.js';"],
  ['renderer/viewer/src/ecg/x.ts', "import { paintGrid } from '../../../src/ecg/draw-ecg.js';"],
];

/** Inside main/: folders each may import only what its MAIN_LAYERS row allows. */
const mainForbidden: [string, string][] = [
  // nothing imports api/ but the hosts
  ['main/recorder/x.ts', "import { a } from '../api/gateway-core.js';"],
  ['main/devices/ecg12/x.ts', "import { a } from '../../api/gateway-core.js';"],
  ['main/sync/x.ts', "import type { A } from '../api/gateway-core.js';"],
  ['main/queue/x.ts', "import { a } from '../api/event-bus.js';"],
  // api/ uses dsp/ for types only, and never starts a simulator
  ['main/api/x.ts', "import { LivePipeline } from '../dsp/pipeline.js';"],
  ['main/api/x.ts', "import { Ecg12PtySimulator } from '../devices/ecg12/sim/pty-simulator.js';"],
  ['main/api/x.ts', "import { demoSimulators } from '../devices/demo-simulators.js';"],
  ['main/api/x.ts', "import { a } from '../edge/host.js';"],
  // the recorder: devices, dsp, queue, base
  ['main/recorder/x.ts', "import { a } from '../sync/uploader.js';"],
  ['main/recorder/x.ts', "import { a } from '../devices/bangle/sim/simulated-adapter.js';"],
  // sync: queue, base (and the contract)
  ['main/sync/x.ts', "import { a } from '../recorder/recorder.js';"],
  ['main/sync/x.ts', "import { a } from '../devices/ecg12/unit.js';"],
  ['main/sync/x.ts', "import { a } from '../dsp/qrs.js';"],
  // queue: base only
  ['main/queue/x.ts', "import { a } from '../sync/uploader.js';"],
  ['main/queue/x.ts', "import { a } from '../recorder/recorder.js';"],
  // devices: base only; the device links never reach into the simulators
  ['main/devices/ecg12/x.ts', "import { a } from '../../recorder/recorder.js';"],
  ['main/devices/ecg12/x.ts', "import { a } from '../../dsp/synthetic.js';"],
  ['main/devices/bangle/x.ts', "import { a } from '../../queue/upload-queue.js';"],
  ['main/devices/ecg12/x.ts', "import { Ecg12Simulator } from './sim/simulator.js';"],
  ['main/devices/ecg12/sim/x.ts', "import { a } from '../../../recorder/recorder.js';"],
  ['main/devices/ecg12/capture.ts', "import { a } from '../../queue/upload-queue.js';"],
  // dsp/ and base/: nothing of ours
  ['main/dsp/x.ts', "import { a } from '../base/clock.js';"],
  ['main/base/x.ts', "import { a } from '../devices/ecg12/unit.js';"],
  ['main/base/x.ts', "import { a } from '../dsp/qrs.js';"],
  // report/ (to come): queue, dsp, base
  ['main/report/x.ts', "import { a } from '../recorder/recorder.js';"],
  ['main/report/x.ts', "import { a } from '../devices/ecg12/unit.js';"],
  // the hosts wire; they do not reach past api/
  ['main/edge/x.ts', "import { a } from '../recorder/recorder.js';"],
  ['main/electron/x.ts', "import { a } from '../queue/upload-queue.js';"],
  ['main/edge/x.ts', "import { a } from '../electron/main.js';"],
  // a folder with no MAIN_LAYERS row imports nothing of ours in main/
  ['main/newfolder/x.ts', "import { a } from '../base/clock.js';"],
];

const mainAllowed: [string, string][] = [
  ['main/api/x.ts', "import { Recorder } from '../recorder/recorder.js';"],
  ['main/api/x.ts', "import { Ecg12Unit } from '../devices/ecg12/unit.js';"],
  ['main/api/x.ts', "import { UploadQueue } from '../queue/upload-queue.js';"],
  ['main/api/x.ts', "import { SyncService } from '../sync/sync-service.js';"],
  ['main/api/x.ts', "import type { LeadQualityName } from '../dsp/quality.js';"],
  ['main/api/x.ts', "import type { DeviceSimulators } from '../devices/simulators.js';"],
  ['main/recorder/x.ts', "import { LivePipeline } from '../dsp/pipeline.js';"],
  ['main/recorder/x.ts', "import { UploadQueue } from '../queue/upload-queue.js';"],
  ['main/recorder/x.ts', "import type { Ecg12SamplesEvent } from '../devices/ecg12/unit.js';"],
  ['main/sync/x.ts', "import { UploadQueue } from '../queue/upload-queue.js';"],
  ['main/sync/x.ts', "import { Backoff } from '../base/backoff.js';"],
  ['main/sync/x.ts', "import { createApiClient } from '../../server-contract/api/client.js';"],
  ['main/queue/x.ts', "import { SystemClock } from '../base/clock.js';"],
  ['main/devices/ecg12/x.ts', "import { Backoff } from '../../base/backoff.js';"],
  ['main/devices/ecg12/x.ts', "import { ElectrodeSchema } from '../../../preload/schemas.js';"],
  ['main/devices/ecg12/sim/x.ts', "import { SyntheticEcg } from '../../../dsp/synthetic.js';"],
  ['main/devices/ecg12/sim/x.ts', "import { CHANNEL_COUNT } from '../protocol.js';"],
  ['main/devices/ecg12/capture.ts', "import { deriveFrame } from '../../dsp/leads.js';"],
  [
    'main/devices/demo-simulators.ts',
    "import { createSimulatedAdapter } from './bangle/sim/simulated-adapter.js';",
  ],
  ['main/report/x.ts', "import { UploadQueue } from '../queue/upload-queue.js';"],
  ['main/report/x.ts', "import { measure } from '../dsp/measure.js';"],
  ['main/edge/x.ts', "import { createGatewayCore } from '../api/gateway-core.js';"],
  ['main/edge/x.ts', "import { demoSimulators } from '../devices/demo-simulators.js';"],
  ['main/electron/x.ts', "import { createGatewayCore } from '../api/gateway-core.js';"],
  ['main/dsp/x.ts', "import { a } from '../../server-contract/api/streams.js';"],
];

describe('import boundaries', () => {
  it.each(forbidden)('reports %s importing across: %s', async (file, source) => {
    expect(await violations(file, source)).toHaveLength(1);
  });

  it.each(allowed)('allows %s: %s', async (file, source) => {
    expect(await violations(file, source)).toEqual([]);
  });

  it.each(mainForbidden)('inside main/, reports %s importing: %s', async (file, source) => {
    expect(await violations(file, source)).toHaveLength(1);
  });

  it.each(mainAllowed)('inside main/, allows %s: %s', async (file, source) => {
    expect(await violations(file, source)).toEqual([]);
  });

  it('names the rule to change in the message', async () => {
    const [message] = await violations('main/queue/x.ts', "import { a } from '../sync/uploader.js';");
    expect(message).toContain('main/queue/ may not import main/sync/ (allowed: base;');
  });
});
