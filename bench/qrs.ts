/**
 * `npm run bench -- qrs [--data DIR] [--svdb DIR] [--out FILE] [--records 100,105] [--rates 80,128,250] [--channel 0]`
 *
 * Whole-record QRS detection on every MIT-BIH Arrhythmia record in the folder (first
 * channel), scored as `../shared/data/README.md` says (±150 ms, whole record): per record
 * and gross TP/FP/FN, Se, +P and R-peak timing offsets; the MIT-BIH Supraventricular
 * record(s) separately; then again after resampling every record to 80, 128 and 250 Hz.
 * `--out FILE` writes the native-rate detections as JSON `{"100": [sample, …]}`.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WFDB_INVALID_SAMPLE } from '../server-contract/formats/wfdb.js';
import { loadWfdbAnnotations, loadWfdbRecord } from '../main/devices/record-files.js';
import { detectQrs } from '../main/dsp/qrs.js';
import { convertSampleIndex, resample } from '../main/dsp/resample.js';
import { databaseDir, dataRoot, parseOptions, printHeadline } from './_common.js';
import {
  addScores,
  medianAbsOffsetMs,
  medianOffsetMs,
  ppvPct,
  referenceBeats,
  scoreBeats,
  sensitivityPct,
  type BeatScore,
} from './_scoring.js';

interface LoadedRecord {
  name: string;
  sampleRateHz: number;
  signal: Float64Array;
  reference: number[];
}

/** One channel (default the first) in ADC units, invalid samples replaced by the last valid one. */
function loadRecord(dir: string, name: string, channel: number): LoadedRecord {
  const record = loadWfdbRecord(dir, name);
  const raw = record.signals[Math.min(channel, record.signals.length - 1)]!;
  const signal = new Float64Array(raw.length);
  let last = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== WFDB_INVALID_SAMPLE) last = raw[i]!;
    signal[i] = last;
  }
  const reference = referenceBeats(loadWfdbAnnotations(dir, name, 'atr'));
  return { name, sampleRateHz: record.header.samplingFrequencyHz, signal, reference };
}

function recordNames(dir: string, only: string | undefined): string[] {
  const wanted = only?.split(',');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.hea'))
    .map((f) => f.slice(0, -4))
    .filter((name) => existsSync(join(dir, `${name}.atr`)))
    .filter((name) => wanted === undefined || wanted.includes(name))
    .sort();
}

function fmt(score: BeatScore): string {
  return (
    `TP ${score.tp} FP ${score.fp} FN ${score.fn} Se ${sensitivityPct(score).toFixed(2)} ` +
    `+P ${ppvPct(score).toFixed(2)} |offset| ${medianAbsOffsetMs(score).toFixed(1)} ms ` +
    `offset ${medianOffsetMs(score).toFixed(1)} ms`
  );
}

/** CPU time spent in native-rate detection and samples processed, for the throughput line. */
const timing = { seconds: 0, samples: 0 };

/** bxb-style score: only reference beats and detections from 5 minutes on (labelled as such). */
function scoreFrom5Min(reference: readonly number[], beats: Int32Array, fs: number): BeatScore {
  const start = 300 * fs;
  return scoreBeats(
    reference.filter((s) => s >= start),
    beats.filter((s) => s >= start),
    fs,
  );
}

function scoreAt(
  record: LoadedRecord,
  rateHz: number | undefined,
): { score: BeatScore; beats: Int32Array; bxb?: BeatScore } {
  const fs = record.sampleRateHz;
  if (rateHz === undefined || rateHz === fs) {
    const cpu0 = process.cpuUsage();
    const beats = detectQrs([record.signal], fs);
    const cpu = process.cpuUsage(cpu0);
    timing.seconds += (cpu.user + cpu.system) / 1e6;
    timing.samples += record.signal.length;
    const score = scoreBeats(record.reference, beats, fs);
    return { score, beats, bxb: scoreFrom5Min(record.reference, beats, fs) };
  }
  const signal = resample(record.signal, fs, rateHz);
  const reference = record.reference.map((s) => convertSampleIndex(s, fs, rateHz));
  const beats = detectQrs([signal], rateHz);
  return { score: scoreBeats(reference, beats, rateHz), beats };
}

