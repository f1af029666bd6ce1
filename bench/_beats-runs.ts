/**
 * ANSI/AAMI EC57 run-by-run comparison, as PhysioNet's `rxr` does it (`bemoody/wfdb` app/rxr.c,
 * G. Moody, after EC38:1998 and EC57:1998): how well the beat classes find **ventricular
 * ectopic runs** — couplets (2 beats), short runs (3–5) and long runs (≥ 6, i.e. ventricular
 * tachycardia of 6 beats or more; a ventricular flutter/fibrillation episode counts as one) —
 * and, alike, supraventricular ectopic runs. Couplets and runs carry more risk than isolated
 * ectopic beats, and a detector can score well beat by beat while breaking every run in two.
 *
 * The rules, each as rxr has them:
 * - **Labels** ({@link referenceRunLabels}): V, r (R-on-T) and E (ventricular escape) are
 *   ventricular; F (fusion) continues a ventricular run too. A, a, J, S and the escapes j, e, n
 *   are supraventricular; N, L, R, B are normal, but supraventricular inside atrial fibrillation
 *   or flutter (a rhythm label beginning `(AF`), which counts as one long supraventricular run.
 *   Q, ?, / and f are unclassifiable. A noise annotation with both signals unreadable (subtype
 *   bits 4 and 5) starts a shutdown, which ends a run. Ventricular flutter/fibrillation runs
 *   from `[` (or a rhythm label beginning `(VF`) to `]` (or the next rhythm label).
 * - **A run** of one annotator (the reference for sensitivity, the test for positive
 *   predictivity) is its consecutive ectopic beats of the kind; its **match window** runs from
 *   150 ms before its first beat to 150 ms after its last. In that window the other annotator's
 *   longest run of the kind is found (an episode overlapping the window counts as 6). Lengths
 *   are counted up to 6.
 * - **Se** of couplets: reference couplets met by a run of ≥ 2 in the test; of short runs:
 *   reference runs of 3–5 met by 3 or more; of long runs: reference runs of ≥ 6 met by ≥ 6.
 *   **+P**: the same with the roles swapped.
 * - The comparison starts 5 minutes into the record (EC57's learning period), as bxb's.
 *
 * The test side here is the project's beat classes only: its ventricular flutter/fibrillation
 * episodes are scored by `npm run bench -- vf`, and its atrial-fibrillation decision is not in
 * the beats output, so a supraventricular run inside reference atrial fibrillation finds no
 * test run (none of the records in `../shared/data` has atrial fibrillation).
 */
import type { WfdbAnnotation } from '../server-contract/formats/wfdb.js';
import type { BeatClass } from '../main/dsp/hrv.js';
import { round1 } from './_common.js';
import { MATCH_WINDOW_S } from './_scoring.js';

/**
 * One annotation as run comparison reads it: a beat's class (`N`, `S`, `V`, `F`, `Q`), `U` (a
 * shutdown begins), `[` / `]` (ventricular flutter/fibrillation begins / ends), `{` / `}`
 * (atrial fibrillation begins / ends).
 */
export type RunLabel = BeatClass | 'U' | '[' | ']' | '{' | '}';

/** A labelled time of one annotator. */
export interface RunMark {
  readonly sample: number;
  readonly label: RunLabel;
}

/** The two kinds of run: ventricular ectopic (`ve`) and supraventricular ectopic (`sve`). */
export type RunKind = 've' | 'sve';

/** Longest run length counted (a run of 6 or more is long). */
const LONG = 6;

/** Beat symbols by run label; the normal ones are supraventricular inside atrial fibrillation. */
const NORMAL_SYMBOLS = new Set(['N', 'L', 'R', 'B']);
const SUPRA_SYMBOLS = new Set(['A', 'a', 'J', 'S', 'j', 'e', 'n']);
const VENTRICULAR_SYMBOLS = new Set(['V', 'r', 'E']);
const UNKNOWN_SYMBOLS = new Set(['Q', '?', '/', 'f']);
/** Subtype bits of a noise annotation that mark both signals unreadable (a shutdown). */
const UNREADABLE_BITS = 0x30;

