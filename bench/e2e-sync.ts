/**
 * End-to-end sync benchmark: `npm run bench -- e2e-sync [--minutes 60] [--ecg-chunk-seconds 60]
 * [--watch-chunk-seconds 600] [--clean] [--keep]`.
 *
 * 1. Record offline: the gateway side runs as its own process (bench/_e2e-gateway.ts: the real
 *    recorder, upload queue and sync service on a real gateway database, as gateway-core wires
 *    them; the sync service started but not enrolled). It records `--minutes` of simulated time
 *    as fast as it can: ECG-12 samples events (8 channels at 500 Hz) from the simulator's
 *    synthetic source with realistic noise (`--clean`: the demo's noise-free source) through the
 *    live DSP, plus the simulated watch (heart rate 1/s, accelerometer x/y/z 12.5 Hz, battery
 *    1/min). Default chunk lengths are the gateway's settings (ECG 60 s, watch 600 s).
 * 2. Sync: the real ingest server (server/cli.ts, SQLite) as another process, an admin's
 *    one-time enrollment code, and a byte-counting TCP proxy between gateway and server. Drain
 *    time runs from the enrollment call to `queue.status()` showing nothing pending or sending
 *    (headline `xRealtime` = recorded seconds ÷ drain seconds); the time until the sync service's
 *    completeness check confirmed the recording on the server is printed too.
 * 3. Check and compare: the server's database holds every chunk the gateway sealed, byte for
 *    byte, once; the recording ended with matching final counts; every ECG sample equals the
 *    source. Ratios: all HTTP bytes (both ways, headers included, as counted by the proxy) ÷
 *    encoded chunk bytes (`httpToEncoded`); ÷ the 16-bit size of the sampled values; and the
 *    clinic's JSON snapshot format made from the same data (bench/_clinic-json.ts) ÷ our HTTP
 *    bytes. Gateway CPU from /proc and process.cpuUsage; peak RSS is the kernel's high-water
 *    mark of the gateway process over its whole life (recording and sync), with /proc samples
 *    every 250 ms as a cross-check. The gateway runs under `node --import tsx` (the loader's
 *    memory is included; a built gateway has none of it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS } from '../main/api/settings-store.js';
import { ServerProcess } from '../test/integration/chaos/server-process.js';
import { clinicJsonSize } from './_clinic-json.js';
import { parseOptions, printHeadline } from './_common.js';
import { CountingProxy, type ProxyCounts } from './_counting-proxy.js';
import { ACCEL_HZ, ECG_RATE_HZ } from './_e2e-feed.js';
import type { E2eGatewayConfig } from './_e2e-gateway.js';
import { childPid, GatewayChild, procCpuSeconds, procMemoryMb, type ChildMessage } from './_e2e-process.js';
import { verifyServerCopy } from './_e2e-verify.js';

const RSS_LIMIT_MB = 300;
const TARGET_X_REALTIME = 100;
const TARGET_HTTP_TO_ENCODED = 1.15;

interface Recorded {
  recordingId: string;
  recordedSeconds: number;
  wallS: number;
  cpu: { totalS: number };
  peakRssMb: number;
  fed: { ecgSets: number; hr: number; accelSamples: number; battery: number };
  streams: Record<string, { chunks: number; bytes: number }>;
  items: number;
}
interface Synced {
  enrolledS: number;
  drainS: number;
  verifiedS: number;
  cpuAtDrain: { totalS: number };
  cpu: { totalS: number };
  peakRssMb: number;
  queue: { failedItems: number };
}

function options(args: string[]): E2eGatewayConfig & { keep: boolean } {
  const o = parseOptions(args);
  const config = {
    minutes: Number(o.get('minutes') ?? 60),
    ecgChunkSeconds: Number(o.get('ecg-chunk-seconds') ?? DEFAULT_SETTINGS.ecgChunkSeconds),
    watchChunkSeconds: Number(o.get('watch-chunk-seconds') ?? DEFAULT_SETTINGS.watchChunkSeconds ?? 600),
    noisy: o.get('clean') !== 'true',
    keep: o.get('keep') === 'true',
  };
  if (!(config.minutes > 0) || !Number.isInteger(config.minutes * 60))
    throw new Error('--minutes must be a positive number of whole seconds');
  if (!(config.ecgChunkSeconds >= 1 && config.watchChunkSeconds >= 5 && config.watchChunkSeconds <= 3600))
    throw new Error('--ecg-chunk-seconds must be ≥ 1 and --watch-chunk-seconds 5–3600');
  return config;
}

/** Samples the gateway process's RSS from outside every 250 ms. */
function watchRss(pid: number): { stop: () => number } {
  let peakMb = 0;
  const sample = () => {
    try {
      peakMb = Math.max(peakMb, procMemoryMb(pid).rssMb);
    } catch {
      // exited
    }
  };
  const timer = setInterval(sample, 250);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return peakMb;
    },
  };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
