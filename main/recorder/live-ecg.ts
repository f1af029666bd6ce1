/**
 * The live ECG pipeline of one connected unit: per sample set the 12 leads filtered for display,
 * beats with their AAMI class, per-lead quality, the 2-s measurement schedule, rhythm flags and
 * rhythm episodes (ventricular flutter/fibrillation, asystole: no beats and no measurements
 * inside them). Output goes to the
 * recorder's listener: display batches (~25 a second) for the UI, and beats, measurements and
 * flags both for the UI and for the recording's streams. The unit's lead-off report reaches the
 * pipeline with the samples; each time beat detection learns the patient afresh (on request, or
 * by itself after a lead-off) the listener gets a `device` event saying so.
 *
 * Samples reach the pipeline on the unit's session timeline (runs end to end, with their gaps).
 * The pipeline counts only the samples pushed into it, so each contiguous stretch remembers where
 * it starts on the session timeline and on its run's clock; a beat is placed by the stretch that
 * holds it. Stretches older than the detector's longest delay are forgotten.
 */
import type { EcgBatchSchema, Electrode } from '../../preload/schemas.js';
import {
  EPISODE_END_UNSEEN_NOTE,
  type BeatRecord,
  type EventRecord,
  type LeadName,
  type MeasurementRecord,
} from '../../server-contract/api/streams.js';
import type { z } from 'zod';
import type { Ecg12SamplesEvent } from '../devices/ecg12/unit.js';
import { leadOffElectrodes } from '../devices/ecg12/protocol.js';
import { deriveFrame, STANDARD_LEADS } from '../dsp/leads.js';
import { liveFilterBand } from '../dsp/filters-ecg.js';
import { DEFAULT_DETECTION_LEADS, LivePipeline, type RelearnCause } from '../dsp/pipeline.js';
import { leadsSpoiledBy } from '../dsp/quality-electrodes.js';
import type { RhythmEpisode } from '../dsp/rhythm-gate.js';
import { LEAD_QUALITY_NAMES } from '../dsp/quality.js';
import { RhythmEvents, type RhythmEvent } from '../dsp/rhythm-events.js';
import { LiveMeasurements } from './live-measurements.js';

type EcgBatch = z.infer<typeof EcgBatchSchema>;
export type LeadQualityName = 'good' | 'noisy' | 'flat' | 'saturated' | 'lead_off';

/** Where the live pipeline's results go. */
export interface LiveEcgListener {
  batch(batch: EcgBatch): void;
  beat(beat: BeatRecord): void;
  measurement(record: MeasurementRecord): void;
  /**
   * Rhythm events from the classed beats (rhythmRecord): each PVC and PAC, pauses, and the
   * episodes (ventricular runs, bradycardia, tachycardia) at their onset and again at their end.
   */
  rhythm(event: EventRecord, source: RhythmEvent): void;
  /**
   * A rhythm episode (ventricular flutter/fibrillation, asystole) opened (`durationMs` absent) or
   * closed (`durationMs` set; `tMs` is still its onset; the note EPISODE_END_UNSEEN_NOTE when it
   * closed because every detection lead went off or clipped, not because it was seen to end).
   */
  episode(event: EventRecord): void;
  /** Per-lead quality after a samples event, and how many sets it covered. */
  quality(quality: Record<LeadName, LeadQualityName>, sets: number): void;
  /** Beat detection learned the patient afresh (a `device` event: when and why). */
  relearned(event: EventRecord): void;
}

const RELEARN_NOTES: Record<RelearnCause, string> = {
  leads_back:
    'Beat detection relearned: the ECG shows again after every detection lead was off, flat or clipping',
  requested: 'Beat detection relearned at staff request',
};

/** Acquired channels (I, II, V1…V6) each standard lead depends on. */
const SOURCES: Record<LeadName, number[]> = {
  I: [0],
  II: [1],
  III: [0, 1],
  aVR: [0, 1],
  aVL: [0, 1],
  aVF: [0, 1],
  V1: [2],
  V2: [3],
  V3: [4],
  V4: [5],
  V5: [6],
  V6: [7],
};

/**
 * The standard leads that `electrodes` reported off leave without ECG (a derived limb lead needs
 * both I and II), and whether they include every lead the live pipeline detects beats on (then
 * beat detection and the arrest alarms wait for the electrodes).
 */
