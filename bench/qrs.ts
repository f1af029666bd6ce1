/**
 * `npm run bench -- qrs [--data DIR] [--svdb DIR] [--ludb DIR] [--out FILE] [--records 100,105]
 * [--rates 80,128,250] [--channels 0,1] [--two-lead false]`
 *
 * Whole-record QRS detection on every MIT-BIH Arrhythmia record in the folder (default: the
 * first channel; `--channels 0,1` fuses both), scored as `../shared/data/README.md` says
 * (±150 ms): under EC57 rules — reference beats and detections inside ventricular
 * flutter/fibrillation episodes (`[` … `]`) left out, as PhysioNet's `bxb` does — and over the
 * whole record, labelled; per record and gross TP/FP/FN, Se, +P and R-peak timing offsets (the
 * median, and the beats marked > 50 ms off, on another wave of the complex); the
 * MIT-BIH Supraventricular record(s) separately; then again after resampling every record to 80,
 * 128 and 250 Hz. Detail lines also give the gross figures of the even- and odd-numbered halves
 * of the records (a held-out split: tune on one half, read the other).
 * `--out FILE` writes the native-rate detections as JSON `{"100": [sample, …]}`.
 * Unless `--channels` is given (or `--two-lead false`), the records are also run with both
 * channels fused, at every rate, as the live pipeline fuses leads: detail lines `mitdb 2-lead …`
 * and the keys `se2LeadPct`, `ppv2LeadPct` (the worst rate of each).
 * Then every lead of every LUDB record alone (`_qrs-ludb.ts`: other patients, 12 projections of
 * each beat, 500 Hz): a detail line per lead and the keys `ludbLeadSePct`, `ludbLeadPpvPct`
 * (gross over all leads), then the live pipeline's detection leads fused, native and at every
 * rate (`ludbFusedSePct`, `ludbFusedPpvPct`: the worst rate of each); with `--data` or
 * `--records` only when `--ludb DIR` is given.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectQrs } from '../main/dsp/qrs.js';
import { convertSampleIndex, resample } from '../main/dsp/resample.js';
import { databaseDir, dataRoot, parseOptions, printHeadline, rateList, round2 } from './_common.js';
import { loadScoredRecord, recordNames, type ScoredRecord } from './_records.js';
import { ludbRecordNames, scoreLudbLeads } from './_qrs-ludb.js';
import {
  addScores,
  medianAbsOffsetMs,
  medianOffsetMs,
  offsetsBeyond,
  outsideSpans,
  ppvPct,
  scoreBeats,
  sensitivityPct,
  type BeatScore,
} from './_scoring.js';

function fmt(score: BeatScore): string {
  return (
    `TP ${score.tp} FP ${score.fp} FN ${score.fn} Se ${sensitivityPct(score).toFixed(2)} ` +
    `+P ${ppvPct(score).toFixed(2)} |offset| ${medianAbsOffsetMs(score).toFixed(1)} ms ` +
    `offset ${medianOffsetMs(score).toFixed(1)} ms, > 50 ms ${offsetsBeyond(score, 50)}`
  );
}

/** CPU time spent in native-rate detection and samples processed, for the throughput line. */
const timing = { seconds: 0, samples: 0 };

/** Scores of one record at one rate: EC57 (VF episodes out), whole record, EC57 from 5 min (as bxb). */
interface RateScores {
  ec57: BeatScore;
  whole: BeatScore;
  bxb: BeatScore;
  beats: Int32Array;
}

function scoreSet(
  record: ScoredRecord,
  reference: number[],
  beats: Int32Array,
  fs: number,
  ratio: number,
): RateScores {
  const spans = record.flutter.map((s) => ({
    startSample: Math.round(s.startSample * ratio),
    endSample: Math.round(s.endSample * ratio),
  }));
  const refIn = outsideSpans(reference, spans);
  const detIn = outsideSpans(beats, spans);
  const start = 300 * fs;
  return {
    ec57: scoreBeats(refIn, detIn, fs),
    whole: scoreBeats(reference, beats, fs),
    bxb: scoreBeats(
      refIn.filter((s) => s >= start),
      detIn.filter((s) => s >= start),
      fs,
    ),
    beats,
  };
}

function scoreAt(record: ScoredRecord, rateHz: number | undefined): RateScores {
  const fs = record.sampleRateHz;
  if (rateHz === undefined || rateHz === fs) {
    const cpu0 = process.cpuUsage();
    const beats = detectQrs(record.signals, fs, { microvoltsPerUnit: 1000 / record.gains[0]! });
    const cpu = process.cpuUsage(cpu0);
    timing.seconds += (cpu.user + cpu.system) / 1e6;
    timing.samples += record.signals[0]!.length;
    return scoreSet(record, record.reference, beats, fs, 1);
  }
  const signals = record.signals.map((s) => resample(s, fs, rateHz));
  const reference = record.reference.map((s) => convertSampleIndex(s, fs, rateHz));
  const beats = detectQrs(signals, rateHz, { microvoltsPerUnit: 1000 / record.gains[0]! });
  return scoreSet(record, reference, beats, rateHz, rateHz / fs);
}

type Tally = Map<string, BeatScore[]>;

function tally(into: Tally, key: string, score: BeatScore): void {
  into.set(key, [...(into.get(key) ?? []), score]);
}

