/**
 * `npm run bench -- hrv [--data DIR] [--records 100,117]`
 *
 * Short-term heart-rate variability (Task Force of the ESC and NASPE 1996: SDNN and RMSSD of
 * 5-minute recordings, NN intervals only; main/dsp/hrv.ts) from our beats against the same
 * figures from the cardiologists' annotations, on every MIT-BIH Arrhythmia record in the
 * folder, first channel. Each record is cut into consecutive 5-min windows; a window counts
 * when both sides report HRV (≥ 10 NN intervals). Both sides go through the same NN editing
 * (main/dsp/hrv.ts: normal beats only, no interval across a gap, none implausibly long or short). Ventricular flutter/fibrillation episodes are
 * gaps (no NN interval spans one). Three comparisons, each |ours − reference| per window:
 *
 * - **marks** (headline): the live detector's R marks (main/dsp/qrs-detector.ts, causal, as the
 *   live measurements and the recording's beats get them) on the reference beats they match
 *   (±150 ms, EC57), with the reference classes; a missed beat breaks the NN run. This isolates
 *   where the beats are marked: a fiducial that wanders between the R and S waves from beat to
 *   beat adds to every successive difference, and RMSSD reads exactly those.
 * - **classified**: every live beat with the class the live beat classifier gives it
 *   (beat-classifier.ts, both channels), against every annotated beat with its reference
 *   class — the HRV a clinician reads, with detection and classification errors in it.
 * - **whole-record marks**: as *marks*, with the whole-record detector's beats (main/dsp/qrs.ts,
 *   placed on the zero-phase-filtered signal).
 *
 * The annotations are not a perfect fiducial either: where R and S are about equal (MIT-BIH 108,
 * 117) the annotators' marks too sit on one wave or the other from beat to beat.
 */
import { classifyRecordBeats } from '../main/dsp/beat-record.js';
import { computeHrv, type HrvResult, type TimedBeat } from '../main/dsp/hrv.js';
import { QrsDetector } from '../main/dsp/qrs-detector.js';
import { detectQrs } from '../main/dsp/qrs.js';
import { WFDB_BEAT_SYMBOLS } from '../server-contract/formats/wfdb.js';
import { databaseDir, parseOptions, printHeadline, round1 } from './_common.js';
import { matchBeats, referenceClass } from './_beats-match.js';
import { loadScoredRecord, recordNames, type ScoredRecord } from './_records.js';
import { MATCH_WINDOW_S, median } from './_scoring.js';

const WINDOW_S = 300;
const COMPARISONS = ['marks', 'classified', 'whole-record marks'] as const;
type Comparison = (typeof COMPARISONS)[number];

/** |ours − reference| of one window, ms. */
interface WindowError {
  rmssd: number;
  sdnn: number;
}

/** The live detector's beats (R-peak samples) over one channel. */
function liveBeats(signal: Float64Array, sampleRateHz: number): number[] {
  const beats: number[] = [];
  const detector = new QrsDetector({ sampleRateHz }, (r) => beats.push(r));
  for (let n = 0; n < signal.length; n++) detector.stepSample(signal[n]!);
  detector.flush();
  return beats.sort((a, b) => a - b);
}

function timed(
  samples: readonly number[],
  classes: readonly TimedBeat['beatClass'][],
  fs: number,
): TimedBeat[] {
  return samples.map((s, k) => ({ timeMs: (1000 * s) / fs, beatClass: classes[k]! }));
}

/** The reference beats with the matched detections' times (a missed beat: unknown class, which breaks the NN run). */
function onReference(
  reference: readonly { sample: number; cls: TimedBeat['beatClass'] }[],
  detected: readonly number[],
  fs: number,
): TimedBeat[] {
  const pairs = matchBeats(
    reference.map((r) => r.sample),
    detected,
    Math.round(MATCH_WINDOW_S * fs),
  );
  return reference.map((r, i) =>
    pairs[i]! >= 0
      ? { timeMs: (1000 * detected[pairs[i]!]!) / fs, beatClass: r.cls }
      : { timeMs: (1000 * r.sample) / fs, beatClass: 'Q' },
  );
}

function windowErrors(
  record: ScoredRecord,
  reference: readonly TimedBeat[],
  ours: readonly TimedBeat[],
): WindowError[] {
  const fs = record.sampleRateHz;
  const gaps = record.flutter.map((s) => [(1000 * s.startSample) / fs, (1000 * s.endSample) / fs] as const);
  const durationMs = (1000 * (record.signals[0]?.length ?? 0)) / fs;
  const errors: WindowError[] = [];
  for (let from = 0; from + WINDOW_S * 1000 <= durationMs; from += WINDOW_S * 1000) {
    const inside = (b: TimedBeat): boolean => b.timeMs >= from && b.timeMs < from + WINDOW_S * 1000;
    const a = computeHrv(reference.filter(inside), gaps);
    const b = computeHrv(ours.filter(inside), gaps);
    if (!reported(a) || !reported(b)) continue;
    errors.push({ rmssd: Math.abs(b.rmssdMs - a.rmssdMs), sdnn: Math.abs(b.sdnnMs - a.sdnnMs) });
  }
  return errors;
}

