/**
 * The gateway side of the e2e-sync benchmark as its own process, so that its CPU time and peak
 * RSS are the gateway's alone: `node --import tsx bench/_e2e-gateway.ts DATA_DIR CONFIG_JSON`.
 *
 * It wires the real components as `main/api/gateway-core.ts` does (one gateway database, the
 * upload queue, the patients store, the recorder, the sync service started but not yet
 * enrolled: the gateway is offline), records `minutes` of simulated time as fast as the machine
 * allows (bench/_e2e-feed.ts), stops the recording, and reports. On `{"cmd":"sync",…}` on stdin
 * it enrolls with the server through the given URL and times the drain: from the enrollment call
 * to `queue.status()` showing nothing pending or being sent, and on to the server's chunk list
 * confirming the recording complete (the sync service's own completeness check). On
 * `{"cmd":"close"}` it stops and reports its peak RSS. Every report is one JSON line on stdout
 * with a `type`.
 */
import { performance } from 'node:perf_hooks';
import { arch, platform } from 'node:os';
import { createInterface } from 'node:readline';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { v7 as uuidv7 } from 'uuid';
import { DEFAULT_SETTINGS } from '../main/api/settings-store.js';
import { openGatewayDatabase } from '../main/queue/database.js';
import { UploadQueue } from '../main/queue/upload-queue.js';
import { FieldCipher } from '../main/recorder/field-cipher.js';
import { PATIENTS_MIGRATIONS, RECORDER_MIGRATIONS } from '../main/recorder/migrations.js';
import { PatientsStore } from '../main/recorder/patients-store.js';
import { Recorder } from '../main/recorder/recorder.js';
import { SYNC_MIGRATIONS } from '../main/sync/migrations.js';
import { SyncService } from '../main/sync/sync-service.js';
import type { Settings } from '../preload/schemas.js';
import { E2eFeed, WATCH_ADDRESS, type SimClock } from './_e2e-feed.js';

/** What the driver passes (argv[3], JSON). */
export interface E2eGatewayConfig {
  minutes: number;
  ecgChunkSeconds: number;
  watchChunkSeconds: number;
  noisy: boolean;
}