function runDatabase(
  label: string,
  dir: string,
  names: string[],
  rates: (number | undefined)[],
  detections: Record<string, number[]>,
  channels: number[],
): Map<string, BeatScore> {
  const perRate: Tally = new Map();
  for (const name of names) {
    const record = loadScoredRecord(dir, name, channels);
    const parts: string[] = [];
    const half = Number(name) % 2 === 0 ? 'even' : 'odd';
    for (const rate of rates) {
      const key = rate === undefined ? 'native' : String(rate);
      const s = scoreAt(record, rate);
      tally(perRate, `${key} EC57`, s.ec57);
      tally(perRate, `${key} whole record`, s.whole);
      if (rate === undefined) {
        detections[name] = Array.from(s.beats);
        tally(perRate, 'native EC57, from 5 min (as bxb)', s.bxb);
        tally(perRate, `native EC57, ${half}-numbered records`, s.ec57);
      }
      parts.push(
        rate === undefined
          ? `EC57 ${fmt(s.ec57)}; whole Se ${sensitivityPct(s.whole).toFixed(2)} +P ${ppvPct(s.whole).toFixed(2)}`
          : `${key} Hz Se ${sensitivityPct(s.ec57).toFixed(2)} +P ${ppvPct(s.ec57).toFixed(2)}`,
      );
    }
    const vf = record.flutter.length > 0 ? `, ${record.flutter.length} VF episode(s)` : '';
    console.log(
      `${label} ${name} (${record.sampleRateHz} Hz, ${record.reference.length} beats${vf}): ${parts.join(' | ')}`,
    );
  }
  const gross = new Map<string, BeatScore>();
  for (const [key, scores] of perRate) {
    gross.set(key, addScores(scores));
    console.log(`${label} gross ${key}: ${fmt(addScores(scores))}`);
  }
  return gross;
}

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const mitdb = databaseDir(options, 'mitdb');
  const root = dataRoot();
  const svdb = options.get('svdb') ?? (root === undefined ? undefined : join(root, 'svdb'));
  const defaults = options.get('records') === undefined && options.get('data') === undefined;
  const ludb = options.get('ludb') ?? (root === undefined || !defaults ? undefined : join(root, 'ludb'));
  const rates = rateList(options, '80,128,250');
  const channels = (options.get('channels') ?? '0').split(',').map(Number);
  const names = recordNames(mitdb, options.get('records'));
  console.log(
    `qrs: ${names.length} records from ${mitdb}, channels ${channels.join('+')}, ±150 ms, ` +
      `EC57 rules (VF episodes out) and whole record; rates native,${rates.join(',')}`,
  );
  const detections: Record<string, number[]> = {};
  const gross = runDatabase('mitdb', mitdb, names, [undefined, ...rates], detections, channels);
  const native = gross.get('native EC57')!;
  const whole = gross.get('native whole record')!;
  console.log(
    `throughput (native, whole-record detector incl. zero-phase refinement): ` +
      `${(timing.samples / timing.seconds / 1e6).toFixed(1)} M frames/s of CPU time on ${channels.length} lead(s)`,
  );
  const headline: Record<string, number> = {
    records: names.length,
    sePct: round2(sensitivityPct(native)),
    ppvPct: round2(ppvPct(native)),
    seWholePct: round2(sensitivityPct(whole)),
    ppvWholePct: round2(ppvPct(whole)),
    medianOffsetMs: round2(medianOffsetMs(native)),
    medianAbsOffsetMs: round2(medianAbsOffsetMs(native)),
    detectMsps: round2(timing.samples / timing.seconds / 1e6),
  };
  for (const rate of rates) {
    const score = gross.get(`${rate} EC57`);
    if (score === undefined) continue;
    headline[`se${rate}Pct`] = round2(sensitivityPct(score));
    headline[`ppv${rate}Pct`] = round2(ppvPct(score));
  }
  if (svdb !== undefined && defaults) {
    const svNames = recordNames(svdb, undefined);
    const sv = runDatabase('svdb', svdb, svNames, [undefined], detections, channels).get('native EC57');
    if (sv !== undefined) {
      headline.svdbSePct = round2(sensitivityPct(sv));
      headline.svdbPpvPct = round2(ppvPct(sv));
    }
  }
  if (options.get('channels') === undefined && options.get('two-lead') !== 'false') {
    const fused = runDatabase('mitdb 2-lead', mitdb, names, [undefined, ...rates], {}, [0, 1]);
    const keys = ['native', ...rates.map(String)]
      .map((k) => fused.get(`${k} EC57`))
      .filter((x) => x !== undefined);
    headline.se2LeadPct = round2(Math.min(...keys.map(sensitivityPct)));
    headline.ppv2LeadPct = round2(Math.min(...keys.map(ppvPct)));
  }
  if (ludb !== undefined) {
    const { alone, fused } = scoreLudbLeads(ludb, ludbRecordNames(ludb), rates);
    headline.ludbLeadSePct = round2(sensitivityPct(alone));
    headline.ludbLeadPpvPct = round2(ppvPct(alone));
    headline.ludbFusedSePct = round2(Math.min(...Array.from(fused.values(), sensitivityPct)));
    headline.ludbFusedPpvPct = round2(Math.min(...Array.from(fused.values(), ppvPct)));
  }
  const out = options.get('out');
  if (out !== undefined) {
    writeFileSync(out, JSON.stringify(detections));
    console.log(`detections written to ${out}`);
  }
  await Promise.resolve();
  printHeadline(headline);
}
