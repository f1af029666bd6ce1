/**
 * A recording's totals, accumulated as data arrives and kept with the recording (so a recording
 * continued after a restart keeps counting): duration, beats, mean/min/max heart rate, PVC/PAC
 * counts (from the beats' classes), rhythm episodes (arrest rhythms, ventricular and
 * supraventricular runs), the share of ECG time each lead was good, gaps, watch readings.
 * `summary()` gives the contract's RecordingSummary sent with the recording's end.
 */
import { z } from 'zod';
import type { RecordingSummary } from '../../server-contract/api/recordings.js';
import { STANDARD_LEAD_NAMES, type LeadName } from '../../server-contract/api/streams.js';
import type { BeatClass } from '../dsp/hrv.js';
import type { RhythmEpisodeKind } from '../dsp/rhythm-gate.js';
import type { LeadQualityName } from './live-ecg.js';

/** Mean heart rate uses RR intervals in this physiological range only (30–300 bpm). */
const MIN_RR_MS = 200;
const MAX_RR_MS = 2000;

export const TotalsSchema = z.strictObject({
  beats: z.int().min(0),
  /** Sum and count of RR intervals between consecutive beats (no gap between them). */
  rrSumMs: z.number().min(0),
  rrCount: z.int().min(0),
  minHrBpm: z.number().nullable(),
  maxHrBpm: z.number().nullable(),
  pvc: z.int().min(0),
  pac: z.int().min(0),
  ecgSets: z.int().min(0),
  goodSets: z.record(z.string(), z.int().min(0)),
  gapCount: z.int().min(0),
  gapMs: z.number().min(0),
  hrReadings: z.int().min(0),
  accelSamples: z.int().min(0),
  lastBeatMs: z.number().nullable(),
  /** Rhythm episodes by event kind: how many began or ended in the recording, and the ms of those that ended. */
  episodes: z
    .record(z.string(), z.strictObject({ count: z.int().min(0), ms: z.number().min(0) }))
    .default({}),
  /** Rhythm episodes begun and not ended yet: kind and onset. */
  openEpisodes: z.array(z.strictObject({ kind: z.string(), tMs: z.number() })).default([]),
});
export type Totals = z.infer<typeof TotalsSchema>;

export function emptyTotals(): Totals {
  return {
    beats: 0,
    rrSumMs: 0,
    rrCount: 0,
    minHrBpm: null,
    maxHrBpm: null,
    pvc: 0,
    pac: 0,
    ecgSets: 0,
    goodSets: {},
    gapCount: 0,
    gapMs: 0,
    hrReadings: 0,
    accelSamples: 0,
    lastBeatMs: null,
    episodes: {},
    openEpisodes: [],
  };
}

/** See the file comment. */
export class SummaryAccumulator {
  constructor(readonly totals: Totals) {}

  /** A beat of the beats stream: counted, its RR interval, and a PVC (V) or PAC (S) by its class. */
  beat(tMs: number, beatClass: BeatClass): void {
    const t = this.totals;
    t.beats++;
    if (beatClass === 'V') t.pvc++;
    else if (beatClass === 'S') t.pac++;
    if (t.lastBeatMs !== null) {
      const rr = tMs - t.lastBeatMs;
      if (rr >= MIN_RR_MS && rr <= MAX_RR_MS) {
        t.rrSumMs += rr;
        t.rrCount++;
      }
    }
    t.lastBeatMs = tMs;
  }

  /** A gap: the next beat does not form an RR interval with the last one. */
  gap(durationMs: number): void {
    this.totals.gapCount++;
    this.totals.gapMs += Math.max(0, durationMs);
    this.totals.lastBeatMs = null;
  }

  heartRate(bpm: number | null): void {
    if (bpm === null) return;
    const t = this.totals;
    t.minHrBpm = t.minHrBpm === null ? bpm : Math.min(t.minHrBpm, bpm);
    t.maxHrBpm = t.maxHrBpm === null ? bpm : Math.max(t.maxHrBpm, bpm);
  }