function reported(h: HrvResult): h is Extract<HrvResult, { rmssdMs: number }> {
  return !('withheld' in h);
}

function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function summary(errors: readonly WindowError[]): string {
  const rmssd = errors.map((e) => e.rmssd);
  const sdnn = errors.map((e) => e.sdnn);
  return (
    `${errors.length} windows, |ΔRMSSD| median ${round1(median(rmssd))} p95 ${round1(quantile(rmssd, 0.95))} ` +
    `max ${round1(Math.max(...rmssd))} ms, |ΔSDNN| median ${round1(median(sdnn))} p95 ${round1(quantile(sdnn, 0.95))} ms, ` +
    `|ΔRMSSD| ≤ 5 ms in ${round1((100 * rmssd.filter((e) => e <= 5).length) / Math.max(1, rmssd.length))} %`
  );
}

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const dir = databaseDir(options, 'mitdb');
  const names = recordNames(dir, options.get('records'));
  if (names.length === 0) throw new Error(`no MIT-BIH records (.hea with .atr) in ${dir}`);
  console.log(
    `hrv: ${names.length} records in ${dir}, consecutive ${WINDOW_S}-s windows, channel 0 (classes from both channels); ` +
      `|ours - reference| of RMSSD and SDNN per window`,
  );
  const all: Record<Comparison, WindowError[]> = { marks: [], classified: [], 'whole-record marks': [] };
  for (const name of names) {
    const record = loadScoredRecord(dir, name, [0, 1]);
    const fs = record.sampleRateHz;
    const reference = record.annotations
      .filter((a) => WFDB_BEAT_SYMBOLS.has(a.symbol))
      .map((a) => ({ sample: a.sample, cls: referenceClass(a.symbol) }));
    const referenceBeats = timed(
      reference.map((r) => r.sample),
      reference.map((r) => r.cls),
      fs,
    );
    const live = liveBeats(record.signals[0]!, fs);
    const classes = classifyRecordBeats(record.signals, live, fs).map((c) => c.beatClass);
    const whole = Array.from(
      detectQrs([record.signals[0]!], fs, { microvoltsPerUnit: 1000 / record.gains[0]! }),
    );
    const per: Record<Comparison, WindowError[]> = {
      marks: windowErrors(record, referenceBeats, onReference(reference, live, fs)),
      classified: windowErrors(record, referenceBeats, timed(live, classes, fs)),
      'whole-record marks': windowErrors(record, referenceBeats, onReference(reference, whole, fs)),
    };
    const line = COMPARISONS.map((c) => {
      all[c].push(...per[c]);
      const e = per[c];
      if (e.length === 0) return `${c}: no window with HRV`;
      return `${c}: |ΔRMSSD| mean ${round1(e.reduce((s, x) => s + x.rmssd, 0) / e.length)} ms`;
    });
    console.log(`mitdb ${name} (${per.marks.length} windows): ${line.join(' | ')}`);
    await Promise.resolve();
  }
  for (const c of COMPARISONS) console.log(`gross ${c}: ${summary(all[c])}`);
  const pick = (c: Comparison, key: keyof WindowError, q: number): number =>
    round1(
      q === 0.5
        ? median(all[c].map((e) => e[key]))
        : quantile(
            all[c].map((e) => e[key]),
            q,
          ),
    );
  printHeadline({
    records: names.length,
    windows: all.marks.length,
    rmssdMedianAbsErrMs: pick('marks', 'rmssd', 0.5),
    rmssdP95AbsErrMs: pick('marks', 'rmssd', 0.95),
    sdnnMedianAbsErrMs: pick('marks', 'sdnn', 0.5),
    sdnnP95AbsErrMs: pick('marks', 'sdnn', 0.95),
    rmssdWithin5MsPct: round1(
      (100 * all.marks.filter((e) => e.rmssd <= 5).length) / Math.max(1, all.marks.length),
    ),
    rmssdMedianAbsErrMsClassified: pick('classified', 'rmssd', 0.5),
    rmssdP95AbsErrMsClassified: pick('classified', 'rmssd', 0.95),
    sdnnMedianAbsErrMsClassified: pick('classified', 'sdnn', 0.5),
    rmssdMedianAbsErrMsWhole: pick('whole-record marks', 'rmssd', 0.5),
    rmssdP95AbsErrMsWhole: pick('whole-record marks', 'rmssd', 0.95),
  });
}