export function leadsLostTo(electrodes: readonly Electrode[]): { lost: LeadName[]; detectionLost: boolean } {
  const spoiled = leadsSpoiledBy(electrodes);
  const lost = STANDARD_LEADS.filter((lead) => SOURCES[lead].some((c) => spoiled[c]));
  return { lost, detectionLost: DEFAULT_DETECTION_LEADS.every((lead) => lost.includes(lead)) };
}

/** Ventricular tachycardia lasting this long is sustained (ACC/AHA/ESC 2006), ms. */
const SUSTAINED_VT_MS = 30_000;
/** A ventricular run faster than this is ventricular tachycardia (ACC/AHA/ESC 2006), bpm. */
export const VT_RATE_BPM = 100;

/**
 * A rhythm event as the events stream records it: an episode's onset without `durationMs`, its
 * end with it; a run's note gives its beats and rate and names it (ventricular tachycardia over
 * 100/min, non-sustained under 30 s, an idioventricular rhythm when slower; supraventricular
 * tachycardia over 100/min), a rate episode's its extreme rate; two ectopic beats in a row are
 * each noted "couplet".
 */
export function rhythmRecord(e: RhythmEvent): EventRecord {
  const tMs = Math.round(e.startMs);
  const durationMs = e.endMs === null ? undefined : Math.max(0, Math.round(e.endMs - e.startMs));
  const timing = durationMs === undefined ? {} : { durationMs };
  const bpm = Math.round(e.value ?? 0);
  switch (e.kind) {
    case 'pvc':
    case 'pac':
      return e.beats === 2 ? { tMs, kind: e.kind, note: 'couplet' } : { tMs, kind: e.kind };
    case 'pause':
      return { tMs, kind: 'pause', ...timing };
    case 'bradycardia':
      return { tMs, kind: e.kind, ...timing, note: `lowest ${bpm}/min` };
    case 'tachycardia':
      return { tMs, kind: e.kind, ...timing, note: `highest ${bpm}/min` };
    case 'ventricular_run':
    case 'supraventricular_run': {
      const beats = `${e.beats} ${e.kind === 'ventricular_run' ? 'ventricular' : 'supraventricular'} beats`;
      const so = durationMs === undefined ? ' so far' : '';
      const what = runName(e.kind, bpm, durationMs);
      return {
        tMs,
        kind: e.kind,
        ...timing,
        note: `${beats} at ${bpm}/min${so}${what === null ? '' : `: ${what}`}`,
      };
    }
  }
}

/** What a run of `kind` at `bpm` is called (`durationMs` undefined: going on), or null when it has no name. */
function runName(
  kind: 'ventricular_run' | 'supraventricular_run',
  bpm: number,
  durationMs: number | undefined,
): string | null {
  if (kind === 'supraventricular_run') return bpm > VT_RATE_BPM ? 'supraventricular tachycardia' : null;
  if (bpm <= VT_RATE_BPM) return 'idioventricular rhythm';
  if (durationMs === undefined) return 'ventricular tachycardia';
  return durationMs >= SUSTAINED_VT_MS
    ? 'sustained ventricular tachycardia'
    : 'non-sustained ventricular tachycardia';
}

const BATCHES_PER_S = 25;
/** Margin beyond the pipeline's own bound on how late a beat arrives (search-back beats), s. */
const BEAT_DELAY_MARGIN_S = 2;

interface Stretch {
  pushedStart: number;
  sessionStart: number;
  runAnchorMs: number;
  runStart: number;
}

export interface LiveEcgOptions {
  deviceSerial: string;
  simulated: boolean;
  mainsHz: 50 | 60;
}

/** See the file comment. One instance per rate: a rate change starts a new one. */
export class LiveEcg {
  readonly rateHz: number;
  private readonly pipeline: LivePipeline;
  private readonly measurements: LiveMeasurements;
  private readonly frame = new Float64Array(8);
  private readonly displayUv = new Float64Array(12);
  private readonly rawUv = new Float64Array(12);
  private batch: { first: number; leads: number[][] } | undefined;
  /** Beats not yet sent with a display batch (they arrive seconds after their R peak). */
  private pendingBeats: BeatRecord[] = [];
  /** Rhythm episodes open now (no beats, no measurements inside them). */
  private readonly openEpisodes = new Set<string>();
  /** Ectopic beats, pauses, ventricular runs and rate episodes, from the classed beats. */
  private readonly rhythmEvents = new RhythmEvents();
  /** The stretch (its `pushedStart`) of the last beat; a beat in another one follows a gap. */
  private beatStretch = -1;
  private pushed = 0;
  /** The unit's lead-off mask as last passed to the pipeline. */
  private leadOffMask = 0;
  /** The leads the electrodes the unit reports off leave without ECG (their quality: lead_off). */
  private leadsOff = new Set<LeadName>();
  private lastSession = -1;
  private stretches: Stretch[] = [];
  /** Session anchor for display: time of session index 0. */
  private readonly sessionAnchorMs: number;