  /**
   * A rhythm episode (arrest rhythm, ventricular run, rate episode) reported at its onset
   * (`durationMs` undefined) or at its end: counted once, at its onset, or at its end when it
   * began before the recording (then with its whole length).
   */
  episode(kind: string, tMs: number, durationMs: number | undefined): void {
    const t = this.totals;
    const totals = (t.episodes[kind] ??= { count: 0, ms: 0 });
    const open = t.openEpisodes.findIndex((e) => e.kind === kind && e.tMs === tMs);
    if (durationMs === undefined) {
      if (open >= 0) return;
      totals.count++;
      t.openEpisodes.push({ kind, tMs });
      return;
    }
    if (open >= 0) t.openEpisodes.splice(open, 1);
    else totals.count++;
    totals.ms += Math.max(0, durationMs);
  }

  quality(quality: Record<LeadName, LeadQualityName>, sets: number): void {
    const t = this.totals;
    t.ecgSets += sets;
    for (const lead of STANDARD_LEAD_NAMES) {
      if (quality[lead] === 'good') t.goodSets[lead] = (t.goodSets[lead] ?? 0) + sets;
    }
  }

  hr(): void {
    this.totals.hrReadings++;
  }

  accel(samples: number): void {
    this.totals.accelSamples += samples;
  }

  /** The summary of a recording of `durationMs` ending at `endMs` (an episode still open counts up to it). */
  summary(durationMs: number, endReason: string, endMs: number): RecordingSummary {
    const t = this.totals;
    const hasEcg = t.ecgSets > 0;
    type Kind = RhythmEpisodeKind | 'ventricular_run' | 'supraventricular_run';
    const episodes = (kind: Kind): [count: number, ms: number] => {
      const open = t.openEpisodes.filter((e) => e.kind === kind);
      const closed = t.episodes[kind] ?? { count: 0, ms: 0 };
      const ms = closed.ms + open.reduce((sum, e) => sum + Math.max(0, endMs - e.tMs), 0);
      return [closed.count, Math.round(ms)];
    };
    const [vfEpisodes, vfMs] = episodes('ventricular_flutter_fibrillation');
    const [asystoleEpisodes, asystoleMs] = episodes('asystole');
    const [ventricularRuns] = episodes('ventricular_run');
    const [supraventricularRuns] = episodes('supraventricular_run');
    const byLead: Partial<Record<LeadName, number>> = {};
    if (hasEcg) {
      for (const lead of STANDARD_LEAD_NAMES)
        byLead[lead] = round1((100 * (t.goodSets[lead] ?? 0)) / t.ecgSets);
    }
    const shares = Object.values(byLead);
    return {
      durationMs: Math.max(0, Math.round(durationMs)),
      beats: hasEcg ? t.beats : null,
      meanHeartRateBpm: t.rrCount > 0 ? round1(60_000 / (t.rrSumMs / t.rrCount)) : null,
      pvcCount: hasEcg ? t.pvc : null,
      pacCount: hasEcg ? t.pac : null,
      // "usable ECG": the mean over the 12 leads of the share of time each was good
      signalQualityPct: hasEcg ? round1(shares.reduce((a, b) => a + b, 0) / shares.length) : null,
      gapCount: t.gapCount,
      gapMs: Math.round(t.gapMs),
      hrReadings: t.hrReadings,
      accelSamples: t.accelSamples,
      minHeartRateBpm: t.minHrBpm,
      maxHeartRateBpm: t.maxHrBpm,
      ...(hasEcg
        ? {
            goodSignalPctByLead: byLead,
            vfEpisodes,
            vfMs,
            asystoleEpisodes,
            asystoleMs,
            ventricularRuns,
            supraventricularRuns,
          }
        : {}),
      endReason,
    };
  }
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
