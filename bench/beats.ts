/**
 * `npm run bench -- beats [--data DIR] [--out FILE] [--records 100,119] [--channels 0,1] [--rates 128,80] [--classifier previous|window]`
 *
 * Beat classes (ANSI/AAMI EC57: N, S, V, F, Q) on the MIT-BIH Arrhythmia records in the folder,
 * end to end as the live pipeline does it: beats from the QRS detector (first channel), classes
 * from the causal beat classifier (beat-classifier.ts) on the chosen channels (default both).
 * Reference labels map to classes as EC57 does (N: N L R e j; S: A a J S; V: V E; F: F; Q: / f
 * Q); detections match reference beats within ±150 ms (_beats-match.ts: the nearest unpaired
 * detection, EC57 beat by beat); beats inside ventricular
 * flutter/fibrillation episodes are left out, and so are the paced records 102, 104, 107 and
 * 217 (EC57 practice for ectopic-beat statistics). Prints the confusion matrix (rows reference,
 * columns detected; `-` = missed or false beat) and gross Se/+P per class as bxb counts them
 * (_beats-match.ts: Se over all reference beats of the class, +P over all detections given it,
 * false beats included, fusion and unclassifiable beats called V not counted), per record and
 * for the even- and odd-numbered halves (a held-out split). Then EC57's run-by-run statistics
 * (_beats-runs.ts, as PhysioNet's rxr): ventricular couplets, short runs (3–5 beats) and long
 * runs (≥ 6, a VF episode among them), Se and +P, and the same of supraventricular runs, for
 * each record that has any and gross, at the native rate and each `--rates` rate; headline keys
 * `vCoupletSePct`, `vCoupletPpvPct`, `vShortRunSePct`, `vShortRunPpvPct`, `vLongRunSePct`,
 * `vLongRunPpvPct` (native rate; −1 where there is no run to score). Then the gateway's rhythm
 * events (rhythm-events.ts: pauses, ventricular and supraventricular runs, bradycardia,
 * tachycardia) made from our beats and from the reference beats by the same rules, compared
 * (_beats-events.ts; headline keys `pauseEventSePct`, `pauseEventPpvPct`, `vRunEvent…`,
 * `svRunEvent…`, `bradyEvent…`, `tachyEvent…`, native rate,
 * paced records left out). `--rates` (default
 * `128,80`, `''` for none) runs the same end to end on each record resampled to each rate (the
 * live pipeline classifies at the device's rate; the clinic's current unit records at 80 Hz),
 * scored at the native sample times: S and V per record on its detail line, the matrix, and
 * the headline keys `vSe<rate>Pct`, `vPpv<rate>Pct`, `sSe<rate>Pct`, `sPpv<rate>Pct` beside the
 * native-rate ones. `--out FILE` writes `{"record": [[sample, "N"|"S"|"V"|"F"|"Q"], …]}`
 * (native rate). `--classifier previous` scores the earlier whole-record classifier (rhythm.ts
 * `classifyBeats`, without delineated widths) for comparison; `--classifier window` what made the
 * live PVC and PAC events until they came from the beat classes (rhythm.ts over each 10-s
 * measurement window, _beats-record.ts).
 * `--synthetic [--seeds N] [--detected]` scores instead synthetic rhythms with exact labels
 * (_beats-synthetic.ts: supraventricular ectopy, AF and sinus-arrhythmia controls, aberrant APCs,
 * junctional beats with retrograde P, PVCs, atrial flutter with variable block, AF with Ashman
 * beats, fusion beats; S, V and F Se/+P; then EC57 ventricular runs on strips of multiform PVCs
 * with couplets and salvos; no data folder needed).
 */
import { writeFileSync } from 'node:fs';
import type { BeatClass } from '../main/dsp/hrv.js';
import { WFDB_BEAT_SYMBOLS } from '../server-contract/formats/wfdb.js';
import { databaseDir, parseOptions, printHeadline, rateList, round1 } from './_common.js';
import { loadScoredRecord, recordNames } from './_records.js';
import { outsideSpans } from './_scoring.js';
import {
  addInto,
  CLASSES,
  type ClassedBeat,
  MATRIX_KEYS,
  confusion,
  emptyMatrix,
  type Matrix,
  ppvPct,
  referenceClass,
  sePct,
} from './_beats-match.js';
import { runSynthetic } from './_beats-synthetic.js';
import {
  addRuns,
  compareRuns,
  emptyComparison,
  hasRuns,
  referenceRunLabels,
  runKeys,
  runText,
  testRunLabels,
  type RunComparison,
  type RunKind,
} from './_beats-runs.js';
import { classifiedBeats, type ClassifierChoice } from './_beats-record.js';
import { compareEvents, emptyEvents, eventKeys, eventsText, rhythmEventsOf } from './_beats-events.js';