  constructor(
    first: Ecg12SamplesEvent,
    private readonly options: LiveEcgOptions,
    private readonly listener: LiveEcgListener,
  ) {
    this.rateHz = first.rateHz;
    this.sessionAnchorMs =
      first.anchorMs - ((first.sessionFirstIndex - first.firstIndex) * 1000) / first.rateHz;
    this.measurements = new LiveMeasurements({ sampleRateHz: first.rateHz });
    this.pipeline = new LivePipeline(
      {
        sampleRateHz: first.rateHz,
        microvoltsPerUnit: first.lsbNanovolts / 1000,
        mainsHz: options.mainsHz,
        onRelearn: (pushedIndex, cause) => this.onRelearn(pushedIndex, cause),
      },
      (pushedIndex, beatClass) => this.onBeat(pushedIndex, beatClass),
      (episode) => this.onEpisode(episode),
    );
  }

  /** Runs one samples event through the pipeline. */
  push(event: Ecg12SamplesEvent): void {
    const uvPerCount = event.lsbNanovolts / 1000;
    if (event.leadOffMask !== this.leadOffMask) {
      this.leadOffMask = event.leadOffMask;
      const electrodes = leadOffElectrodes(event.leadOffMask);
      this.pipeline.electrodesOff(electrodes);
      this.leadsOff = new Set(leadsLostTo(electrodes).lost);
    }
    for (let s = 0; s < event.setCount; s++) {
      const session = event.sessionFirstIndex + s;
      if (session <= this.lastSession) continue; // a repeat
      if (this.pushed === 0 || session !== this.lastSession + 1) this.startStretch(event, s);
      for (let c = 0; c < 8; c++) this.frame[c] = event.counts[s * 8 + c]!;
      this.pipeline.push(this.frame);
      this.pushed++;
      this.lastSession = session;
      deriveFrame(this.frame, this.rawUv);
      for (let k = 0; k < 12; k++) {
        this.displayUv[k] = this.pipeline.display[k]! * uvPerCount;
        this.rawUv[k] = this.rawUv[k]! * uvPerCount;
      }
      this.appendToBatch(session);
      if (this.measurements.push(session, this.rawUv)) this.measure(session);
    }
    if (this.pipeline.quality.status.length > 0)
      this.reportQuality(this.pipeline.quality.status, event.setCount);
  }

  /** Beat detection and classification learn the patient afresh (staff's request). */
  relearn(): void {
    this.pipeline.relearn('requested');
  }

  /** End of the stream: beats still awaiting confirmation are reported, the batch is sent. */
  finish(): void {
    this.pipeline.flush();
    this.interruptRhythm();
    this.flushBatch();
  }

  private startStretch(event: Ecg12SamplesEvent, offset: number): void {
    this.flushBatch();
    this.stretches.push({
      pushedStart: this.pushed,
      sessionStart: event.sessionFirstIndex + offset,
      runAnchorMs: event.anchorMs,
      runStart: event.firstIndex + offset,
    });
    // Forget stretches that no beat can fall in any more (the newest always stays).
    const oldest = this.pushed - (this.pipeline.beatLatencyS + BEAT_DELAY_MARGIN_S) * this.rateHz;
    while (this.stretches.length > 1 && this.stretches[1]!.pushedStart <= oldest) this.stretches.shift();
  }

  /**
   * Session index and time (ms) of pipeline sample `pushedIndex`, by the stretch that holds it
   * (`stretch`: where that stretch starts in the pipeline).
   */
  private place(pushedIndex: number): { session: number; tMs: number; stretch: number } | undefined {
    for (let k = this.stretches.length - 1; k >= 0; k--) {
      const stretch = this.stretches[k]!;
      if (stretch.pushedStart > pushedIndex) continue;
      const offset = pushedIndex - stretch.pushedStart;
      return {
        session: stretch.sessionStart + offset,
        tMs: stretch.runAnchorMs + ((stretch.runStart + offset) * 1000) / this.rateHz,
        stretch: stretch.pushedStart,
      };
    }
    return undefined;
  }

