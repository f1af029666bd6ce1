/**
 * The ECG-12 unit as the gateway API sees it: connect (by USB discovery, a port path, or in demo
 * mode the simulated unit the gateway was given), then per sample the live pipeline (12 leads
 * filtered for display, beats, per-lead quality), batched `ecg.received` events (~25 a second),
 * `measurements.updated` every 2 s, rhythm flags as `events.recorded`, and `devices.changed`
 * with the staff message, lead-off, battery, quality and counters.
 */
import type { z } from 'zod';
import type { Ecg12StatusSchema as ApiEcg12StatusSchema, Settings } from '../../preload/schemas.js';
import type { LeadName } from '../../server-contract/api/streams.js';
import { GatewayApiError } from '../../preload/define.js';
import { Ecg12Unit, type Ecg12SamplesEvent } from '../devices/ecg12/unit.js';
import type { Ecg12LinkState, Ecg12Status } from '../devices/ecg12/schemas.js';
import type { DeviceSimulators, PluggedEcg12Simulator } from '../devices/simulators.js';
import { deriveFrame, STANDARD_LEADS } from '../dsp/leads.js';
import { LivePipeline } from '../dsp/pipeline.js';
import { LEAD_QUALITY_NAMES } from '../dsp/quality.js';
import type { GatewayEventBus } from './event-bus.js';
import { LiveMeasurements } from '../recorder/live-measurements.js';

type ApiEcg12Status = z.infer<typeof ApiEcg12StatusSchema>;

