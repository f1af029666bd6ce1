/**
 * The ECG-12 unit's events and the part of the link that turns decoded frames into them: places
 * each SAMPLES frame on its run's clock (§5) and the session timeline, reports `seq` gaps (§4) and
 * gaps between runs (estimated on the host clock), and STATUS frames as battery and lead-off.
 */
import type { SamplesBatch, StatusFrame } from './frame-decoder.js';
import { leadOffElectrodes } from './protocol.js';
import { RunClock, type BetweenRunsGap } from './run-clock.js';
import type { Ecg12DeviceStatus, Ecg12Gap, Ecg12Info, Ecg12LinkCounters, Ecg12Status } from './schemas.js';

/** One SAMPLES frame as delivered to listeners (reused object). */
export interface Ecg12SamplesEvent {
  run: number;
  /** Run index of the first set (gaps counted). */
  firstIndex: number;
  /** Session-timeline index of the first set (runs placed end to end with their gaps). */
  sessionFirstIndex: number;
  setCount: number;
  /** `setCount × 8` ADC counts, interleaved I, II, V1…V6; valid only during the callback. */
  counts: Int32Array;
  leadOffMask: number;
  /** The run's anchor (time of run index 0), ms since the Unix epoch. */
  anchorMs: number;
  rateHz: number;
  /** Nanovolts per count, from INFO. */
  lsbNanovolts: number;
  /** Host time the frame's bytes arrived, ms since the Unix epoch (for drift, §5). */
  hostReceiveMs: number;
}

/** A run began streaming (its first SAMPLES frame arrived). */
export interface Ecg12RunStartedEvent {
  run: number;
  anchorMs: number;
  rateHz: number;
  sessionIndexOffset: number;
}

/** Events of {@link Ecg12Unit}. */
export interface Ecg12UnitEvents {
  status: Ecg12Status;
  samples: Ecg12SamplesEvent;
  gap: Ecg12Gap;
  runStarted: Ecg12RunStartedEvent;
  deviceStatus: Ecg12DeviceStatus;
  info: Ecg12Info;
  log: string;
  /** Counters snapshot, about once a second (with each STATUS frame) and on gaps and state changes. */
  counters: Ecg12LinkCounters;
}

/** Emits one event of {@link Ecg12UnitEvents}. */
export type EmitUnitEvent = <K extends keyof Ecg12UnitEvents>(event: K, payload: Ecg12UnitEvents[K]) => void;

/** See the file comment. One instance per unit; runs follow one another. */
export class RunEvents {
  /** Sample sets estimated lost between runs, in total. */
  sampleSetsLostBetweenRuns = 0;
  private readonly clock = new RunClock();
  private rateHz = 500;
  private pendingSeqGaps: { firstIndex: number; setCount: number }[] = [];
  private readonly samplesEvent: Ecg12SamplesEvent = {
    run: 0,
    firstIndex: 0,
    sessionFirstIndex: 0,
    setCount: 0,
    counts: new Int32Array(0),
    leadOffMask: 0,
    anchorMs: 0,
    rateHz: 0,
    lsbNanovolts: 0,
    hostReceiveMs: 0,
  };

  constructor(private readonly emit: EmitUnitEvent) {}

  /** A run starts (START sent) at `rateHz`. */
  beginRun(rateHz: number): void {
    this.rateHz = rateHz;
    this.clock.beginRun(rateHz);
    this.pendingSeqGaps = [];
  }

  /** The run ended (STOP, unplug). */
  endRun(): void {
    this.clock.endRun();
  }

  /** The run clock's state (see `Ecg12Unit.runClock`). */
  clockState(): { run: number; anchorMs: number | undefined; lastOffsetMs: number; minOffsetMs: number } {
    const { run, anchorMs, lastOffsetMs, minOffsetMs } = this.clock;
    return { run, anchorMs, lastOffsetMs, minOffsetMs };
  }

  /** A decoded SAMPLES frame whose bytes arrived at `receiveMs`. */
  onSamples(batch: SamplesBatch, receiveMs: number, lsbNanovolts: number): void {
    const firstOfRun = this.clock.anchorMs === undefined;
    const gap = this.clock.onFrame(batch.firstIndex, batch.setCount, receiveMs);
    if (firstOfRun) this.onRunAnchored(gap);
    const e = this.samplesEvent;
    e.run = this.clock.run;
    e.firstIndex = batch.firstIndex;
    e.sessionFirstIndex = this.clock.sessionOffset + batch.firstIndex;
    e.setCount = batch.setCount;
    e.counts = batch.counts;
    e.leadOffMask = batch.leadOffMask;
    e.anchorMs = this.clock.anchorMs!;
    e.rateHz = this.rateHz;
    e.lsbNanovolts = lsbNanovolts;
    e.hostReceiveMs = receiveMs;
    this.emit('samples', e);
  }

  private onRunAnchored(gap: BetweenRunsGap | undefined): void {
    const run = this.clock.run;
    if (gap !== undefined) {
      this.sampleSetsLostBetweenRuns += gap.sampleSets;
      this.emit('gap', {
        kind: 'between-runs',
        run,
        sessionFirstIndex: gap.sessionFirstIndex,
        sampleSets: gap.sampleSets,
        startMs: gap.startMs,
        estimated: true,
      });
    }
    this.emit('runStarted', {
      run,
      anchorMs: this.clock.anchorMs!,
      rateHz: this.rateHz,
      sessionIndexOffset: this.clock.sessionOffset,
    });
    const pending = this.pendingSeqGaps;
    this.pendingSeqGaps = [];
    for (const g of pending) this.emitSeqGap(g.firstIndex, g.setCount);
  }

  onSeqGap(firstIndex: number, setCount: number): void {
    if (this.clock.anchorMs === undefined) this.pendingSeqGaps.push({ firstIndex, setCount });
    else this.emitSeqGap(firstIndex, setCount);
  }

  private emitSeqGap(firstIndex: number, setCount: number): void {
    this.emit('gap', {
      kind: 'seq',
      run: this.clock.run,
      runFirstIndex: firstIndex,
      sessionFirstIndex: this.clock.sessionOffset + firstIndex,
      sampleSets: setCount,
      startMs: this.clock.timeOfIndexMs(firstIndex),
      estimated: false,
    });
  }

  onStatusFrame(status: StatusFrame, receiveMs: number): void {
    this.emit('deviceStatus', {
      batteryPercent: status.batteryPercent,
      charging: status.charging,
      streaming: status.streaming,
      leadOffMask: status.leadOffMask,
      leadOff: leadOffElectrodes(status.leadOffMask),
      atMs: receiveMs,
    });
  }
}