  private onBeat(pushedIndex: number, beatClass: BeatRecord['beatClass']): void {
    const at = this.place(pushedIndex);
    if (at === undefined) return;
    // no RR interval, run or rate episode across missing samples
    if (at.stretch !== this.beatStretch) this.interruptRhythm();
    this.beatStretch = at.stretch;
    const beat: BeatRecord = { tMs: Math.round(at.tMs), beatClass };
    this.measurements.addBeat(at.session, beatClass);
    this.pendingBeats.push(beat);
    this.listener.beat(beat);
    this.reportRhythm(this.rhythmEvents.beat(beat.tMs, beatClass));
  }

  /** The beats stop following one another: rhythm episodes going on end at the last beat. */
  private interruptRhythm(): void {
    this.reportRhythm(this.rhythmEvents.interrupt());
  }

  /** Rhythm events (ectopic beats, pauses, ventricular runs, rate episodes) as the events stream's records. */
  private reportRhythm(events: readonly RhythmEvent[]): void {
    for (const e of events) this.listener.rhythm(rhythmRecord(e), e);
  }

  private onRelearn(pushedIndex: number, cause: RelearnCause): void {
    this.interruptRhythm(); // the beats after it do not follow the ones before
    // the pipeline relearns from the next sample: place it by the last one pushed
    const at = this.place(Math.max(0, pushedIndex - 1));
    if (at === undefined) return;
    this.listener.relearned({ tMs: Math.round(at.tMs), kind: 'device', note: RELEARN_NOTES[cause] });
  }

  private onEpisode(episode: RhythmEpisode): void {
    this.interruptRhythm(); // no beats inside an arrest episode: nothing spans it
    const start = this.place(episode.startSample);
    if (start === undefined) return;
    const tMs = Math.round(start.tMs);
    if (episode.endSample === null) {
      this.openEpisodes.add(episode.kind);
      this.measurements.episode(start.session, null);
      this.listener.episode({ tMs, kind: episode.kind });
      return;
    }
    this.openEpisodes.delete(episode.kind);
    const end = this.place(episode.endSample);
    this.measurements.episode(start.session, end === undefined ? null : end.session);
    const durationMs = end === undefined ? 0 : Math.max(0, Math.round(end.tMs) - tMs);
    this.listener.episode({
      tMs,
      kind: episode.kind,
      durationMs,
      ...(episode.endUnseen === true ? { note: EPISODE_END_UNSEEN_NOTE } : {}),
    });
  }

  private appendToBatch(session: number): void {
    this.batch ??= { first: session, leads: STANDARD_LEADS.map(() => []) };
    for (let k = 0; k < 12; k++) this.batch.leads[k]!.push(Math.round(this.displayUv[k]! * 10) / 10);
    if (this.batch.leads[0]!.length >= Math.max(1, Math.round(this.rateHz / BATCHES_PER_S)))
      this.flushBatch();
  }

  private flushBatch(): void {
    const batch = this.batch;
    this.batch = undefined;
    if (batch === undefined || batch.leads[0]!.length === 0) return;
    const beats = this.pendingBeats;
    this.pendingBeats = [];
    this.listener.batch({
      deviceSerial: this.options.deviceSerial,
      simulated: this.options.simulated,
      sampleRateHz: this.rateHz,
      runStartMs: Math.round(this.sessionAnchorMs),
      firstSampleIndex: batch.first,
      leads: [...STANDARD_LEADS],
      samplesUv: batch.leads,
      beats,
      displayFilter: liveFilterBand(this.rateHz, this.options.mainsHz),
    });
  }

  private measure(session: number): void {
    const record = this.measurements.measure(
      this.sessionAnchorMs + (session * 1000) / this.rateHz,
      this.openEpisodes.size > 0,
    );
    this.listener.measurement(record);
  }

  private reportQuality(status: Uint8Array, sets: number): void {
    const quality = {} as Record<LeadName, LeadQualityName>;
    for (const lead of STANDARD_LEADS) {
      const worst = Math.max(...SOURCES[lead].map((c) => status[c] ?? 0));
      const name = LEAD_QUALITY_NAMES[worst] ?? 'good';
      quality[lead] = this.leadsOff.has(lead) ? 'lead_off' : name === 'wander' ? 'noisy' : name;
    }
    this.listener.quality(quality, sets);
  }
}