const STATE: Record<Ecg12LinkState, ApiEcg12Status['state']> = {
  idle: 'disconnected',
  connecting: 'connecting',
  connected: 'connected',
  streaming: 'streaming',
  unplugged: 'unplugged',
  reconnecting: 'reconnecting',
  stopped: 'disconnected',
  error: 'error',
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
const BATCHES_PER_S = 25;

export class EcgService {
  private unit: Ecg12Unit | undefined;
  private simulator: PluggedEcg12Simulator | undefined;
  private pipeline: LivePipeline | undefined;
  private measurements: LiveMeasurements | undefined;
  private status: ApiEcg12Status;
  private readonly frame = new Float64Array(8);
  /** The 12 display-filtered leads of the current frame, µV. */
  private readonly displayUv = new Float64Array(12);
  /** The 12 unfiltered leads of the current frame, µV (measurement filters zero-phase itself). */
  private readonly rawUv = new Float64Array(12);
  private batch: { first: number; leads: number[][]; beats: number[] } | undefined;
  /** Samples pushed into the pipeline, and the session index of the last one. */
  private pushed = 0;
  private sessionOfPushed = 0;
  /** Contiguous stretches: pipeline index of their first sample and its session index (gaps split them). */
  private segments: { pushedStart: number; sessionStart: number }[] = [];
  private anchorMs = 0;
  private rateHz = 0;
  private lsbNanovolts = 0;

  constructor(
    private readonly events: GatewayEventBus,
    private readonly settings: () => Settings,
    private readonly simulated: boolean,
    private readonly startSimulator: DeviceSimulators['ecg12'],
  ) {
    this.status = {
      kind: 'ecg12',
      state: 'disconnected',
      message: 'ECG-12 unit not connected',
      path: null,
      serial: null,
      firmware: null,
      sampleRateHz: null,
      lsbNanovolts: null,
      batteryPct: null,
      leadOff: [],
      quality: {},
      simulated,
      counters: {
        frames: 0,
        crcErrors: 0,
        bytesDiscarded: 0,
        unknownFrames: 0,
        sampleSetsLost: 0,
        reconnects: 0,
      },
    };
  }

  current(): ApiEcg12Status {
    return this.status;
  }

  /** Opens the unit (discovery, `path`, or the simulator in demo mode) and starts streaming. */
  async connect(path: string | undefined): Promise<ApiEcg12Status> {
    if (this.unit !== undefined)
      throw new GatewayApiError(
        'already_connected',
        'The ECG-12 unit is already connected: disconnect it first.',
      );
    const rateHz = this.settings().ecgSampleRateHz;
    let portPath = path;
    if (portPath === undefined && this.startSimulator !== undefined) {
      this.simulator = await this.startSimulator();
      portPath = this.simulator.path;
    }
    const unit = new Ecg12Unit({ ...(portPath === undefined ? {} : { path: portPath }), rateHz });
    this.unit = unit;
    unit.on('status', (s) => this.onStatus(s));
    unit.on('info', (info) =>
      this.update({
        serial: info.serial,
        firmware: info.fw,
        sampleRateHz: info.rate,
        lsbNanovolts: info.lsb_nV,
      }),
    );
    unit.on('deviceStatus', (d) =>
      this.update({ batteryPct: Math.min(100, d.batteryPercent), leadOff: d.leadOff }),
    );
    unit.on('counters', (c) =>
      this.update({
        counters: {
          frames: c.framesAccepted,
          crcErrors: c.crcRejects,
          bytesDiscarded: c.bytesDiscarded,
          unknownFrames: c.unknownTypeFrames,
          sampleSetsLost: c.sampleSetsLost + c.sampleSetsLostBetweenRuns,
          reconnects: c.reconnects,
        },
      }),
    );
    unit.on('gap', (gap) =>
      this.events.emit('events.recorded', {
        tMs: Math.round(gap.startMs),
        kind: 'gap',
        durationMs: Math.round((gap.sampleSets * 1000) / (this.rateHz || 500)),
        note: gap.estimated ? 'unit reconnected (estimated)' : 'frames lost on the link',
      }),
    );
    unit.on('samples', (event) => this.onSamples(event));
    try {
      await unit.start();
    } catch (error) {
      await this.disconnect();
      throw new GatewayApiError(
        (error as { code?: string }).code ?? 'ecg12_error',
        error instanceof Error ? error.message : String(error),
      );
    }
    return this.status;
  }

  async disconnect(): Promise<void> {
    const unit = this.unit;
    this.unit = undefined;
    this.pipeline = undefined;
    await unit?.stop();
    await this.simulator?.stop();
    this.simulator = undefined;
    this.update({ state: 'disconnected', message: 'ECG-12 unit disconnected' });
  }

  private onStatus(s: Ecg12Status): void {
    this.update({
      state: STATE[s.state],
      message: s.message,
      path: s.path ?? this.status.path,
      serial: s.serial ?? this.status.serial,
    });
  }

  /** Applies a change and tells the UI, unless nothing actually changed. */
  private update(patch: Partial<ApiEcg12Status>): void {
    const next = { ...this.status, ...patch };
    if (JSON.stringify(next) === JSON.stringify(this.status)) return;
    this.status = next;
    this.events.emit('devices.changed', this.status);
  }

  private onSamples(event: Ecg12SamplesEvent): void {
    if (this.pipeline === undefined || this.rateHz !== event.rateHz) this.startPipeline(event);
    const pipeline = this.pipeline!;
    const uvPerCount = event.lsbNanovolts / 1000;
    for (let s = 0; s < event.setCount; s++) {
      const session = event.sessionFirstIndex + s;
      if (this.pushed === 0 || session !== this.sessionOfPushed + 1) this.startSegment(session);
      for (let c = 0; c < 8; c++) this.frame[c] = event.counts[s * 8 + c]!;
      pipeline.push(this.frame);
      this.pushed++;
      this.sessionOfPushed = session;
      deriveFrame(this.frame, this.rawUv);
      for (let k = 0; k < 12; k++) {
        this.displayUv[k] = pipeline.display[k]! * uvPerCount;
        this.rawUv[k] = this.rawUv[k]! * uvPerCount;
      }
      this.appendToBatch(session);
      if (this.measurements!.push(session, this.rawUv)) this.measure(session);
    }
    if (pipeline.quality.status.length > 0) this.updateQuality(pipeline.quality.status);
  }

  private startPipeline(event: Ecg12SamplesEvent): void {
    this.rateHz = event.rateHz;
    this.lsbNanovolts = event.lsbNanovolts;
    this.anchorMs = event.anchorMs - (event.sessionFirstIndex * 1000) / event.rateHz;
    this.pushed = 0;
    this.segments = [];
    this.measurements = new LiveMeasurements({ sampleRateHz: event.rateHz });
    this.pipeline = new LivePipeline(
      {
        sampleRateHz: event.rateHz,
        microvoltsPerUnit: event.lsbNanovolts / 1000,
        mainsHz: this.settings().mainsHz,
      },
      (pushedIndex) => this.onBeat(pushedIndex),
    );
  }

  /** A new contiguous stretch starts at `session` (first sample, or after a gap). */
  private startSegment(session: number): void {
    this.flush();
    this.segments.push({ pushedStart: this.pushed, sessionStart: session });
    if (this.segments.length > 64) this.segments.shift();
  }

  /** A beat at pipeline index `pushedIndex`, mapped onto the session timeline across gaps. */
  private onBeat(pushedIndex: number): void {
    let segment = this.segments[this.segments.length - 1];
    for (
      let k = this.segments.length - 1;
      k >= 0 && segment !== undefined && segment.pushedStart > pushedIndex;
      k--
    ) {
      segment = this.segments[k];
    }
    if (segment === undefined || segment.pushedStart > pushedIndex) return;
    const session = segment.sessionStart + (pushedIndex - segment.pushedStart);
    this.measurements?.addBeat(session);
    this.batch?.beats.push(session);
  }

  private appendToBatch(session: number): void {
    this.batch ??= { first: session, leads: STANDARD_LEADS.map(() => []), beats: [] };
    for (let k = 0; k < 12; k++) this.batch.leads[k]!.push(Math.round(this.displayUv[k]! * 10) / 10);
    if (this.batch.leads[0]!.length >= Math.max(1, Math.round(this.rateHz / BATCHES_PER_S))) this.flush();
  }

  private flush(): void {
    const batch = this.batch;
    this.batch = undefined;
    if (batch === undefined || batch.leads[0]!.length === 0) return;
    this.events.emit('ecg.received', {
      deviceSerial: this.status.serial ?? 'unknown',
      simulated: this.simulated,
      sampleRateHz: this.rateHz,
      runStartMs: Math.round(this.anchorMs),
      firstSampleIndex: batch.first,
      leads: [...STANDARD_LEADS],
      samplesUv: batch.leads,
      beats: batch.beats.map((b) => ({
        tMs: Math.round(this.anchorMs + (b * 1000) / this.rateHz),
        beatClass: 'Q' as const,
      })),
    });
  }

  private measure(session: number): void {
    const { record, result, firstIndex } = this.measurements!.measure(
      this.anchorMs + (session * 1000) / this.rateHz,
    );
    this.events.emit('measurements.updated', record);
    for (const event of result.events) {
      if (event.kind !== 'pvc' && event.kind !== 'pac') continue;
      const at = firstIndex + event.startSample;
      if (at <= session - Math.round(this.rateHz * 2)) continue; // reported by an earlier window
      this.events.emit('events.recorded', {
        tMs: Math.round(this.anchorMs + (at * 1000) / this.rateHz),
        kind: event.kind,
      });
    }
  }

  private updateQuality(status: Uint8Array): void {
    const quality: ApiEcg12Status['quality'] = {};
    STANDARD_LEADS.forEach((lead) => {
      const worst = Math.max(...SOURCES[lead].map((c) => status[c] ?? 0));
      const name = LEAD_QUALITY_NAMES[worst] ?? 'good';
      quality[lead] = name === 'wander' ? 'noisy' : name;
    });
    this.update({ quality });
  }
}
