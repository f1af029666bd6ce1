/**
 * A recorder on a real gateway database in a temp folder, fed ECG-12 samples events from the
 * simulator's synthetic source (a deterministic function of seed and index), with helpers to
 * drain the queue and decode what it holds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GatewayApi } from '../../../preload/api.js';
import type { EventName } from '../../../preload/define.js';
import { decodeChunk, type Chunk } from '../../../server-contract/codec/index.js';
import { syntheticSource } from '../../../main/devices/ecg12/sim/synthetic-source.js';
import type { Ecg12SamplesEvent } from '../../../main/devices/ecg12/unit.js';
import { openGatewayDatabase, type GatewayDatabase } from '../../../main/queue/database.js';
import type { QueueItem } from '../../../main/queue/types.js';
import { UploadQueue } from '../../../main/queue/upload-queue.js';
import { DEFAULT_SETTINGS } from '../../../main/api/settings-store.js';
import { FieldCipher } from '../../../main/recorder/field-cipher.js';
import { PATIENTS_MIGRATIONS, RECORDER_MIGRATIONS } from '../../../main/recorder/migrations.js';
import { PatientsStore } from '../../../main/recorder/patients-store.js';
import { Recorder } from '../../../main/recorder/recorder.js';
import type { Settings } from '../../../preload/schemas.js';

export const GATEWAY_ID = '0192a3b4-c5d6-7e8f-9a0b-1c2d3e4f5a6b';
export const LSB_NV = 476.84;
export const T0 = 1_763_700_000_000;

export interface Emitted {
  event: EventName<GatewayApi>;
  payload: unknown;
}

export class RecorderRig {
  readonly db: GatewayDatabase;
  readonly queue: UploadQueue;
  readonly patients: PatientsStore;
  recorder: Recorder;
  readonly emitted: Emitted[] = [];
  readonly clock = { nowMs: T0 };
  settings: Settings = { ...DEFAULT_SETTINGS, ecgChunkSeconds: 60, watchChunkSeconds: 60 };
  quotaBytes = 1e12;
  devices = [{ kind: 'ecg12' as const, serial: 'ECG-SIM-0001', simulated: true }];
  watchPatients = new Map<string, string>();

  constructor(readonly dataDir = mkdtempSync(join(tmpdir(), 'pulsewatch-recorder-'))) {
    this.db = openGatewayDatabase(dataDir, [PATIENTS_MIGRATIONS, RECORDER_MIGRATIONS]);
    this.queue = new UploadQueue(this.db, { quotaBytes: () => this.quotaBytes, now: () => this.clock.nowMs });
    this.patients = new PatientsStore(
      this.db,
      FieldCipher.forDataDir(dataDir),
      GATEWAY_ID,
      () => this.clock.nowMs,
    );
    this.recorder = this.newRecorder();
  }

  /** A recorder as after a restart: a new instance on the same database (the old one is abandoned). */
  newRecorder(): Recorder {
    this.recorder = new Recorder({
      db: this.db,
      queue: this.queue,
      patients: this.patients,
      emit: (event, payload) => this.emitted.push({ event, payload }),
      settings: () => this.settings,
      simulated: true,
      connectedDevices: () => this.devices,
      watchPatient: (address) => this.watchPatients.get(address) ?? null,
      now: () => this.clock.nowMs,
      flushIntervalMs: 1e9,
    });
    return this.recorder;
  }

  events(name: EventName<GatewayApi>): unknown[] {
    return this.emitted.filter((e) => e.event === name).map((e) => e.payload);
  }

  /** Takes every item out of the queue in send order, acking each. */
  drain(): QueueItem[] {
    const items: QueueItem[] = [];
    for (let item = this.queue.next(); item !== undefined; item = this.queue.next()) {
      items.push(item);
      this.queue.markAcked(item.id, { status: 201, duplicate: false });
    }
    return items;
  }

  close(): void {
    this.db.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** ECG-12 samples events of one run: what the unit delivers, frame by frame. */
export class EcgRun {
  private readonly source;
  private readonly counts: Int32Array;
  next = 0;
  /** The lead-off mask the next frames carry (§3 SAMPLES). */
  leadOffMask = 0;

  constructor(
    readonly anchorMs: number,
    readonly rateHz = 500,
    readonly sessionOffset = 0,
    readonly setsPerFrame = 10,
    seed = 7,
    /** Replaces the source: counts of set `index` into `out` (8 channels). */
    fill?: (index: number, out: Int32Array, offset: number) => void,
  ) {
    const source = syntheticSource(rateHz, LSB_NV, { seed });
    this.source = fill === undefined ? source : { ...source, fill };
    this.counts = new Int32Array(setsPerFrame * 8);
  }

  /** The counts the source holds for run index `index` (what a decoded chunk must contain). */
  expected(index: number): Int32Array {
    const out = new Int32Array(8);
    this.source.fill(index, out, 0);
    return out;
  }

  /** The next frame's event; `skip` frames are lost on the link before it. */
  frame(skip = 0): Ecg12SamplesEvent {
    this.next += skip * this.setsPerFrame;
    for (let s = 0; s < this.setsPerFrame; s++) this.source.fill(this.next + s, this.counts, s * 8);
    const event: Ecg12SamplesEvent = {
      run: 0,
      firstIndex: this.next,
      sessionFirstIndex: this.sessionOffset + this.next,
      setCount: this.setsPerFrame,
      counts: this.counts,
      leadOffMask: this.leadOffMask,
      anchorMs: this.anchorMs,
      rateHz: this.rateHz,
      lsbNanovolts: LSB_NV,
      hostReceiveMs: this.anchorMs + ((this.next + this.setsPerFrame) * 1000) / this.rateHz,
    };
    this.next += this.setsPerFrame;
    return event;
  }
}

/** Feeds `seconds` of a run into the rig, advancing its clock and flushing every half second. */
export function feed(rig: RecorderRig, run: EcgRun, seconds: number): void {
  const frames = Math.round((seconds * run.rateHz) / run.setsPerFrame);
  for (let f = 0; f < frames; f++) {
    const event = run.frame();
    rig.clock.nowMs = event.hostReceiveMs;
    rig.recorder.inputs.ecgSamples(event, { serial: 'ECG-SIM-0001', simulated: true });
    if (f % Math.max(1, Math.round(run.rateHz / run.setsPerFrame / 2)) === 0) rig.recorder.flush();
  }
}

export function decodeItems(items: QueueItem[], stream: string): Chunk[] {
  return items.filter((i) => i.kind === 'chunk' && i.stream === stream).map((i) => decodeChunk(i.bytes!));
}

/** The records of every chunk of records stream `stream` in `items`, in order. */
export function decodeRecords<T>(items: QueueItem[], stream: string): T[] {
  return decodeItems(items, stream).flatMap((c) => ('records' in c ? (c.records as unknown as T[]) : []));
}
