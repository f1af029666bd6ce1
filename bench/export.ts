/**
 * `npm run bench -- export [--hours N] [--stores sqlite,postgres] [--formats csv,wfdb,edf,fhir]
 * [--out DIR] [--heap-mb N] [--from-source] [--data DIR]`: time and peak memory to export one recording (default 24 h of
 * 12-lead 500 Hz ECG from LUDB record 1 looped, with its beats and measurements) in each format
 * from each store, through the real HTTP route.
 *
 * The recording is written into the stores directly (encoded chunks with their rows); then each
 * (store, format) export is served by a fresh child process (so one export's heap does not
 * inflate the next one's figure) on 127.0.0.1, and downloaded by this process with a streaming
 * HTTP client that only counts bytes; the child samples its RSS every 20 ms and measures its CPU
 * time. `xRealtime` = recording duration ÷ export wall time (slowest export); `cpuXRealtime` =
 * duration ÷ the server's CPU time (slowest; steadier than wall time on a loaded machine);
 * `peakRssMb` = the largest server peak. Each detail line also gives the peak RSS of the first and
 * of the second half of the export: equal halves show memory does not grow with the length.
 * `--out DIR` also writes the first 10 minutes in every format (recording.hea/.dat/.atr,
 * recording.edf, recording.fhir.json, recording.csv) for comparison with the original record.
 * `--heap-mb N` runs the export children with V8's `--max-old-space-size=N`: an export whose live
 * memory grew with the recording's length would fail there, so a 24-h run under a small N shows
 * the live set is bounded (V8 otherwise lets garbage pile up well past it before collecting).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Store } from '../server/store/store.js';
import { openPostgresStore } from '../server/store/postgres.js';
import { openSqliteStore } from '../server/store/sqlite.js';
import { startPostgres, type RunningPostgres } from '../test/integration/server/embedded-pg.js';
import { databaseDir, parseOptions, printHeadline } from './_common.js';
import { buildRecording, T0_MS } from './_export-recording.js';
import { exportOnce, type ChildLauncher, type ExportFormat, type ExportResult } from './_export-client.js';
import { PRODUCTION_RUNTIME_ENV } from '../server/ops/runtime-env.js';

const FORMATS: readonly ExportFormat[] = ['csv', 'wfdb', 'edf', 'fhir'];

const CHILD_ENTRY = fileURLToPath(new URL('./_export-child-main.ts', import.meta.url));

/**
 * The export child as one plain JavaScript file (esbuild, packages left external), so the child
 * runs compiled code as a production server does: through tsx, its loader thread and on-the-fly
 * transforms add ~60 MB of RSS that no export causes. Written under dist/ so that node_modules resolve.
 */