const PACED = new Set(['102', '104', '107', '217']);

function printMatrix(label: string, m: Matrix): void {
  console.log(`${label} confusion (rows reference, columns detected):`);
  console.log(`      ${MATRIX_KEYS.map((c) => c.padStart(7)).join('')}`);
  for (const r of MATRIX_KEYS) {
    console.log(`  ${r.padEnd(4)}${MATRIX_KEYS.map((d) => String(m[r]![d]).padStart(7)).join('')}`);
  }
  console.log(
    `${label} gross: ` +
      CLASSES.map((c) => `${c} Se ${sePct(m, c).toFixed(1)} +P ${ppvPct(m, c).toFixed(1)}`).join(' | '),
  );
}

/** The confusion matrix of detections (native sample times) against the reference, VF episodes out. */
function scoredAgainst(
  reference: readonly ClassedBeat[],
  detected: readonly ClassedBeat[],
  flutter: Parameters<typeof outsideSpans>[1],
  fs: number,
): Matrix {
  const keep = new Set(
    outsideSpans(
      detected.map((d) => d.sample),
      flutter,
    ),
  );
  return confusion(
    reference,
    detected.filter((d) => keep.has(d.sample)),
    fs,
  );
}

/** The run comparisons of one record's classes (`ve` and `sve`) against its reference run labels. */
function runsOf(
  reference: ReturnType<typeof referenceRunLabels>,
  detected: readonly ClassedBeat[],
  fs: number,
): Record<RunKind, RunComparison> {
  const test = testRunLabels(detected);
  return { ve: compareRuns(reference, test, 've', fs), sve: compareRuns(reference, test, 'sve', fs) };
}