const total = (c: ProxyCounts) => c.requestBytes + c.responseBytes;
const round = (v: number, digits: number) => Number(v.toFixed(digits));

export async function run(args: string[]): Promise<void> {
  const config = options(args);
  console.log(
    `e2e-sync: ${config.minutes} min recorded offline — ECG 8 ch × ${ECG_RATE_HZ} Hz (synthetic source, seed 7, ` +
      `${config.noisy ? 'with noise: wander 100 µV, mains 20 µV, EMG 10 µV' : 'no noise'}), watch HR 1/s, ` +
      `accel 3 × ${ACCEL_HZ} Hz, battery 1/min; chunks ECG ${config.ecgChunkSeconds} s, watch ${config.watchChunkSeconds} s; ` +
      'then synced to the real ingest server (SQLite, own process) through a byte-counting proxy',
  );
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(', ');
  console.log(`machine: ${cpus().length} cores, load average ${load()} at start`);
  const workDir = mkdtempSync(join(tmpdir(), 'pulsewatch-e2e-sync-'));
  const gatewayDir = join(workDir, 'gateway');
  let server: ServerProcess | undefined;
  let proxy: CountingProxy | undefined;
  let gateway: GatewayChild | undefined;
  try {
    server = await ServerProcess.start(join(workDir, 'server'));
    const serverPid = childPid('server/cli.ts');
    proxy = await CountingProxy.start(Number(new URL(server.url).port));
    gateway = GatewayChild.start(gatewayDir, config);
    const gatewayPid = gateway.pid;
    const rss = watchRss(gatewayPid);
    const ready = await gateway.next('ready', 120_000);
    const recorded = (await gateway.next('recorded', 4 * 3600_000)) as ChildMessage & Recorded;
    printRecording(recorded);

    const code = await server.enrollmentCode();
    const before = proxy.snapshot();
    const serverCpu0 = serverPid === undefined ? NaN : procCpuSeconds(serverPid);
    const gatewayCpu0 = procCpuSeconds(gatewayPid);
    gateway.send({ cmd: 'sync', serverUrl: proxy.url, code });
    const drained = await gateway.next('drained', 3600_000);
    console.log(`load average ${load()} when the queue drained (other work on the machine slows the drain)`);
    const atDrain = proxy.snapshot();
    const synced = (await gateway.next('synced', 3600_000)) as ChildMessage & Synced;
    const atVerified = proxy.snapshot();
    const serverCpuS = serverPid === undefined ? NaN : procCpuSeconds(serverPid) - serverCpu0;
    const gatewaySyncCpuS = procCpuSeconds(gatewayPid) - gatewayCpu0;
    const hwmMb = procMemoryMb(gatewayPid).hwmMb;
    gateway.send({ cmd: 'close' });
    const closed = await gateway.next('closed', 60_000);
    await gateway.exited(30_000);
    const sampledPeakMb = rss.stop();
    const final = proxy.snapshot();
    await server.stop();

    const check = verifyServerCopy(server.databaseFile, gatewayDir, recorded.recordingId, config.noisy);
    const clinic = clinicJsonSize(check.ecg, check.measurements, check.events);
    const encodedBytes = Object.values(recorded.streams).reduce((n, s) => n + s.bytes, 0);
    const ecgSamples = recorded.fed.ecgSets * 8;
    const accelSamples = recorded.fed.accelSamples * 3;
    const raw16Bytes = (ecgSamples + accelSamples) * 2;
    const httpBytes = total(final);
    const xRealtime = recorded.recordedSeconds / synced.drainS;
    const peakRssMb = Math.max(Number(closed.maxRssMb), hwmMb, sampledPeakMb);
    const ecgBits = ((recorded.streams.ecg?.bytes ?? 0) * 8) / ecgSamples;

    console.log(
      `sync: enrolled in ${synced.enrolledS.toFixed(2)} s; queue drained in ${synced.drainS.toFixed(2)} s ` +
        `(${xRealtime.toFixed(0)}× real time; failed items ${String(drained.failedItems)}); server's chunk list ` +
        `confirmed the recording complete at ${synced.verifiedS.toFixed(2)} s (${(recorded.recordedSeconds / synced.verifiedS).toFixed(0)}× real time)`,
    );
    console.log(
      `HTTP through the proxy: ${final.connections} connection(s); before sync ${total(before)} B; at drain ` +
        `${mb(total(atDrain))}, at verification ${mb(total(atVerified))}, in all ${mb(httpBytes)} ` +
        `(requests ${mb(final.requestBytes)}, responses ${mb(final.responseBytes)}); beyond the encoded chunks ` +
        `${((httpBytes - encodedBytes) / recorded.items).toFixed(0)} B per queue item (headers, token, control bodies, answers)`,
    );
    console.log(
      `bytes: encoded chunks ${mb(encodedBytes)}; HTTP ÷ encoded ${(httpBytes / encodedBytes).toFixed(4)} (target ≤ ${TARGET_HTTP_TO_ENCODED}); ` +
        `16-bit size of the same samples (${ecgSamples} ECG + ${accelSamples} accel values) ${mb(raw16Bytes)}: ` +
        `HTTP ÷ 16-bit ${(httpBytes / raw16Bytes).toFixed(3)}, ECG encoded ÷ 16-bit ${((recorded.streams.ecg?.bytes ?? 0) / (ecgSamples * 2)).toFixed(3)} (${ecgBits.toFixed(2)} bits/sample)`,
    );
    console.log(
      `clinic JSON snapshots of the same data: ${clinic.entries} entries, ${mb(clinic.bytes)} ` +
        `(${(clinic.meanEntryBytes / 1000).toFixed(1)} kB each with mV to 3 decimals; requirements say ~50 kB, which would be ` +
        `${mb(clinic.entries * 50_000)}); JSON ÷ our HTTP bytes ${(clinic.bytes / httpBytes).toFixed(2)} (at 50 kB each ${((clinic.entries * 50_000) / httpBytes).toFixed(2)}); ` +
        `first entry starts ${clinic.example.slice(0, 160)}…`,
    );
    console.log(
      `CPU: gateway recording ${recorded.cpu.totalS.toFixed(1)} s (${recorded.wallS.toFixed(1)} s wall), ` +
        `sync ${synced.cpuAtDrain.totalS.toFixed(2)} s to drain / ${gatewaySyncCpuS.toFixed(2)} s to verification (/proc); ` +
        `server ${serverCpuS.toFixed(2)} s during sync`,
    );
    console.log(
      `RSS of the gateway process: peak ${peakRssMb.toFixed(1)} MB (kernel high-water mark ${Number(closed.maxRssMb).toFixed(1)} MB; ` +
        `/proc VmHWM ${hwmMb.toFixed(1)} MB; sampled every 250 ms ${sampledPeakMb.toFixed(1)} MB; at start, wired and idle ` +
        `${Number(ready.rssMb).toFixed(1)} MB; in-process samples ` +
        `recording ${recorded.peakRssMb.toFixed(1)} MB, sync ${synced.peakRssMb.toFixed(1)} MB); limit ${RSS_LIMIT_MB} MB`,
    );
    const lost = check.missingOrDifferent.length + check.extraChunks + check.ecgSamplesWrong;
    console.log(
      `server copy: ${check.serverChunks}/${check.gatewayChunks} chunks, ${check.missingOrDifferent.length} missing or different` +
        `${check.missingOrDifferent.length > 0 ? ` (${check.missingOrDifferent.slice(0, 10).join(', ')})` : ''}, ` +
        `${check.extraChunks} extra; ended ${check.ended}, final counts match ${check.finalCountsMatch}; ` +
        `${check.ecgSamplesChecked} ECG sample sets checked against the source, ${check.ecgSamplesWrong} wrong`,
    );
    const pass =
      xRealtime >= TARGET_X_REALTIME &&
      httpBytes / encodedBytes <= TARGET_HTTP_TO_ENCODED &&
      peakRssMb < RSS_LIMIT_MB &&
      lost === 0 &&
      check.finalCountsMatch;
    console.log(
      `targets (≥ ${TARGET_X_REALTIME}× real time, HTTP ≤ ${TARGET_HTTP_TO_ENCODED} × encoded, RSS < ${RSS_LIMIT_MB} MB, server copy complete): ${pass ? 'met' : 'NOT met'}`,
    );
    printHeadline({
      xRealtime: round(xRealtime, 1),
      httpToEncoded: round(httpBytes / encodedBytes, 4),
      peakRssMb: round(peakRssMb, 1),
      verifiedXRealtime: round(recorded.recordedSeconds / synced.verifiedS, 1),
      drainS: round(synced.drainS, 2),
      recordedS: recorded.recordedSeconds,
      recordWallS: round(recorded.wallS, 1),
      recordXRealtime: round(recorded.recordedSeconds / recorded.wallS, 1),
      httpBytes,
      encodedBytes,
      httpTo16Bit: round(httpBytes / raw16Bytes, 4),
      ecgEncodedTo16Bit: round((recorded.streams.ecg?.bytes ?? 0) / (ecgSamples * 2), 4),
      ecgBitsPerSample: round(ecgBits, 3),
      jsonSnapshotBytes: clinic.bytes,
      jsonSnapshotRatio: round(clinic.bytes / httpBytes, 2),
      jsonNominalRatio: round((clinic.entries * 50_000) / httpBytes, 2),
      gatewayRecordCpuS: round(recorded.cpu.totalS, 2),
      gatewaySyncCpuS: round(synced.cpuAtDrain.totalS, 2),
      serverSyncCpuS: round(serverCpuS, 2),
      items: recorded.items,
      chunks: check.gatewayChunks,
      connections: final.connections,
      lostChunks: check.missingOrDifferent.length,
      wrongEcgSamples: check.ecgSamplesWrong,
      failedItems: synced.queue.failedItems,
      source: config.noisy ? 'synthetic+noise' : 'synthetic',
    });
  } finally {
    gateway?.kill();
    await server?.stop('SIGKILL');
    await proxy?.close();
    if (config.keep) console.error(`kept ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
}

function printRecording(r: Recorded): void {
  console.log(
    `recording: ${r.recordedSeconds} s of simulated time in ${r.wallS.toFixed(1)} s wall ` +
      `(${(r.recordedSeconds / r.wallS).toFixed(1)}× real time, live DSP included), ${r.cpu.totalS.toFixed(1)} s CPU; ` +
      `fed ${r.fed.ecgSets} ECG sets, ${r.fed.hr} HR readings, ${r.fed.accelSamples} accel samples, ${r.fed.battery} battery readings; ` +
      `${r.items} queue items`,
  );
  for (const [stream, s] of Object.entries(r.streams)) {
    const perSample =
      stream === 'ecg'
        ? `, ${((s.bytes * 8) / (r.fed.ecgSets * 8)).toFixed(2)} bits/sample`
        : stream === 'accel'
          ? `, ${((s.bytes * 8) / (r.fed.accelSamples * 3)).toFixed(2)} bits/sample`
          : '';
    console.log(`  ${stream.padEnd(13)} ${String(s.chunks).padStart(4)} chunks, ${mb(s.bytes)}${perSample}`);
  }
}
