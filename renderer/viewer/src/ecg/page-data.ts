/**
 * The ECG of a `recordings.page` answer (an ECG segment and its beats) turned into what the
 * shared page-drawing module draws (`renderer/src/ecg/page`): the 12 standard leads in microvolts
 * on the page's sample grid, derived from the 8 acquired channels with the contract's own
 * derivation (`deriveExportLeads`), NaN wherever nothing was recorded (gaps are drawn as gaps,
 * never filled), and the beats with their class.
 */
import type { z } from 'zod';
import type { BeatRecord, EcgSegmentSchema } from '../../../../server-contract/api/index.js';
import { STANDARD_LEAD_NAMES } from '../../../../server-contract/api/index.js';
import {
  EXPORT_LEAD_DIVISORS,
  checkAcquiredLeads,
  deriveExportLeads,
} from '../../../../server-contract/formats/ecg-leads.js';
import { PAGE_DURATION_MS, PAPER_SPEED_MM_PER_S } from '../../../../server-contract/formats/ecg-page.js';
import type { EcgPageData, PageLeadName } from '../../../src/ecg/page/index.js';

export type EcgSegment = z.output<typeof EcgSegmentSchema>;

/** A recorded gap, as the segment names it. */
export type SegmentGap = EcgSegment['gaps'][number];

/** Time one page covers at `speedMmPerS`: always 250 mm of paper (10 s at 25 mm/s). */
export function pageDurationMs(speedMmPerS: number): number {
  return (PAGE_DURATION_MS * PAPER_SPEED_MM_PER_S) / speedMmPerS;
}

/**
 * The page `[startMs, startMs + durationMs)` of `segment`: each lead in µV on the grid
 * `startMs + k × 1000 / rate`, NaN where there is no sample, with each lead's mean over the page
 * removed (the stored samples are the unit's, unfiltered: this keeps every trace on its row).
 * Throws when the channels are not the unit's 8 in wire order.
 */
export function toPageData(
  segment: EcgSegment,
  beats: readonly BeatRecord[],
  startMs: number,
  durationMs: number,
): EcgPageData {
  checkAcquiredLeads(segment.leads);
  const rate = segment.sampleRateHz;
  const length = Math.round((durationMs * rate) / 1000);
  const leads = STANDARD_LEAD_NAMES.map(() => new Float32Array(length).fill(Number.NaN));
  for (const run of segment.runs) {
    const derived = STANDARD_LEAD_NAMES.map(() => new Int32Array(run.sampleCount));
    deriveExportLeads(run.channels, 0, run.sampleCount, derived);
    const first = Math.round(((run.startMs - startMs) * rate) / 1000);
    derived.forEach((values, lead) => {
      const uvPerUnit = segment.lsbNanovolts / EXPORT_LEAD_DIVISORS[lead]! / 1000;
      const out = leads[lead]!;
      for (let i = Math.max(0, -first); i < run.sampleCount && first + i < length; i++)
        out[first + i] = values[i]! * uvPerUnit;
    });
  }
  for (const values of leads) removeMean(values);
  const samplesUv: Partial<Record<PageLeadName, Float32Array>> = {};
  STANDARD_LEAD_NAMES.forEach((name, k) => (samplesUv[name] = leads[k]));
  return {
    startMs,
    sampleRateHz: rate,
    durationMs,
    samplesUv,
    beats: beats
      .filter((b) => b.tMs >= startMs && b.tMs < startMs + durationMs)
      .map((b) => ({ offsetMs: b.tMs - startMs, beatClass: b.beatClass })),
  };
}

function removeMean(values: Float32Array): void {
  let sum = 0;
  let n = 0;
  for (const v of values)
    if (!Number.isNaN(v)) {
      sum += v;
      n++;
    }
  if (n === 0) return;
  const mean = sum / n;
  for (let i = 0; i < values.length; i++) values[i]! -= mean;
}
