/**
 * `npm run bench -- beats --synthetic [--seeds 6]`: the S decision on synthetic supraventricular
 * rhythms with exact labels (synthetic-atrial.ts: isolated APCs, bigeminy, trigeminy, SVT runs,
 * frequent APCs over a slow sinus rhythm, junctional premature beats, and controls without S:
 * marked sinus arrhythmia, atrial fibrillation, paroxysmal AF). Classes from the live classifier,
 * leads II and V1 at 360 Hz, on the exact R times, or with `--detected` end to end on the beats of
 * the QRS detector (lead II, as the MIT-BIH benchmark; matched within ±150 ms, unmatched reference
 * beats count as missed S, unmatched detections called S as false S); gross S Se/+P over every
 * strip, per pattern in the detail lines.
 */
import { classifyRecordBeats } from '../main/dsp/beat-record.js';
import { detectQrs } from '../main/dsp/qrs.js';
import { atrialRhythm, type AtrialPattern } from '../main/dsp/synthetic-atrial.js';
import { MATCH_WINDOW_S } from './_scoring.js';

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
export function scoreAtrialStrip(pattern: AtrialPattern, seed: number, detected = false): SCounts {
  const strip = atrialRhythm({ pattern, seed, durationS: 300 });
  const fs = strip.sampleRateHz;
  const beats = detected
    ? Array.from(detectQrs([strip.leads[0]], fs, { microvoltsPerUnit: 1 }))
    : strip.beats.map((b) => b.sample);
  const classes = classifyRecordBeats(strip.leads, beats, fs);
  const c: SCounts = { tp: 0, fn: 0, fp: 0, v: 0 };
  const used = new Uint8Array(beats.length);
  const window = MATCH_WINDOW_S * fs;
  let d = 0;
  for (const b of strip.beats) {
    while (d < beats.length && beats[d]! < b.sample - window) d++;
    const k = d < beats.length && beats[d]! <= b.sample + window ? d : -1;
    const got = k < 0 ? '-' : classes[k]!.beatClass;
    if (k >= 0) used[k] = 1;
    if (b.beatClass === 'S') {
      if (got === 'S') c.tp++;
      else c.fn++;
    } else if (got === 'S') c.fp++;
  }
  classes.forEach((cls, k) => {
    if (cls.beatClass === 'V') c.v++;
    if (used[k] === 0 && cls.beatClass === 'S') c.fp++;
  });
  return c;
}

const pct = (a: number, b: number): number => (b === 0 ? -1 : Math.round((1000 * a) / b) / 10);

/** Scores every pattern over `seeds` seeds; prints detail lines, returns the headline figures. */
export function runSynthetic(seeds: number, detected = false): Record<string, number> {
  const total: SCounts = { tp: 0, fn: 0, fp: 0, v: 0 };
  const out: Record<string, number> = {};
  for (const pattern of ATRIAL_PATTERNS) {
    const c: SCounts = { tp: 0, fn: 0, fp: 0, v: 0 };
    for (let s = 1; s <= seeds; s++) {
      const r = scoreAtrialStrip(pattern, s, detected);
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