const MB = 1e6;
const send = (message: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(message)}\n`);
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return { userS: d.user / 1e6, systemS: d.system / 1e6, totalS: (d.user + d.system) / 1e6 };
};

/** RSS samples: the highest seen per phase (the kernel's high-water mark is reported at the end). */
class RssSampler {
  peakBytes = 0;
  sample(): void {
    this.peakBytes = Math.max(this.peakBytes, process.memoryUsage.rss());
  }
}

const [dataDir, configJson] = process.argv.slice(2);
if (dataDir === undefined || configJson === undefined) {
  console.error('usage: _e2e-gateway.ts DATA_DIR CONFIG_JSON');
  process.exit(2);
}
const config = JSON.parse(configJson) as E2eGatewayConfig;
const settings: Settings = {
  ...DEFAULT_SETTINGS,
  ecgChunkSeconds: config.ecgChunkSeconds,
  watchChunkSeconds: config.watchChunkSeconds,
};
const gatewayId = uuidv7();
const db = openGatewayDatabase(dataDir, [PATIENTS_MIGRATIONS, RECORDER_MIGRATIONS, SYNC_MIGRATIONS]);
const queue = new UploadQueue(db, { quotaBytes: () => settings.diskQuotaBytes });
const recordedSeconds = Math.round(config.minutes * 60);
// the hour lies in the past: recorded while offline, synced now
const clock: SimClock = { nowMs: Date.now() - recordedSeconds * 1000 - 60_000 };
const patients = new PatientsStore(db, FieldCipher.forDataDir(dataDir), gatewayId, () => clock.nowMs);
const sync = new SyncService({
  db,
  queue,
  gateway: {
    id: gatewayId,
    name: 'e2e-sync bench',
    platform: `${platform()}-${arch()}`,
    appVersion: '0.0.0-bench',
  },
});
const emitted = new Map<string, number>();
const boundPatient: { id: string | null } = { id: null };
const recorder = new Recorder({
  db,
  queue,
  patients,
  // the UI's events are counted, not kept (the edge host sends them over a WebSocket)
  emit: (event) => emitted.set(event, (emitted.get(event) ?? 0) + 1),
  settings: () => settings,
  simulated: true,
  connectedDevices: () => [
    { kind: 'ecg12', serial: 'ECG-SIM-E2E1', simulated: true },
    { kind: 'bangle', serial: WATCH_ADDRESS, name: 'Bangle.js e2e', simulated: true },
  ],
  watchPatient: (address) => (address === WATCH_ADDRESS ? boundPatient.id : null),
  onFailure: (error, context) => send({ type: 'failure', message: error.message, context }),
  now: () => clock.nowMs,
  flushIntervalMs: 1e9, // flushed by the feed every 500 ms of simulated time
});
sync.start();

async function record(): Promise<string> {
  const rss = new RssSampler();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const patient = recorder.patientSync.create({
    studyCode: `E2E${String(Date.now() % 100000).padStart(5, '0')}`,
  });
  boundPatient.id = patient.id;
  const started = recorder.start({ patientId: patient.id, operatorName: 'Bench Operator' });
  const feed = new E2eFeed(recorder, clock, clock.nowMs, config.noisy);
  for (let s = 0; s < recordedSeconds; s++) {
    feed.second(s);
    if (s % 10 === 0) rss.sample();
    // let timers and I/O run, as they do between the unit's frames
    await yieldToLoop();
  }
  const stopped = recorder.stop();
  rss.sample();
  const items = queue.itemsOfRecording(started.id);
  const streams: Record<string, { chunks: number; bytes: number }> = {};
  for (const item of items) {
    if (item.kind !== 'chunk' || item.stream === null) continue;
    const entry = (streams[item.stream] ??= { chunks: 0, bytes: 0 });
    entry.chunks++;
    entry.bytes += item.sizeBytes;
  }
  send({
    type: 'recorded',
    recordingId: started.id,
    recordedSeconds,
    wallS: (performance.now() - t0) / 1000,
    cpu: cpuSeconds(cpu0),
    peakRssMb: rss.peakBytes / MB,
    fed: feed.fed,
    streams,
    items: items.length,
    summary: stopped.summary,
    queue: queue.status(),
    uiEvents: Object.fromEntries(emitted),
  });
  return started.id;
}

async function drain(serverUrl: string, code: string, recordingId: string): Promise<void> {
  const rss = new RssSampler();
  const sampler = setInterval(() => rss.sample(), 50);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const verifiedRow = db.prepare('SELECT 1 FROM queue_verified_recordings WHERE recording_id = ?');
  try {
    await sync.enroll(serverUrl, code);
    const enrolledS = (performance.now() - t0) / 1000;
    let drainS: number | undefined;
    let cpuAtDrain: ReturnType<typeof cpuSeconds> | undefined;
    for (;;) {
      const status = queue.status();
      if (drainS === undefined && status.pendingItems === 0 && status.sendingItems === 0) {
        drainS = (performance.now() - t0) / 1000;
        cpuAtDrain = cpuSeconds(cpu0);
        send({ type: 'drained', drainS, failedItems: status.failedItems });
      }
      if (drainS !== undefined && verifiedRow.get(recordingId) !== undefined) break;
      if (performance.now() - t0 > 3_600_000) throw new Error('no complete drain within an hour');
      await new Promise((r) => setTimeout(r, 10));
    }
    rss.sample();
    send({
      type: 'synced',
      enrolledS,
      drainS,
      verifiedS: (performance.now() - t0) / 1000,
      cpuAtDrain,
      cpu: cpuSeconds(cpu0),
      peakRssMb: rss.peakBytes / MB,
      queue: queue.status(),
      sync: sync.status(),
    });
  } finally {
    clearInterval(sampler);
  }
}

async function close(): Promise<void> {
  recorder.close();
  await sync.stop();
  db.close();
  // ru_maxrss: the kernel's high-water mark of this process's RSS, in KiB
  send({
    type: 'closed',
    maxRssMb: (process.resourceUsage().maxRSS * 1024) / MB,
    cpu: cpuSeconds({ user: 0, system: 0 }),
  });
}

let recordingId = '';
const commands = createInterface({ input: process.stdin });
commands.on('line', (line) => {
  void (async () => {
    try {
      const message = JSON.parse(line) as { cmd: string; serverUrl?: string; code?: string };
      if (message.cmd === 'sync') await drain(message.serverUrl ?? '', message.code ?? '', recordingId);
      else if (message.cmd === 'close') {
        await close();
        commands.close();
      } else throw new Error(`unknown command ${message.cmd}`);
    } catch (error) {
      send({
        type: 'error',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
  })();
});

try {
  send({ type: 'ready', pid: process.pid, rssMb: process.memoryUsage.rss() / MB });
  recordingId = await record();
} catch (error) {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
