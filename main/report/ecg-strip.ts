/**
 * The 10 s of ECG a report prints: which 10 s (staff's start, else the last 10 s of good-quality
 * signal) and the 12 leads over it, filtered for printing. Gaps stay gaps (NaN): the filter runs
 * over each recorded stretch on its own and nothing is drawn where nothing was recorded.
 */
import { PAGE_DURATION_MS } from '../../server-contract/formats/ecg-page.js';
import { filterEcgZeroPhase, type MainsSetting } from '../dsp/filters-ecg.js';
import { deriveLeads, STANDARD_LEADS } from '../dsp/leads.js';
import { assessLeadQuality, LeadQuality } from '../dsp/quality.js';
import type { RecordingChunks } from './recording-chunks.js';
import { ReportError } from './report-errors.js';

/** The printed band: the live view's 0.5–40 Hz, applied zero-phase (no delay) to the stored samples. */
export const PRINT_FILTER = { highpassHz: 0.5, lowpassHz: 40 } as const;

/** How far back the automatic choice looks for good signal (bounds the work on long recordings). */
export const GOOD_SIGNAL_SEARCH_MS = 60 * 60_000;
/** Candidate strips are tried every this many ms, from the end backwards. */
const SEARCH_STEP_MS = 2_500;
/** Signal read before a strip so the quality monitor's filters have settled when it starts. */
const QUALITY_PREROLL_MS = 2_000;
/** Signal read on both sides of a strip so the print filter has no edge transient inside it. */
const FILTER_MARGIN_MS = 2_000;

export type StripChosenBy = 'staff' | 'good_signal' | 'last_signal';

/** The strip's place in the recording. */
export interface StripChoice {
  startMs: number;
  chosenBy: StripChosenBy;
}

/** The 12 leads over the strip, µV, filtered; NaN where nothing was recorded. */
export interface EcgStrip extends StripChoice {
  sampleRateHz: number;
  /** STANDARD_LEADS order. */
  leadsUv: Float64Array[];
}

/** Time of day, UTC, for messages (hh:mm:ss). */
export function utcClock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/**
 * Where the strip goes. Staff's start must leave the whole 10 s inside the recorded ECG;
 * otherwise the latest 10 s without gaps whose 8 acquired channels are all rated good (within
 * {@link GOOD_SIGNAL_SEARCH_MS} of the end), or, when none is, the last 10 s.
 */
export function chooseStrip(
  chunks: RecordingChunks,
  requestedStartMs: number | undefined,
  mainsHz: MainsSetting,
): StripChoice {
  const extent = chunks.ecgExtent();
  if (extent === null) throw new ReportError('signal_unavailable', 'This recording has no ECG.');
  const toleranceMs = 1000 / chunks.rateAt(extent.endMs);
  if (requestedStartMs !== undefined) {
    const latest = extent.endMs - PAGE_DURATION_MS;
    if (requestedStartMs < extent.startMs - toleranceMs || requestedStartMs > latest + toleranceMs)
      throw new ReportError(
        'segment_out_of_range',
        latest < extent.startMs
          ? `The recording holds only ${((extent.endMs - extent.startMs) / 1000).toFixed(1)} s of ECG: a chosen 10-s segment does not fit; leave the start empty.`
          : `A segment starting at ${utcClock(requestedStartMs)} UTC is outside the recorded ECG: choose a start between ${utcClock(extent.startMs)} and ${utcClock(latest)} UTC.`,
      );
    return { startMs: requestedStartMs, chosenBy: 'staff' };
  }
  const lastStart = Math.max(extent.startMs, extent.endMs - PAGE_DURATION_MS);
  const searchFrom = Math.max(extent.startMs, extent.endMs - GOOD_SIGNAL_SEARCH_MS);
  for (let start = lastStart; start >= searchFrom - toleranceMs; start -= SEARCH_STEP_MS) {
    if (isGoodStrip(chunks, Math.max(start, extent.startMs), mainsHz))
      return { startMs: Math.max(start, extent.startMs), chosenBy: 'good_signal' };
  }
  return { startMs: lastStart, chosenBy: 'last_signal' };
}

/** No gap, and every acquired channel rated good in every 1-s window of the strip. */
function isGoodStrip(chunks: RecordingChunks, startMs: number, mainsHz: MainsSetting): boolean {
  const endMs = startMs + PAGE_DURATION_MS;
  if (chunks.ecgHoles(startMs, endMs).length > 0) return false;
  const rateHz = chunks.rateAt(startMs);
  const prerollMs =
    chunks.ecgHoles(startMs - QUALITY_PREROLL_MS, startMs).length === 0 ? QUALITY_PREROLL_MS : 0;
  const count = Math.round(((PAGE_DURATION_MS + prerollMs) * rateHz) / 1000);
  const window = chunks.readEcg(startMs - prerollMs, rateHz, count);
  const skipWindows = Math.round(prerollMs / 1000);
  return window.channelsUv.every((channel) => {
    if (channel.some((v) => Number.isNaN(v))) return false;
    const codes = assessLeadQuality(channel, { sampleRateHz: rateHz, microvoltsPerUnit: 1, mainsHz });
    return codes.subarray(skipWindows).every((c) => c === LeadQuality.good);
  });
}

/** Reads and filters the 12 leads of the strip (with margins so the filter settles outside it). */
export function readStrip(chunks: RecordingChunks, choice: StripChoice, mainsHz: MainsSetting): EcgStrip {
  const rateHz = chunks.rateAt(choice.startMs);
  const margin = Math.round((FILTER_MARGIN_MS * rateHz) / 1000);
  const count = Math.round((PAGE_DURATION_MS * rateHz) / 1000);
  const window = chunks.readEcg(choice.startMs - (margin * 1000) / rateHz, rateHz, count + 2 * margin);
  const leads = deriveLeads(window.channelsUv);
  const leadsUv = leads.map((lead) => {
    const filtered = filterStretches(lead, { sampleRateHz: rateHz, mainsHz, ...PRINT_FILTER });
    return filtered.slice(margin, margin + count);
  });
  if (leadsUv.length !== STANDARD_LEADS.length) throw new Error('lead derivation gave the wrong count');
  return { ...choice, sampleRateHz: rateHz, leadsUv };
}

/** Zero-phase filtering of each finite stretch on its own; NaN stays NaN. */
function filterStretches(
  lead: Float64Array,
  options: Parameters<typeof filterEcgZeroPhase>[1],
): Float64Array {
  const out = new Float64Array(lead.length).fill(Number.NaN);
  let from = -1;
  for (let i = 0; i <= lead.length; i++) {
    const finite = i < lead.length && Number.isFinite(lead[i]!);
    if (finite && from < 0) from = i;
    if (!finite && from >= 0) {
      out.set(filterEcgZeroPhase(lead.subarray(from, i), options), from);
      from = -1;
    }
  }
  return out;
}