/** The reference annotations as run labels, in order (rxr's `amap`, with its rhythm state). */
export function referenceRunLabels(annotations: readonly WfdbAnnotation[]): RunMark[] {
  let [inAf, inVf, unreadable] = [false, false, false];
  const out: RunMark[] = [];
  const mark = (sample: number, label: RunLabel): void => {
    out.push({ sample, label });
  };
  for (const a of annotations) {
    const s = a.symbol;
    if (NORMAL_SYMBOLS.has(s)) mark(a.sample, inAf ? 'S' : 'N');
    else if (SUPRA_SYMBOLS.has(s)) mark(a.sample, 'S');
    else if (VENTRICULAR_SYMBOLS.has(s)) mark(a.sample, 'V');
    else if (s === 'F') mark(a.sample, 'F');
    else if (UNKNOWN_SYMBOLS.has(s)) mark(a.sample, 'Q');
    else if (s === '~') {
      if ((a.subtype & UNREADABLE_BITS) === UNREADABLE_BITS) {
        if (!unreadable) mark(a.sample, 'U');
        unreadable = true;
      } else unreadable = false;
    } else if (s === '[' && !inVf) {
      [inAf, inVf] = [false, true];
      mark(a.sample, '[');
    } else if (s === ']' && inVf) {
      inVf = false;
      mark(a.sample, ']');
    } else if (s === '+' && a.aux !== undefined && a.aux !== '') {
      if (a.aux.startsWith('(AF')) {
        if (!inAf) mark(a.sample, '{');
        [inAf, inVf] = [true, false];
      } else if (a.aux.startsWith('(VF')) {
        if (!inVf) mark(a.sample, '[');
        [inAf, inVf] = [false, true];
      } else if (inAf) {
        inAf = false;
        mark(a.sample, '}');
      } else if (inVf) {
        inVf = false;
        mark(a.sample, ']');
      }
    }
  }
  return out;
}

/** What each label does to a run of `kind`: extend it, end it, open an episode, close one, or nothing. */
function role(label: RunLabel, kind: RunKind): 'extend' | 'end' | 'episode' | 'episode-end' | 'none' {
  const ventricular = kind === 've';
  switch (label) {
    case 'V':
    case 'F':
      return ventricular ? 'extend' : 'end';
    case 'S':
      return ventricular ? 'end' : 'extend';
    case 'N':
    case 'Q':
    case 'U':
      return 'end';
    case '[':
      return ventricular ? 'episode' : 'end';
    case '{':
      return ventricular ? 'end' : 'episode';
    case ']':
      return ventricular ? 'episode-end' : 'none';
    case '}':
      return ventricular ? 'none' : 'episode-end';
  }
}

/** Where an episode of `kind` ends: its own end, the other kind's episode start, or a shutdown. */
const EPISODE_ENDS: Readonly<Record<RunKind, readonly RunLabel[]>> = {
  ve: [']', '{', 'U'],
  sve: ['}', '[', 'U'],
};

/**
 * The episodes of `kind` among `marks` (ventricular flutter/fibrillation for `ve`, atrial
 * fibrillation for `sve`), as [start, end] samples (end Infinity when the annotations end first).
 */
export function runEpisodes(marks: readonly RunMark[], kind: RunKind): [number, number][] {
  const opens = kind === 've' ? '[' : '{';
  const out: [number, number][] = [];
  let from = -1;
  for (const m of marks) {
    if (from < 0) {
      if (m.label === opens) from = m.sample;
    } else if (EPISODE_ENDS[kind].includes(m.label)) {
      out.push([from, m.sample]);
      from = -1;
    }
  }
  if (from >= 0) out.push([from, Infinity]);
  return out;
}

/**
 * The longest run of `kind` (up to 6) among `marks` within [t0, t1]; 6 when one of its
 * `episodes` ({@link runEpisodes}) overlaps that window.
 */
