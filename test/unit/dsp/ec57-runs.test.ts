/**
 * The EC57 run-by-run comparison of `npm run bench -- beats` (bench/_beats-runs.ts), on hand-made
 * annotation sequences whose couplets, short and long runs are known, with the rules of
 * PhysioNet's `rxr`: runs of consecutive V (F continues one), a ±150-ms window around each, the
 * longest run of the other side in it, lengths counted to 6, VF as a long run, 5-min learning.
 */
import { describe, expect, it } from 'vitest';
import type { WfdbAnnotation } from '../../../server-contract/formats/wfdb.js';
import {
  compareRuns,
  longestRun,
  referenceRunLabels,
  runCounts,
  runEpisodes,
  RUN_SIZES,
  testRunLabels,
  type RunMark,
} from '../../../bench/_beats-runs.js';

const FS = 100;

/** Marks at 0.8-s spacing from `fromS`, one per character of `labels` ('N', 'V', 'F', 'S', 'Q'). */
function marks(labels: string, fromS = 0): RunMark[] {
  return Array.from(labels, (c, k) => ({
    sample: Math.round((fromS + 0.8 * k) * FS),
    label: c as RunMark['label'],
  }));
}

/** Se and +P counts of each run size, [tp, total] pairs: couplets, short runs, long runs. */
function counts(reference: RunMark[], test: RunMark[]): number[][] {
  const c = compareRuns(reference, test, 've', FS, 0);
  return RUN_SIZES.map(({ lengths }) => {
    const n = runCounts(c, lengths);
    return [n.tpSe, n.tpSe + n.fn, n.tpPpv, n.tpPpv + n.fp];
  });
}

function annotation(sample: number, symbol: string, aux?: string, subtype = 0): WfdbAnnotation {
  return { sample, symbol, code: 0, subtype, chan: 0, num: 0, aux };
}

describe('EC57 run-by-run comparison (rxr)', () => {
  it('finds a couplet, a short run and a long run that the test calls alike', () => {
    const labels = 'NNVVNNVVVNNVVVVVVVNN';
    expect(counts(marks(labels), marks(labels))).toEqual([
      [1, 1, 1, 1],
      [1, 1, 1, 1],
      [1, 1, 1, 1],
    ]);
  });

  it('counts a short run broken in two as missed, and its couplet half as a true couplet', () => {
    // reference: a triplet; test: a couplet, a normal beat where the third V was, nothing else
    const [couplets, shortRuns] = counts(marks('NNVVVNN'), marks('NNVVNNN'));
    expect(shortRuns).toEqual([0, 1, 0, 0]);
    // the test's couplet lies within a reference run of 3, so it is no false couplet
    expect(couplets).toEqual([0, 0, 1, 1]);
  });

  it('calls a test run that the reference does not hold false, and one beyond ±150 ms missed', () => {
    const reference = marks('NNVVNNNNNN');
    const test = marks('NNNNNNVVNN');
    expect(counts(reference, test)[0]).toEqual([0, 1, 0, 1]);
    // shifted by 100 ms the couplet still matches; by 200 ms it does not
    const shifted = (dt: number): RunMark[] => reference.map((m) => ({ ...m, sample: m.sample + dt * FS }));
    expect(counts(reference, shifted(0.1))[0]).toEqual([1, 1, 1, 1]);
    expect(counts(reference, shifted(0.2))[0]).toEqual([0, 1, 0, 1]);
  });

  it('continues a ventricular run through a fusion beat, and ends it at a supraventricular one', () => {
    expect(counts(marks('NVFVN'), marks('NVVVN'))[1]).toEqual([1, 1, 1, 1]);
    expect(counts(marks('NVSVN'), marks('NVSVN'))[0]).toEqual([0, 0, 0, 0]);
  });

  it('takes a ventricular flutter/fibrillation episode for a long run', () => {
    const reference: RunMark[] = [
      ...marks('NNN'),
      { sample: 250, label: '[' },
      { sample: 900, label: ']' },
      ...marks('NNN', 10),
    ];
    // the test's six ventricular beats inside the episode meet it; a test couplet there is a miss
    expect(counts(reference, [...marks('NNN'), ...marks('VVVVVV', 2.6), ...marks('NNN', 10)])[2]).toEqual([
      1, 1, 1, 1,
    ]);
    expect(counts(reference, [...marks('NNN'), ...marks('VV', 2.6), ...marks('NNN', 10)])[2]).toEqual([
      0, 1, 0, 0,
    ]);
    expect(runEpisodes(reference, 've')).toEqual([[250, 900]]);
    expect(longestRun(reference, runEpisodes(reference, 've'), 800, 850, 've')).toBe(6);
  });

  it('leaves out the runs of the 5-minute learning period', () => {
    const reference = [...marks('NVVN'), ...marks('NVVVN', 400)];
    const c = compareRuns(reference, testRunLabels([]), 've', FS);
    expect(runCounts(c, [2])).toEqual({ tpSe: 0, fn: 0, tpPpv: 0, fp: 0 });
    expect(runCounts(c, [3, 4, 5])).toEqual({ tpSe: 0, fn: 1, tpPpv: 0, fp: 0 });
  });

  it('reads MIT-BIH labels, rhythms and shutdowns as rxr does', () => {
    const labels = referenceRunLabels([
      annotation(10, 'N'),
      annotation(20, 'r'),
      annotation(30, '+', '(AFIB'),
      annotation(40, 'N'),
      annotation(50, '+', '(N'),
      annotation(60, 'L'),
      annotation(70, '+', '(VFL'),
      annotation(80, '+', '(N'),
      annotation(90, '~', undefined, 0x30),
      annotation(95, '~', undefined, 0x30),
      annotation(100, '~', undefined, 0x10),
      annotation(110, 'j'),
      annotation(120, '/'),
    ]);
    expect(labels.map((m) => m.label).join('')).toBe('NV{S}N[]USQ');
  });
});
