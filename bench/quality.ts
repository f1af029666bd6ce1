/**
 * `npm run bench -- quality [--data DIR] [--records 104,105] [--rates 80,128,250]`
 *
 * The lead-quality rating (quality.ts) on every MIT-BIH Arrhythmia record in the folder, both
 * channels, one rating per 1-s window, as the live pipeline rates its leads and as the report
 * chooses its clean page: at the native rate (360 Hz) and after resampling each record to the
 * `--rates` (80 Hz is the rate of the clinic's current unit). Two questions:
 * - **the same at every rate?** Of the windows rated noisy at the native rate, the share also rated
 *   noisy at each rate (`rateAgreementPct`: the worst rate), and the windows rated noisy there;
 * - **where the annotators saw noise?** MIT-BIH's signal-quality annotations (`~`; their `subtyp`
 *   says which signals are noisy: bit k for signal k, bit 4 + k for signal k unreadable, −1 for
 *   every signal unreadable — WFDB Programmer's Guide, annotation codes) mark each signal's noisy
 *   stretches. A window is noisy by the reference when more than half of it lies in one. Se and +P
 *   of the rating "noisy" against that, per rate (`annotationSePct`, `annotationPpvPct`: the worst
 *   rate). The annotators marked noise of every kind, electrode motion included, which a
 *   high-frequency rating does not see, so Se is low by design; the figure compares ratings.
 * Detail lines: per rate, the windows rated noisy, wander, saturated and flat.
 */
import { LEAD_QUALITY_NAMES, LeadQuality, assessLeadQuality } from '../main/dsp/quality.js';
import { resample } from '../main/dsp/resample.js';
import type { WfdbAnnotation } from '../server-contract/formats/wfdb.js';
import { databaseDir, parseOptions, printHeadline, rateList, round1 } from './_common.js';
import { loadScoredRecord, recordNames } from './_records.js';

/** The annotators' noise state per sample: `subtyp` of the last `~` annotation (0: clean). */
function noiseStates(annotations: readonly WfdbAnnotation[], length: number): Int32Array {
  const states = new Int32Array(length);
  const marks = annotations.filter((a) => a.symbol === '~');
  let state = 0;
  let next = 0;
  for (let i = 0; i < length; i++) {
    while (next < marks.length && marks[next]!.sample <= i) state = marks[next++]!.subtype;
    states[i] = state;
  }
  return states;
}

/** Is signal `channel` noisy or unreadable in annotation state `state`? */
function annotatedNoisy(state: number, channel: number): boolean {
  return state === -1 || (state & (1 << channel)) !== 0 || (state & (16 << channel)) !== 0;
}

/** Counts of one rate over every window: ratings, agreement with the native rate and the annotators. */
interface RateTally {
  codes: number[];
  noisy: number;
  alsoNative: number;
  tp: number;
  fp: number;
  fn: number;
}

function emptyTally(): RateTally {
  return { codes: LEAD_QUALITY_NAMES.map(() => 0), noisy: 0, alsoNative: 0, tp: 0, fp: 0, fn: 0 };
}

function pct(part: number, whole: number): number {
  return whole === 0 ? Number.NaN : (100 * part) / whole;
}

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  await Promise.resolve();
  const options = parseOptions(args);
  const dir = databaseDir(options, 'mitdb');
  const names = recordNames(dir, options.get('records'));
  const rates = rateList(options, '80,128,250');
  console.log(
    `quality: ${names.length} records from ${dir}, both channels, 1-s windows; rates native,${rates.join(',')}`,
  );
  const labels = ['native', ...rates.map(String)];
  const tallies = labels.map(emptyTally);
  let windows = 0;
  let annotated = 0;
  for (const name of names) {
    const record = loadScoredRecord(dir, name, [0, 1]);
    const fs = record.sampleRateHz;
    const length = record.signals[0]!.length;
    const states = noiseStates(record.annotations, length);
    const whole = Math.floor(length / fs);
    record.signals.forEach((signal, channel) => {
      const microvolts = signal.map((v) => (v * 1000) / record.gains[channel]!);
      const reference = Array.from({ length: whole }, (_, w) => {
        let noisy = 0;
        for (let i = w * fs; i < (w + 1) * fs; i++) if (annotatedNoisy(states[i]!, channel)) noisy++;
        return noisy > fs / 2;
      });
      const rated = [fs, ...rates].map((rate) => {
        const x = rate === fs ? microvolts : resample(microvolts, fs, rate);
        return assessLeadQuality(x, { sampleRateHz: rate, microvoltsPerUnit: 1, mainsHz: 60 });
      });
      windows += whole;
      annotated += reference.filter(Boolean).length;
      rated.forEach((codes, k) => {
        const t = tallies[k]!;
        for (let w = 0; w < whole; w++) {
          const code = codes[w] ?? LeadQuality.good;
          t.codes[code]!++;
          const noisy = code === LeadQuality.noisy;
          if (noisy) t.noisy++;
          if (noisy && rated[0]![w] === LeadQuality.noisy) t.alsoNative++;
          if (noisy && reference[w]) t.tp++;
          else if (noisy) t.fp++;
          else if (reference[w]) t.fn++;
        }
      });
    });
  }
  const native = tallies[0]!;
  labels.forEach((label, k) => {
    const t = tallies[k]!;
    const codes = LEAD_QUALITY_NAMES.map((n, c) => `${n} ${t.codes[c]}`).join(', ');
    const agreement =
      k === 0 ? '' : `; of the ${native.noisy} native noisy windows ${t.alsoNative} also noisy here`;
    console.log(
      `${label}${k === 0 ? '' : ' Hz'}: ${codes}${agreement}; against the annotators' noise marks ` +
        `(${annotated} of ${windows} windows) TP ${t.tp} FP ${t.fp} FN ${t.fn} ` +
        `Se ${pct(t.tp, t.tp + t.fn).toFixed(1)} +P ${pct(t.tp, t.tp + t.fp).toFixed(1)}`,
    );
  });
  const others = tallies.slice(1);
  const worst = (f: (t: RateTally) => number): number => Math.min(...tallies.map(f));
  printHeadline({
    records: names.length,
    windows,
    annotatedNoisyWindows: annotated,
    noisyNative: native.noisy,
    noisyFewestAtRate: others.length > 0 ? Math.min(...others.map((t) => t.noisy)) : native.noisy,
    rateAgreementPct: round1(
      others.length > 0 ? Math.min(...others.map((t) => pct(t.alsoNative, native.noisy))) : 100,
    ),
    annotationSePct: round1(worst((t) => pct(t.tp, t.tp + t.fn))),
    annotationPpvPct: round1(worst((t) => pct(t.tp, t.tp + t.fp))),
  });
}