export function longestRun(
  marks: readonly RunMark[],
  episodes: readonly [number, number][],
  t0: number,
  t1: number,
  kind: RunKind,
): number {
  if (episodes.some(([from, to]) => from <= t1 && to > t0)) return LONG;
  let [best, current] = [0, 0];
  for (const m of marks) {
    if (m.sample < t0) continue;
    if (m.sample > t1) break;
    const r = role(m.label, kind);
    if (r === 'extend') current = Math.min(LONG, current + 1);
    else if (r === 'end') {
      best = Math.max(best, current);
      current = 0;
    }
  }
  return Math.max(best, current);
}

/** Counts [length in the defining annotator][longest length found in the other], 0–6 each. */
export type RunMatrix = number[][];

function emptyRuns(): RunMatrix {
  return Array.from({ length: LONG + 1 }, () => new Array<number>(LONG + 1).fill(0));
}

/**
 * rxr's pass over the runs of `defining` (each closed by a beat that ends it, or by the end of
 * the annotations), each looked for in `other`: the matrix [defining length][other length].
 */
function runPass(
  defining: readonly RunMark[],
  other: readonly RunMark[],
  kind: RunKind,
  startSample: number,
  windowSamples: number,
): RunMatrix {
  const s = emptyRuns();
  const episodes = runEpisodes(other, kind);
  let [length, from, to] = [0, 0, 0];
  const close = (): void => {
    s[length]![longestRun(other, episodes, from, to, kind)]!++;
    length = 0;
  };
  // an episode in progress when the comparison starts is a run from its start
  let first = defining.findIndex((m) => m.sample >= startSample);
  if (first < 0) first = defining.length;
  for (let i = 0; i < first; i++) {
    const r = role(defining[i]!.label, kind);
    if (r === 'episode') length = LONG;
    else if (r === 'episode-end') length = 0;
  }
  if (length > 0) [from, to] = [startSample - windowSamples, startSample + windowSamples];
  for (let i = first; i < defining.length; i++) {
    const { sample, label } = defining[i]!;
    const r = role(label, kind);
    if (length > 0) {
      if (r === 'extend') {
        length = Math.min(LONG, length + 1);
        to = sample + windowSamples;
      } else if (r === 'episode-end') to = sample + windowSamples;
      // a beat or shutdown ends the run; an episode's start does not (rxr reads it in the window)
      else if (r === 'end' && label !== '[' && label !== '{') close();
    } else if (r === 'extend') {
      [length, from, to] = [1, sample - windowSamples, sample + windowSamples];
    } else if (r === 'episode') {
      [length, from] = [LONG, sample - windowSamples];
    }
  }
  if (length > 0) close();
  return s;
}

/** The sensitivity pass (reference runs) and the positive-predictivity pass (test runs), both [reference][test]. */
export interface RunComparison {
  readonly sensitivity: RunMatrix;
  readonly predictivity: RunMatrix;
}

/**
 * Run-by-run comparison of `test` against `reference` for runs of `kind`, from `startS`
 * (default 300 s, EC57's learning period) with the ±150-ms match window.
 */
export function compareRuns(
  reference: readonly RunMark[],
  test: readonly RunMark[],
  kind: RunKind,
  sampleRateHz: number,
  startS = 300,
): RunComparison {
  const [start, window] = [Math.round(startS * sampleRateHz), Math.round(MATCH_WINDOW_S * sampleRateHz)];
  const byTest = runPass(test, reference, kind, start, window);
  return {
    sensitivity: runPass(reference, test, kind, start, window),
    predictivity: byTest[0]!.map((_, r) => byTest.map((row) => row[r]!)),
  };
}

/** Adds `from` into `into`. */
export function addRuns(into: RunComparison, from: RunComparison): void {
  for (const key of ['sensitivity', 'predictivity'] as const)
    from[key].forEach((row, i) => row.forEach((n, j) => (into[key][i]![j]! += n)));
}

