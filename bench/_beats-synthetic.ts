/**
 * `npm run bench -- beats --synthetic [--seeds 6]`: the S decision on synthetic supraventricular
 * rhythms with exact labels (synthetic-atrial.ts: isolated APCs, bigeminy, trigeminy, SVT runs,
 * frequent APCs over a slow sinus rhythm, junctional premature beats, and two controls without S:
 * marked sinus arrhythmia and atrial fibrillation). Classes from the live classifier on the exact R
 * times, leads II and V1 at 360 Hz; gross S Se/+P over every strip, per pattern in the detail lines.
 */
import { classifyRecordBeats } from '../main/dsp/beat-record.js';
import { atrialRhythm, type AtrialPattern } from '../main/dsp/synthetic-atrial.js';

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
];

/** S counts of one set of strips: true S called S, S missed, other beats called S. */
export interface SCounts {
  tp: number;
  fn: number;
  fp: number;
  /** Beats called V (none of these strips has a V). */
  v: number;
}

/** Classifies one strip and counts its S decisions. */
export function scoreAtrialStrip(pattern: AtrialPattern, seed: number, durationS = 300): SCounts {
  const strip = atrialRhythm({ pattern, seed, durationS });
  const classes = classifyRecordBeats(
    strip.leads,
    strip.beats.map((b) => b.sample),
    strip.sampleRateHz,
  );
  const c: SCounts = { tp: 0, fn: 0, fp: 0, v: 0 };
  strip.beats.forEach((b, k) => {
    const got = classes[k]!.beatClass;
    if (got === 'V') c.v++;
    if (b.beatClass === 'S') {
      if (got === 'S') c.tp++;
      else c.fn++;
    } else if (got === 'S') c.fp++;
  });
  return c;
}

const pct = (a: number, b: number): number => (b === 0 ? -1 : Math.round((1000 * a) / b) / 10);

/** Scores every pattern over `seeds` seeds; prints detail lines, returns the headline figures. */
export function runSynthetic(seeds: number): Record<string, number> {
  const total: SCounts = { tp: 0, fn: 0, fp: 0, v: 0 };
  const out: Record<string, number> = {};
  for (const pattern of ATRIAL_PATTERNS) {
    const c: SCounts = { tp: 0, fn: 0, fp: 0, v: 0 };
    for (let s = 1; s <= seeds; s++) {
      const r = scoreAtrialStrip(pattern, s);
      c.tp += r.tp;
      c.fn += r.fn;
      c.fp += r.fp;
      c.v += r.v;
    }
    total.tp += c.tp;
    total.fn += c.fn;
    total.fp += c.fp;
    total.v += c.v;
    console.log(
      `${pattern.padEnd(20)} S ${c.tp}/${c.tp + c.fn} Se ${pct(c.tp, c.tp + c.fn)} +P ${pct(c.tp, c.tp + c.fp)} ` +
        `(false S ${c.fp}, called V ${c.v})`,
    );
    out[`${pattern}SePct`] = pct(c.tp, c.tp + c.fn);
    out[`${pattern}FalseS`] = c.fp;
  }
  return { sSePct: pct(total.tp, total.tp + total.fn), sPpvPct: pct(total.tp, total.tp + total.fp), ...out };
}
