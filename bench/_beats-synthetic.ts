/**
 * `npm run bench -- beats --synthetic [--seeds 6]`: the S decision on synthetic supraventricular
 * rhythms with exact labels (synthetic-atrial.ts: isolated APCs, bigeminy, trigeminy, SVT runs,
 * frequent APCs over a slow sinus rhythm, junctional premature beats, and controls without S:
 * marked sinus arrhythmia, atrial fibrillation, paroxysmal AF; then APCs with RBBB aberrancy,
 * junctional premature beats with retrograde P, and PVCs with dissociated or retrograde P, whose
 * V calls give the V Se/+P; atrial flutter with variable block, AF with Ashman beats and PVCs,
 * and late PVCs with fusion beats, whose F calls give the F Se/+P). Classes from the live classifier,
 * leads II and V1 at 360 Hz, on the exact R times, or with `--detected` end to end on the beats of
 * the QRS detector (lead II, as the MIT-BIH benchmark). Scored with the MIT-BIH benchmark's own
 * matcher and rule (_beats-match.ts: EC57 beat by beat, nearest unpaired detection within
 * ±150 ms; a missed S beat counts against Se; +P as bxb counts it, detections with no beat there
 * included, fusion beats called V not counted; the extra S are printed beside it too); gross S
 * and V Se/+P over every strip, per pattern in the detail lines.
 */
import { classifyRecordBeats } from '../main/dsp/beat-record.js';
import { detectQrs } from '../main/dsp/qrs.js';
import { atrialRhythm, type AtrialPattern } from '../main/dsp/synthetic-atrial.js';
import { wideRhythm } from '../main/dsp/synthetic-wide.js';
import {
  addInto,
  CLASSES,
  type ClassedBeat,
  confusion,
  emptyMatrix,
  type Matrix,
  ppvPct,
  sePct,
} from './_beats-match.js';
import {
  addRuns,
  compareRuns,
  emptyComparison,
  runKeys,
  runText,
  testRunLabels,
  type RunComparison,
} from './_beats-runs.js';
import { round1 } from './_common.js';

/** Every pattern scored. */
export const ATRIAL_PATTERNS: readonly AtrialPattern[] = [
  'isolated',
  'bigeminy',
  'trigeminy',
  'svt-runs',
  'frequent-slow',
  'junctional',
  'sinus-arrhythmia',
  'atrial-fibrillation',
  'paroxysmal-af',
  'aberrated',
  'junctional-retrograde',
  'pvc-dissociated',
  'atrial-flutter-variable',
  'af-ashman',
  'fusion',
];

/**
 * A synthetic strip's beats classed by the live classifier on all its leads: on its exact R
 * times, or with `detected` on the QRS detector's beats (first lead).
 */
function classedStripBeats(
  strip: {
    readonly leads: Float64Array[];
    readonly beats: readonly { sample: number }[];
    readonly sampleRateHz: number;
  },
  detected: boolean,
): ClassedBeat[] {
  const fs = strip.sampleRateHz;
  const beats = detected
    ? Array.from(detectQrs([strip.leads[0]!], fs, { microvoltsPerUnit: 1 }))
    : strip.beats.map((b) => b.sample);
  const classes = classifyRecordBeats(strip.leads, beats, fs);
  return beats.map((sample, k) => ({ sample, cls: classes[k]!.beatClass }));
}

/** Classifies one strip and returns its confusion matrix (_beats-match.ts). */
export function scoreAtrialStrip(pattern: AtrialPattern, seed: number, detected = false): Matrix {
  const strip = atrialRhythm({ pattern, seed, durationS: 300 });
  return confusion(
    strip.beats.map((b) => ({ sample: b.sample, cls: b.beatClass })),
    classedStripBeats(strip, detected),
    strip.sampleRateHz,
  );
}

