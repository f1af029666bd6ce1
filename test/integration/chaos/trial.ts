/**
 * One chaos trial with real processes: the ingest server (child), a proxy that cuts connections,
 * and the gateway core (child) recording from the simulated ECG-12 unit and uploading through the
 * proxy. At seeded random moments the gateway is killed with SIGKILL and started again (staff
 * continue the interrupted recording), and the server is stopped for a while or killed. At the
 * end the recording is stopped, the gateway drains its queue, and what the server holds is
 * checked against what the simulator produced (verify.ts). `npm test` runs a short trial;
 * `npm run bench -- chaos --trials N --seed S` runs many.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FaultProxy, seededRandom } from './fault-proxy.js';
import { GatewayProcess } from './gateway-process.js';
import { ServerProcess } from './server-process.js';
import { checkRecording, type RecordingCheck } from './verify.js';

export interface TrialOptions {
  seed: number;
  workDir: string;
  /** Gateway kill -9 and restarts. */
  kills: number;
  /** Chance, at each kill, that the server is also stopped (half of those with SIGKILL) for a while. */
  serverOutageProbability: number;
  /** Chance that a proxied connection is cut mid-request or mid-response. */
  cutProbability: number;
  /** Recording between faults, seconds (uniform in the range). */
  upSeconds: [number, number];
  ecgChunkSeconds: number;
  log?: (line: string) => void;
}

export interface TrialResult extends RecordingCheck {
  seed: number;
  kills: number;
  serverOutages: number;
  cutConnections: number;
  failedItems: number;
  wallSeconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startRecordingGateway(dir: string, proxyUrl: string, server: ServerProcess, chunkS: number) {
  const gw = await GatewayProcess.start(dir);
  await gw.call('settings.update', { ecgChunkSeconds: chunkS, watchChunkSeconds: chunkS });
  const code = await server.enrollmentCode();
  await gw.call('sync.enroll', { serverUrl: proxyUrl, code });
  const patient = await gw.call('patients.create', { studyCode: 'CHAOS1' });
  await gw.call('devices.connectEcg12', {});
  await waitStreaming(gw);
  const recording = await gw.call('recording.start', { patientId: patient.id, operatorName: 'Chaos Monkey' });
  return { gw, recordingId: recording.id };
}

async function waitStreaming(gw: GatewayProcess): Promise<void> {
  await gw.until('the ECG-12 unit streaming', async () => {
    const devices = await gw.call('devices.list', {});
    return devices.some((d) => d.kind === 'ecg12' && d.state === 'streaming') ? true : undefined;
  });
}

export async function runTrial(o: TrialOptions): Promise<TrialResult> {
  const started = Date.now();
  const random = seededRandom(o.seed);
  const uniform = ([a, b]: [number, number]) => a + (b - a) * random();
  const log = o.log ?? (() => undefined);
  const gatewayDir = join(o.workDir, 'gateway');
  mkdirSync(gatewayDir, { recursive: true });
  const server = await ServerProcess.start(join(o.workDir, 'server'));
  const proxy = await FaultProxy.start(Number(new URL(server.url).port), o.seed);
  let gw: GatewayProcess | undefined;
  let outages = 0;
  try {
    const first = await startRecordingGateway(gatewayDir, proxy.url, server, o.ecgChunkSeconds);
    gw = first.gw;
    proxy.cutProbability = o.cutProbability;
    log(`trial ${o.seed}: recording ${first.recordingId}`);
    for (let k = 0; k < o.kills; k++) {
      await sleep(uniform(o.upSeconds) * 1000);
      if (random() < o.serverOutageProbability) {
        outages++;
        const signal = random() < 0.5 ? 'SIGKILL' : 'SIGTERM';
        log(`trial ${o.seed}: server ${signal}`);
        await server.stop(signal);
        await sleep(uniform([0.5, 3]) * 1000);
        await server.run();
      }
      log(`trial ${o.seed}: kill -9 gateway (${k + 1}/${o.kills})`);
      await gw.kill9();
      await sleep(uniform([0.2, 2]) * 1000);
      gw = await GatewayProcess.start(gatewayDir);
      const state = await gw.call('recording.current', {});
      if (state?.state !== 'interrupted')
        throw new Error(`after a restart the recording is ${state?.state ?? 'gone'}`);
      await gw.call('devices.connectEcg12', {});
      await waitStreaming(gw);
      await gw.call('recording.continue', {});
    }
    await sleep(uniform(o.upSeconds) * 1000);
    await gw.call('recording.stop', {});
    const live = gw;
    const drained = await live.until(
      'the queue to drain',
      async () => {
        const q = await live.call('queue.status', {});
        return q.pendingItems === 0 && q.sendingItems === 0 ? q : undefined;
      },
      300_000,
    );
    await live.stop();
    await server.stop();
    const check = checkRecording(server.databaseFile, first.recordingId, o.ecgChunkSeconds);
    return {
      ...check,
      seed: o.seed,
      kills: o.kills,
      serverOutages: outages,
      cutConnections: proxy.counts.cutRequests + proxy.counts.cutResponses,
      failedItems: drained.failedItems,
      wallSeconds: (Date.now() - started) / 1000,
    };
  } finally {
    await gw?.kill9();
    await server.stop('SIGKILL');
    await proxy.close();
  }
}