/** "C matched/reference (+called, extra detections included)" for each class. */
function counts(m: Matrix, classes: readonly string[]): string {
  return classes
    .map(
      (c) =>
        `${c} ${m[c]![c]}/${Object.values(m[c]!).reduce((a, b) => a + b, 0)} (+${MATRIX_KEYS.reduce((a, r) => a + m[r]![c]!, 0)})`,
    )
    .join(' ');
}

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  if (options.has('synthetic')) {
    const seeds = Number(options.get('seeds') ?? '4');
    const detected = options.has('detected');
    console.log(
      `beats --synthetic: ${seeds} seeds x 5 min per pattern, 360 Hz, leads II+V1, ` +
        (detected ? 'beats from the QRS detector on II' : 'exact R times'),
    );
    printHeadline({ records: seeds, ...runSynthetic(seeds, detected) });
    return;
  }
  const dir = databaseDir(options, 'mitdb');
  const channels = (options.get('channels') ?? '0,1').split(',').map(Number);
  const names = recordNames(dir, options.get('records'));
  const scored = names.filter((n) => !PACED.has(n));
  const rates = rateList(options, '128,80');
  const choice = options.get('classifier') ?? 'live';
  if (choice !== 'live' && choice !== 'previous' && choice !== 'window')
    throw new Error(`--classifier takes live, previous or window, not "${choice}"`);
  const classifier: ClassifierChoice = choice;
  console.log(
    `beats: ${names.length} records from ${dir} (${scored.length} scored; paced records left out), ` +
      `detection on channel 0, classes from channels ${channels.join('+')}, ±150 ms, VF episodes left out; ` +
      `rates native${rates.map((r) => `, ${r} Hz`).join('')} (resampled, scored at the native sample times)`,
  );
  const gross = emptyMatrix();
  const halves: Record<string, Matrix> = { even: emptyMatrix(), odd: emptyMatrix() };
  const atRate = new Map(rates.map((r) => [r, emptyMatrix()]));
  const out: Record<string, [number, BeatClass][]> = {};
  // EC57 run by run (rxr): native rate, then each --rates rate
  const runRates = ['native', ...rates.map(String)];
  const runs = new Map(runRates.map((r) => [r, { ve: emptyComparison(), sve: emptyComparison() }]));
  const runLines: string[] = [];
  // the gateway's rhythm events from our beats against the same rules on the reference beats
  const events = new Map(runRates.map((r) => [r, emptyEvents()]));
  const eventLines: string[] = [];
  for (const name of names) {
    const record = loadScoredRecord(dir, name, channels);
    const fs = record.sampleRateHz;
    const inside = (s: number): boolean => !outsideSpans([s], record.flutter).length;
    const reference = record.annotations
      .filter((a) => WFDB_BEAT_SYMBOLS.has(a.symbol) && !inside(a.sample))
      .map((a) => ({ sample: a.sample, cls: referenceClass(a.symbol) }));
    const uv = 1000 / record.gains[0]!;
    const detected = classifiedBeats(record.signals, fs, uv, undefined, classifier);
    out[name] = detected.map((d) => [d.sample, d.cls]);
    if (PACED.has(name)) continue;
    const m = scoredAgainst(reference, detected, record.flutter, fs);
    addInto(gross, m);
    const runLabels = referenceRunLabels(record.annotations);
    const recordRuns = runsOf(runLabels, detected, fs);
    for (const kind of ['ve', 'sve'] as const) {
      addRuns(runs.get('native')![kind], recordRuns[kind]);
      if (hasRuns(recordRuns[kind]))
        runLines.push(`${name} ${kind.toUpperCase()} runs: ${runText(recordRuns[kind])}`);
    }
    const referenceEvents = rhythmEventsOf(reference, fs, record.flutter);
    const recordEvents = eventsText(
      compareEvents(referenceEvents, rhythmEventsOf(detected, fs, record.flutter), events.get('native')!),
    );
    if (recordEvents !== '') eventLines.push(`${name}: ${recordEvents}`);
    addInto(halves[Number(name) % 2 === 0 ? 'even' : 'odd']!, m);
    const perRate = rates.map((rate) => {
      const beats = classifiedBeats(record.signals, fs, uv, rate, classifier);
      const mr = scoredAgainst(reference, beats, record.flutter, fs);
      addInto(atRate.get(rate)!, mr);
      const rateRuns = runsOf(runLabels, beats, fs);
      for (const kind of ['ve', 'sve'] as const) addRuns(runs.get(String(rate))![kind], rateRuns[kind]);
      compareEvents(referenceEvents, rhythmEventsOf(beats, fs, record.flutter), events.get(String(rate))!);
      return ` | ${rate} Hz ${counts(mr, ['S', 'V'])}`;
    });
    console.log(`${name}: ${counts(m, ['N', 'S', 'V', 'F'])}${perRate.join('')}`);
  }
  printMatrix('even-numbered records', halves.even!);
  printMatrix('odd-numbered records', halves.odd!);
  printMatrix('all scored records', gross);
  for (const [rate, m] of atRate) printMatrix(`all scored records at ${rate} Hz`, m);
  console.log(
    'ventricular (VE) and supraventricular (SVE) ectopic runs, EC57 run by run as rxr (from 5 min, ±150 ms; _beats-runs.ts):',
  );
  for (const line of runLines) console.log(`  ${line}`);
  for (const [rate, byKind] of runs) {
    const at = rate === 'native' ? 'native rate' : `${rate} Hz`;
    for (const kind of ['ve', 'sve'] as const)
      console.log(`all scored records, ${kind.toUpperCase()} runs, ${at}: ${runText(byKind[kind])}`);
  }
  console.log(
    'rhythm events (main/dsp/rhythm-events.ts) from our beats and classes against the same rules on the reference beats (whole record, overlap ±150 ms; _beats-events.ts):',
  );
  for (const line of eventLines) console.log(`  ${line}`);
  for (const [rate, comparison] of events)
    console.log(
      `all scored records, rhythm events, ${rate === 'native' ? 'native rate' : `${rate} Hz`}: ${eventsText(comparison)}`,
    );
  const file = options.get('out');
  if (file !== undefined) {
    writeFileSync(file, JSON.stringify(out));
    console.log(`classes written to ${file}`);
  }
  await Promise.resolve();
  printHeadline({
    records: scored.length,
    vSePct: round1(sePct(gross, 'V')),
    vPpvPct: round1(ppvPct(gross, 'V')),
    sSePct: round1(sePct(gross, 'S')),
    sPpvPct: round1(ppvPct(gross, 'S')),
    fSePct: round1(sePct(gross, 'F')),
    fPpvPct: round1(ppvPct(gross, 'F')),
    ...runKeys(runs.get('native')!.ve),
    ...eventKeys(events.get('native')!),
    ...Object.fromEntries(
      [...atRate].flatMap(([rate, m]) => [
        [`vSe${rate}Pct`, round1(sePct(m, 'V'))],
        [`vPpv${rate}Pct`, round1(ppvPct(m, 'V'))],
        [`sSe${rate}Pct`, round1(sePct(m, 'S'))],
        [`sPpv${rate}Pct`, round1(ppvPct(m, 'S'))],
      ]),
    ),
  });
}