function runDatabase(
  label: string,
  dir: string,
  names: string[],
  rates: (number | undefined)[],
  detections: Record<string, number[]>,
  channel: number,
): Map<string, BeatScore> {
  const perRate = new Map<string, BeatScore[]>();
  for (const name of names) {
    const record = loadRecord(dir, name, channel);
    const parts: string[] = [];
    for (const rate of rates) {
      const key = rate === undefined ? 'native' : String(rate);
      const { score, beats, bxb } = scoreAt(record, rate);
      if (rate === undefined) detections[name] = Array.from(beats);
      if (bxb !== undefined)
        perRate.set('native, from 5 min (as bxb)', [
          ...(perRate.get('native, from 5 min (as bxb)') ?? []),
          bxb,
        ]);
      perRate.set(key, [...(perRate.get(key) ?? []), score]);
      parts.push(
        rate === undefined
          ? fmt(score)
          : `${key} Hz Se ${sensitivityPct(score).toFixed(2)} +P ${ppvPct(score).toFixed(2)}`,
      );
    }
    console.log(
      `${label} ${name} (${record.sampleRateHz} Hz, ${record.reference.length} beats): ${parts.join(' | ')}`,
    );
  }
  const gross = new Map<string, BeatScore>();
  for (const [key, scores] of perRate) {
    gross.set(key, addScores(scores));
    console.log(`${label} gross ${key}: ${fmt(addScores(scores))}`);
  }
  return gross;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const mitdb = databaseDir(options, 'mitdb');
  const root = dataRoot();
  const svdb = options.get('svdb') ?? (root === undefined ? undefined : join(root, 'svdb'));
  const rates = (options.get('rates') ?? '80,128,250').split(',').map(Number);
  const names = recordNames(mitdb, options.get('records'));
  console.log(
    `qrs: ${names.length} records from ${mitdb}, first channel, ±150 ms, whole record; rates native,${rates.join(',')}`,
  );
  const detections: Record<string, number[]> = {};
  const channel = Number(options.get('channel') ?? 0);
  const gross = runDatabase('mitdb', mitdb, names, [undefined, ...rates], detections, channel);
  const native = gross.get('native')!;
  console.log(
    `throughput (native, whole-record detector incl. zero-phase refinement): ` +
      `${(timing.samples / timing.seconds / 1e6).toFixed(1)} M samples/s of CPU time on one lead`,
  );
  const headline: Record<string, number> = {
    records: names.length,
    sePct: round2(sensitivityPct(native)),
    ppvPct: round2(ppvPct(native)),
    medianOffsetMs: round2(medianOffsetMs(native)),
    medianAbsOffsetMs: round2(medianAbsOffsetMs(native)),
    detectMsps: round2(timing.samples / timing.seconds / 1e6),
  };
  for (const rate of rates) {
    const score = gross.get(String(rate));
    if (score === undefined) continue;
    headline[`se${rate}Pct`] = round2(sensitivityPct(score));
    headline[`ppv${rate}Pct`] = round2(ppvPct(score));
  }
  if (svdb !== undefined && existsSync(svdb) && options.get('records') === undefined) {
    const svNames = recordNames(svdb, undefined);
    const sv = runDatabase('svdb', svdb, svNames, [undefined], detections, channel).get('native');
    if (sv !== undefined) {
      headline.svdbSePct = round2(sensitivityPct(sv));
      headline.svdbPpvPct = round2(ppvPct(sv));
    }
  }
  const out = options.get('out');
  if (out !== undefined) {
    writeFileSync(out, JSON.stringify(detections));
    console.log(`detections written to ${out}`);
  }
  await Promise.resolve();
  printHeadline(headline);
}
