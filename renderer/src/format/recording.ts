/**
 * How a recording reads on screen: its state in plain words (recording, paused and why,
 * interrupted by a restart, ended and why) and the summary sent with its end, as label/value
 * pairs in the units the contract's field names carry (`durationMs`, `meanHeartRateBpm`, …).
 */
import { LEADS, type RecordingState } from '../api-types.js';

export type RecordingSummary = NonNullable<RecordingState['summary']>;

/** One row of the summary's definition list. */
export interface Fact {
  term: string;
  value: string;
}

const END_REASON_TEXT: Record<string, string> = {
  stopped: 'Stopped by staff',
  gateway_restarted: 'The gateway restarted during the recording, and staff stopped it',
  gateway_closed: 'The gateway was shut down',
  disk_quota: 'The gateway’s storage quota was full',
  disk_full: 'The gateway’s disk was full',
  storage_error: 'The gateway could not store data',
};

const PAUSE_TEXT: Record<string, string> = {
  disk_quota: 'the gateway’s storage quota is full (too much is waiting for upload)',
  disk_full: 'the gateway’s disk is full',
  storage_error: 'the gateway could not write to its storage',
};

const RESUME_TEXT: Record<string, string> = {
  disk_quota: 'when there is room again (uploading to the server makes room)',
  disk_full: 'when disk space is freed',
  storage_error: 'when storage works again (it tries every few seconds)',
};

/** True while a recording is open: recording, paused or interrupted (Start must wait). */
export function isOpen(recording: RecordingState | null): recording is RecordingState {
  return recording !== null && recording.state !== 'ended';
}

/** Why a recording ended, as staff read it (unknown codes are shown with spaces). */
export function endReasonText(reason: string | null | undefined): string {
  if (reason === null || reason === undefined) return 'Not recorded';
  return END_REASON_TEXT[reason] ?? capitalise(reason.replace(/_/g, ' '));
}

/** Why capture is paused, in plain words (the `suspended` code of the recording state). */
export function pauseReasonText(reason: string): string {
  return PAUSE_TEXT[reason] ?? reason.replace(/_/g, ' ');
}

/** When paused capture resumes by itself, in plain words. */
export function pauseResumeText(reason: string): string {
  return RESUME_TEXT[reason] ?? 'when the cause is fixed';
}

/** A duration as "1 h 02 min 05 s", "2 min 05 s" or "9 s" (rounded to the second). */
export function durationText(durationMs: number): string {
  const totalS = Math.max(0, Math.round(durationMs / 1000));
  const h = Math.floor(totalS / 3600);
  const min = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (h > 0) return `${h} h ${pad(min)} min ${pad(s)} s`;
  if (min > 0) return `${min} min ${pad(s)} s`;
  return `${s} s`;
}

/** A clock time as staff read it (24 h, seconds). */
export function clockText(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString('en-GB');
}

const NOT_MEASURED = 'not measured';
const count = (n: number): string => n.toLocaleString('en-GB');
const bpm = (v: number | null | undefined): string =>
  v === null || v === undefined ? NOT_MEASURED : `${Math.round(v)} bpm`;
/** Number and unit kept on one line (a no-break space), so a long list wraps only between items. */
const pct = (v: number): string => `${Math.round(v)}\u00a0%`;
const plural = (n: number, one: string, many: string): string => `${count(n)} ${n === 1 ? one : many}`;

/**
 * Good-signal share per lead in display order, e.g. "I 100 %, II 98 %, …", or "All 12 leads 100 %"
 * when every lead rounds to the same; null when absent.
 */
export function leadQualityText(byLead: RecordingSummary['goodSignalPctByLead']): string | null {
  if (byLead === undefined) return null;
  const present = LEADS.flatMap((lead) => {
    const v = byLead[lead];
    return v === undefined ? [] : [{ lead, text: pct(v) }];
  });
  if (present.length === 0) return null;
  const first = present[0]?.text;
  if (present.length > 1 && present.every((p) => p.text === first))
    return `All ${present.length} leads ${first}`;
  return present.map((p) => `${p.lead}\u00a0${p.text}`).join(', ');
}

/**
 * The arrest rhythms computed in a recording, e.g. "Ventricular flutter/fibrillation ×1 (15 s)";
 * "None"; `NOT_MEASURED` when the summary does not count them (no ECG).
 */
export function arrestText(summary: RecordingSummary): string {
  const { vfEpisodes, vfMs, asystoleEpisodes, asystoleMs } = summary;
  if (vfEpisodes === undefined || asystoleEpisodes === undefined) return NOT_MEASURED;
  const parts = [
    ...(vfEpisodes > 0
      ? [`Ventricular flutter/fibrillation ×${vfEpisodes} (${durationText(vfMs ?? 0)})`]
      : []),
    ...(asystoleEpisodes > 0 ? [`asystole ×${asystoleEpisodes} (${durationText(asystoleMs ?? 0)})`] : []),
  ];
  return parts.length === 0 ? 'None' : capitalise(parts.join('; '));
}

/** The recording's summary as definition-list rows, in the order staff scan them. */
export function summaryFacts(summary: RecordingSummary, endReason: string | null): Fact[] {
  const byLead = leadQualityText(summary.goodSignalPctByLead);
  const watch =
    summary.hrReadings === 0 && summary.accelSamples === 0
      ? 'None'
      : `${plural(summary.hrReadings, 'heart-rate reading', 'heart-rate readings')}, ${plural(summary.accelSamples, 'movement sample', 'movement samples')}`;
  return [
    { term: 'Duration', value: durationText(summary.durationMs) },
    { term: 'Beats', value: summary.beats === null ? NOT_MEASURED : count(summary.beats) },
    { term: 'Mean heart rate', value: bpm(summary.meanHeartRateBpm) },
    { term: 'Lowest heart rate', value: bpm(summary.minHeartRateBpm) },
    { term: 'Highest heart rate', value: bpm(summary.maxHeartRateBpm) },
    {
      term: 'PVCs',
      value: summary.pvcCount === null ? NOT_MEASURED : count(summary.pvcCount),
    },
    {
      term: 'PACs',
      value: summary.pacCount === null ? NOT_MEASURED : count(summary.pacCount),
    },
    {
      term: 'Ventricular runs (3 beats or more)',
      value: summary.ventricularRuns === undefined ? NOT_MEASURED : count(summary.ventricularRuns),
    },
    {
      term: 'Supraventricular runs (3 beats or more)',
      value: summary.supraventricularRuns === undefined ? NOT_MEASURED : count(summary.supraventricularRuns),
    },
    { term: 'Arrest rhythms (computed)', value: arrestText(summary) },
    {
      term: 'Good signal, overall',
      value:
        summary.signalQualityPct === null ? NOT_MEASURED : `${pct(summary.signalQualityPct)} of the time`,
    },
    { term: 'Good signal, per lead', value: byLead ?? NOT_MEASURED },
    {
      term: 'Gaps',
      value:
        summary.gapCount === 0
          ? 'None'
          : `${plural(summary.gapCount, 'gap', 'gaps')}, ${durationText(summary.gapMs)} in total`,
    },
    { term: 'Watch readings', value: watch },
    { term: 'End reason', value: endReasonText(summary.endReason ?? endReason) },
  ];
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
