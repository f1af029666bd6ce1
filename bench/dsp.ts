/**
 * `npm run bench -- dsp [--data DIR] [--loops N]`
 *
 * The whole live pipeline (12-lead derivation, causal display filters, multi-lead live
 * QRS detector, per-lead quality) on real 12-lead ECG at 500 Hz: the LUDB records
 * (acquired channels I, II, V1–V6) played back to back, `--loops` times (default 3),
 * on one core. Reports speed as a multiple of real time (from the process's CPU time, so
 * other load on a shared machine does not count; wall clock printed too) and heap allocation per second
 * of ECG (measured in a second pass in 10-s slices, with a forced GC before each slice;
 * the headline is the median slice, the mean is printed too).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadWfdbRecord } from '../main/devices/record-files.js';
import { LivePipeline } from '../main/dsp/pipeline.js';
import { databaseDir, parseOptions, printHeadline } from './_common.js';

const ACQUIRED_NAMES = ['i', 'ii', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6'];

interface Playback {
  sampleRateHz: number;
  microvoltsPerUnit: number;
  channels: Int32Array[];
  records: number;
}

function loadLudb(dir: string): Playback {
  const dataDir = readdirSync(dir).includes('data') ? join(dir, 'data') : dir;
  const names = readdirSync(dataDir)
    .filter((f) => f.endsWith('.hea'))
    .map((f) => f.slice(0, -4))
    .sort((a, b) => Number(a) - Number(b));
  const parts: Int32Array[][] = [];
  let sampleRateHz = 0;
  let microvoltsPerUnit = 0;
  for (const name of names) {
    const record = loadWfdbRecord(dataDir, name);
    const indexes = ACQUIRED_NAMES.map((lead) =>
      record.header.signals.findIndex((s) => s.description === lead),
    );
    if (indexes.some((i) => i < 0)) continue;
    sampleRateHz = record.header.samplingFrequencyHz;
    microvoltsPerUnit = 1000 / record.header.signals[indexes[0]!]!.gain;
    parts.push(indexes.map((i) => record.signals[i]!));
  }
  const length = parts.reduce((n, p) => n + p[0]!.length, 0);
  const channels = ACQUIRED_NAMES.map((_, c) => {
    const out = new Int32Array(length);
    let offset = 0;
    for (const p of parts) {
      out.set(p[c]!, offset);
      offset += p[c]!.length;
    }
    return out;
  });
  return { sampleRateHz, microvoltsPerUnit, channels, records: parts.length };
}

function play(pipeline: LivePipeline, data: Playback, from: number, to: number, frame: Float64Array): void {
  const channels = data.channels;
  const length = channels[0]!.length;
  for (let n = from; n < to; n++) {
    const k = n % length;
    for (let c = 0; c < 8; c++) frame[c] = channels[c]![k]!;
    pipeline.push(frame);
  }
}

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const dir = databaseDir(options, 'ludb');
  const loops = Number(options.get('loops') ?? 3);
  const data = loadLudb(dir);
  const fs = data.sampleRateHz;
  const total = data.channels[0]!.length * loops;
  console.log(
    `dsp: ${data.records} LUDB records (${fs} Hz, 8 acquired → 12 leads) from ${dir}, ` +
      `${loops} loops = ${(total / fs).toFixed(0)} s of ECG`,
  );
  let beats = 0;
  const makePipeline = (): LivePipeline =>
    new LivePipeline({ sampleRateHz: fs, microvoltsPerUnit: data.microvoltsPerUnit }, () => beats++);
  const frame = new Float64Array(8);

  const pipeline = makePipeline();
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  play(pipeline, data, 0, total, frame);
  const cpu = process.cpuUsage(cpu0);
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  // CPU time of this process: robust on a shared machine, and what "one core" means
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const xRealtime = total / fs / cpuS;
  console.log(
    `speed: ${(total / fs).toFixed(0)} s of 12-lead ECG in ${cpuS.toFixed(2)} s CPU ` +
      `(${wallS.toFixed(2)} s wall) = ${xRealtime.toFixed(0)}× real time on one core ` +
      `(${(total / fs / wallS).toFixed(0)}× by wall clock); ${beats} beats`,
  );

  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const slice = 10 * fs;
  const measured = Math.min(total, data.channels[0]!.length);
  const second = makePipeline();
  const perSlice: number[] = [];
  for (let from = 0; from < measured; from += slice) {
    gc();
    const before = process.memoryUsage().heapUsed;
    play(second, data, from, Math.min(measured, from + slice), frame);
    perSlice.push(Math.max(0, process.memoryUsage().heapUsed - before));
  }
  const allocated = perSlice.reduce((a, b) => a + b, 0);
  // the median slice is the steady state; the sum also holds V8's own occasional growth
  const sorted = [...perSlice].sort((a, b) => a - b);
  const medianSlice = sorted[sorted.length >> 1] ?? 0;
  const allocMbPerS = medianSlice / 1e6 / (slice / fs);
  console.log(
    `allocation: ${(allocated / 1e6).toFixed(3)} MB over ${(measured / fs).toFixed(0)} s of ECG in ` +
      `${perSlice.length} slices of 10 s (mean ${(allocated / 1e6 / (measured / fs)).toFixed(4)} MB/s); ` +
      `median slice ${(medianSlice / 1e3).toFixed(1)} kB = ${allocMbPerS.toFixed(4)} MB/s`,
  );
  await Promise.resolve();
  printHeadline({ xRealtime: Math.round(xRealtime), allocMbPerS: Math.round(allocMbPerS * 1000) / 1000 });
}
