/**
 * An ECG segment from `recordings.ecg` turned into what a page draws: per contiguous run, the 12
 * standard leads in microvolts (derived from the 8 acquired channels with the contract's own
 * derivation, `deriveExportLeads`), plus the gaps, which are drawn as gaps and never filled.
 */
import type { z } from 'zod';
import type { EcgSegmentSchema, LeadName } from '../../../../server-contract/api/index.js';
import { STANDARD_LEAD_NAMES } from '../../../../server-contract/api/index.js';
import {
  EXPORT_LEAD_DIVISORS,
  checkAcquiredLeads,
  deriveExportLeads,
} from '../../../../server-contract/formats/ecg-leads.js';

export type EcgSegment = z.output<typeof EcgSegmentSchema>;

/** One contiguous run of the 12 leads. */
export interface LeadRun {
  startMs: number;
  sampleCount: number;
  /** Microvolts per lead, indexed like {@link STANDARD_LEAD_NAMES}. */
  microvolts: Float32Array[];
}

export interface PageSignal {
  sampleRateHz: number;
  runs: LeadRun[];
  gaps: { startMs: number; durationMs: number; cause: string }[];
}

/** Index of `lead` in the runs' `microvolts`. */
export function leadIndex(lead: LeadName): number {
  return STANDARD_LEAD_NAMES.indexOf(lead);
}

/** Derives the 12 leads of every run in µV; throws when the channels are not the unit's 8. */
export function pageSignal(segment: EcgSegment): PageSignal {
  checkAcquiredLeads(segment.leads);
  const runs = segment.runs.map((run) => {
    const derived = STANDARD_LEAD_NAMES.map(() => new Int32Array(run.sampleCount));
    deriveExportLeads(run.channels, 0, run.sampleCount, derived);
    const microvolts = derived.map((lead, k) => {
      const uvPerUnit = segment.lsbNanovolts / EXPORT_LEAD_DIVISORS[k]! / 1000;
      return Float32Array.from(lead, (v) => v * uvPerUnit);
    });
    return { startMs: run.startMs, sampleCount: run.sampleCount, microvolts };
  });
  return { sampleRateHz: segment.sampleRateHz, runs, gaps: segment.gaps };
}