/** An empty comparison, to sum records into. */
export function emptyComparison(): RunComparison {
  return { sensitivity: emptyRuns(), predictivity: emptyRuns() };
}

/** True positives and misses (Se), true positives and false runs (+P) of one run size. */
export interface RunCounts {
  readonly tpSe: number;
  readonly fn: number;
  readonly tpPpv: number;
  readonly fp: number;
}

/** Run sizes: couplets (2), short runs (3–5) and long runs (6 and more). */
export const RUN_SIZES = [
  { key: 'couplet', label: 'couplets', lengths: [2] },
  { key: 'shortRun', label: 'short runs (3-5)', lengths: [3, 4, 5] },
  { key: 'longRun', label: 'long runs (6+)', lengths: [6] },
] as const;

/**
 * rxr's counts for runs of `lengths` (rxr print_results): a run of those lengths met by one at
 * least as short as the shortest of them — couplets by ≥ 2, short runs by ≥ 3, long by 6 — and,
 * for +P, a test run of those lengths met by a reference run of that size or longer (a long
 * test run only by a long one; a short one by 3–6; a couplet by 2–6).
 */
export function runCounts(c: RunComparison, lengths: readonly number[]): RunCounts {
  const least = lengths[0]!;
  let [tpSe, fn, tpPpv, fp] = [0, 0, 0, 0];
  for (const len of lengths) {
    for (let j = 0; j <= LONG; j++) {
      const n = c.sensitivity[len]![j]!;
      if (j >= least) tpSe += n;
      else fn += n;
      const p = c.predictivity[j]![len]!;
      if (j >= least) tpPpv += p;
      else fp += p;
    }
  }
  return { tpSe, fn, tpPpv, fp };
}

/** The test annotator's run labels: the project's beat classes. */
export function testRunLabels(beats: readonly { sample: number; cls: BeatClass }[]): RunMark[] {
  return beats.map((b) => ({ sample: b.sample, label: b.cls }));
}

/** Percent `a` of `b`, one decimal ('-' when b is 0). */
function pctText(a: number, b: number): string {
  return b === 0 ? '-' : ((100 * a) / b).toFixed(1);
}

/** "Se found/reference (%) +P true/called (%)". */
export function sePpvText(found: number, reference: number, truePositive: number, called: number): string {
  return `Se ${found}/${reference} (${pctText(found, reference)}) +P ${truePositive}/${called} (${pctText(truePositive, called)})`;
}

/** Couplets, short and long runs: "Se found/reference (%) +P true/called (%)" each. */
export function runText(c: RunComparison): string {
  return RUN_SIZES.map(({ label, lengths }) => {
    const n = runCounts(c, lengths);
    return `${label} ${sePpvText(n.tpSe, n.tpSe + n.fn, n.tpPpv, n.tpPpv + n.fp)}`;
  }).join(' | ');
}

/** Whether a comparison holds any couplet or run on either side. */
export function hasRuns(c: RunComparison): boolean {
  return RUN_SIZES.some(({ lengths }) => {
    const n = runCounts(c, lengths);
    return n.tpSe + n.fn + n.tpPpv + n.fp > 0;
  });
}

/**
 * Headline keys of ventricular runs: `vCoupletSePct`, `vCoupletPpvPct`, `vShortRunSePct`,
 * `vShortRunPpvPct`, `vLongRunSePct`, `vLongRunPpvPct` (−1 where there is no run to score).
 */
export function runKeys(c: RunComparison): Record<string, number> {
  return Object.fromEntries(
    RUN_SIZES.flatMap(({ key, lengths }) => {
      const n = runCounts(c, lengths);
      const name = key.charAt(0).toUpperCase() + key.slice(1);
      return [
        [`v${name}SePct`, round1((100 * n.tpSe) / (n.tpSe + n.fn))],
        [`v${name}PpvPct`, round1((100 * n.tpPpv) / (n.tpPpv + n.fp))],
      ];
    }),
  );
}