/** Paired beats of another reference class called `c` (false positives of the class). */
function falseCalls(m: Matrix, c: string): number {
  return CLASSES.filter((r) => r !== c).reduce((a, r) => a + m[r]![c]!, 0);
}

/**
 * Patterns of synthetic-wide.ts scored run by run: multiform PVCs over sinus rhythm, in couplets
 * and salvos of 3–5, and runs of monomorphic ventricular tachycardia of 3–20 beats. (Not its
 * atrial-fibrillation pattern: there the beat after a PVC, which follows a long cycle, is drawn
 * with right bundle-branch block aberrancy whenever the RR drawn for it but not used was
 * long-short, so the strips hold wide "normal" beats right after PVCs that no Ashman sequence
 * explains, and they make false couplets.)
 */
const RUN_PATTERNS = ['multiform-pvc', 'vt-runs'] as const;
/** Learning time left out of the run check (the strips are 5 min; EC57's record learning period is 5 min). */
const RUN_LEARNING_S = 60;

/**
 * EC57 run by run (_beats-runs.ts) on synthetic strips with ventricular couplets and salvos:
 * classes from the live classifier (leads II and V1, 360 Hz) on the exact R times, or with
 * `detected` on the QRS detector's beats (lead II).
 */
function syntheticRuns(seeds: number, detected: boolean): RunComparison {
  const total = emptyComparison();
  for (const pattern of RUN_PATTERNS) {
    const sum = emptyComparison();
    for (let seed = 1; seed <= seeds; seed++) {
      const strip = wideRhythm({ pattern, seed, durationS: 300 });
      const reference = strip.beats.map((b) => ({ sample: b.sample, label: b.beatClass }));
      const test = testRunLabels(classedStripBeats(strip, detected));
      addRuns(sum, compareRuns(reference, test, 've', strip.sampleRateHz, RUN_LEARNING_S));
    }
    console.log(
      `${pattern.padEnd(20)} ventricular runs (EC57 run by run, from ${RUN_LEARNING_S} s): ${runText(sum)}`,
    );
    addRuns(total, sum);
  }
  return total;
}

/** Scores every pattern over `seeds` seeds; prints detail lines, returns the headline figures. */
export function runSynthetic(seeds: number, detected = false): Record<string, number> {
  const total = emptyMatrix();
  const out: Record<string, number> = {};
  for (const pattern of ATRIAL_PATTERNS) {
    const m = emptyMatrix();
    for (let s = 1; s <= seeds; s++) addInto(m, scoreAtrialStrip(pattern, s, detected));
    addInto(total, m);
    const sTotal = Object.values(m.S!).reduce((a, b) => a + b, 0);
    console.log(
      `${pattern.padEnd(20)} S ${m.S!.S}/${sTotal} Se ${round1(sePct(m, 'S'))} +P ${round1(ppvPct(m, 'S'))} ` +
        `(false S ${falseCalls(m, 'S')}, extra S ${m['-']!.S}, called V ${falseCalls(m, 'V') + (m.V!.V ?? 0)}, ` +
        `missed beats ${Object.values(m).reduce((a, row) => a + row['-']!, 0)}, ` +
        `false beats ${Object.values(m['-']!).reduce((a, b) => a + b, 0)}; ` +
        `F ${m.F!.F}/${Object.values(m.F!).reduce((a, b) => a + b, 0)}, false F ${falseCalls(m, 'F')})`,
    );
    out[`${pattern}SePct`] = round1(sePct(m, 'S'));
    out[`${pattern}FalseS`] = falseCalls(m, 'S');
  }
  return {
    sSePct: round1(sePct(total, 'S')),
    sPpvPct: round1(ppvPct(total, 'S')),
    vSePct: round1(sePct(total, 'V')),
    vPpvPct: round1(ppvPct(total, 'V')),
    fSePct: round1(sePct(total, 'F')),
    fPpvPct: round1(ppvPct(total, 'F')),
    ...runKeys(syntheticRuns(seeds, detected)),
    ...out,
  };
}