async function bundleChild(): Promise<string> {
  const outfile = resolve(fileURLToPath(new URL('../dist/bench/export-child.mjs', import.meta.url)));
  const { build } = await import('esbuild');
  await build({
    entryPoints: [CHILD_ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return outfile;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

export async function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const hours = Number(options.get('hours') ?? '24');
  const minutes = Math.round(hours * 60);
  if (!(minutes >= 1)) throw new Error('--hours must be at least 1/60');
  const stores = (options.get('stores') ?? 'sqlite,postgres').split(',') as ('sqlite' | 'postgres')[];
  const formats = (options.get('formats') ?? FORMATS.join(',')).split(',') as ExportFormat[];
  for (const f of formats) if (!FORMATS.includes(f)) throw new Error(`unknown format ${f}`);
  const outDir = options.get('out');
  const heapMb = options.has('heap-mb') ? Number(options.get('heap-mb')) : undefined;
  const launcher: ChildLauncher = options.has('from-source')
    ? { entry: CHILD_ENTRY, execArgv: process.execArgv }
    : { entry: await bundleChild(), execArgv: [] };
  const ludb = join(databaseDir(options, 'ludb'), 'data');
  console.log(`load average ${load()}`);
  console.log(
    `export bench: ${hours} h (${minutes} 60-s chunks) of 8 channels at 500 Hz from LUDB record 1 looped`,
  );
  console.log(
    `stores ${stores.join(', ')}; formats ${formats.join(', ')}; one child process per export, ${options.has('from-source') ? 'from source through tsx' : 'bundled to plain JavaScript (--from-source: through tsx)'}`,
  );
  if (heapMb !== undefined) console.log(`export children run with --max-old-space-size=${heapMb}`);
  console.log(
    `export children run with production's runtime settings: ${Object.entries(PRODUCTION_RUNTIME_ENV)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')} (server/ops/runtime-env.ts)`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'pulsewatch-export-bench-'));
  let pg: RunningPostgres | undefined;
  const opened: Store[] = [];
  const databases: Record<string, string> = {};
  try {
    if (stores.includes('sqlite')) {
      databases.sqlite = join(dir, 'db.sqlite');
      opened.push(await openSqliteStore(databases.sqlite));
    }
    if (stores.includes('postgres')) {
      pg = await startPostgres();
      databases.postgres = await pg.createDatabase('export_bench');
      opened.push(await openPostgresStore(databases.postgres));
    }
    const buildStarted = performance.now();
    const recording = await buildRecording(opened, ludb, minutes);
    console.log(`built the recording in ${((performance.now() - buildStarted) / 1000).toFixed(1)} s`);
    for (const s of opened) await s.close();
    const results: ExportResult[] = [];
    for (const dialect of stores) {
      for (const format of formats) {
        const r = await exportOnce(launcher, { dialect, database: databases[dialect]! }, heapMb, {
          format,
          recordingId: recording.recordingId,
        });
        results.push(r);
        console.log(
          `${dialect.padEnd(8)} ${format.padEnd(5)} ${(r.bytes / 1e6).toFixed(1).padStart(8)} MB in ${(r.ms / 1000).toFixed(1).padStart(6)} s ` +
            `${(recording.durationMs / r.ms).toFixed(0).padStart(6)}x real time (CPU ${(r.cpuMs / 1000).toFixed(1)} s: ${(recording.durationMs / r.cpuMs).toFixed(0)}x)  ` +
            `peak RSS ${r.peakRssMb.toFixed(0)} MB (halves ${r.firstHalfPeakRssMb.toFixed(0)}/${r.secondHalfPeakRssMb.toFixed(0)}; at start ${r.startRssMb.toFixed(0)}; at peak ${r.peakDetail})  load ${load()}`,
        );
      }
    }
    if (outDir !== undefined) {
      mkdirSync(resolve(outDir), { recursive: true });
      const first = stores[0]!;
      for (const format of FORMATS) {
        await exportOnce(launcher, { dialect: first, database: databases[first]! }, heapMb, {
          format,
          recordingId: recording.recordingId,
          out: resolve(outDir),
          outToMs: T0_MS + 10 * 60_000,
        });
      }
      console.log(`wrote the first 10 minutes in every format to ${resolve(outDir)}`);
    }
    if (results.length === 0) throw new Error('no export ran: name at least one store and format');
    const slowest = results.reduce((a, b) => (b.ms > a.ms ? b : a));
    const slowestCpu = results.reduce((a, b) => (b.cpuMs > a.cpuMs ? b : a));
    const perExport = (key: string, value: (r: ExportResult) => number) =>
      Object.fromEntries(results.map((r) => [`${r.dialect}_${r.format}_${key}`, value(r)]));
    printHeadline({
      xRealtime: round1(recording.durationMs / slowest.ms),
      peakRssMb: Math.round(Math.max(...results.map((r) => r.peakRssMb))),
      cpuXRealtime: round1(recording.durationMs / slowestCpu.cpuMs),
      hours,
      slowest: `${slowest.dialect} ${slowest.format}`,
      loadAvg1m: round1(loadavg()[0]!),
      ...perExport('xRealtime', (r) => round1(recording.durationMs / r.ms)),
      ...perExport('cpuXRealtime', (r) => round1(recording.durationMs / r.cpuMs)),
      ...perExport('peakRssMb', (r) => Math.round(r.peakRssMb)),
    });
  } finally {
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
