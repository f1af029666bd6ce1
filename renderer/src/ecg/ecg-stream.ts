/**
 * The live ECG store behind the canvas: `ecg.received` batches go into one ring per lead,
 * indexed on a display timeline so that runs (reconnects) land where their clock says and the
 * time between them shows as a gap. Pure TypeScript (no DOM), so it is unit tested in Node.
 */
import type { EcgBatch, LeadName } from '../api-types.js';
import { LEADS } from '../api-types.js';
import { SampleRing } from './ring-buffer.js';

/** Seconds of history kept per lead (enough for the widest strip at 12.5 mm/s). */
export const HISTORY_SECONDS = 40;
/** Beats kept for markers. */
const BEAT_CAPACITY = 512;

export type BeatClass = EcgBatch['beats'][number]['beatClass'];

export class EcgStream {
  private ringStore: SampleRing | null = null;
  private rateHz = 0;
  private originMs = 0;
  private serial = '';
  private readonly beatIndex = new Float64Array(BEAT_CAPACITY);
  private readonly beatClass: BeatClass[] = new Array<BeatClass>(BEAT_CAPACITY).fill('Q');
  private beatCount = 0;
  private filter: EcgBatch['displayFilter'] | null = null;
  /** Increments whenever the timeline restarts (device or rate changed). */
  generation = 0;
  simulated = false;

  get ring(): SampleRing | null {
    return this.ringStore;
  }

  get sampleRateHz(): number {
    return this.rateHz;
  }

  get deviceSerial(): string {
    return this.serial;
  }

  /** Channel of `lead` in the ring (contract display order). */
  static channelOf(lead: LeadName): number {
    return LEADS.indexOf(lead);
  }

  /** The display filter named by the newest batch, or null when the gateway did not say. */
  get displayFilter(): EcgBatch['displayFilter'] | null {
    return this.filter;
  }

  /** Epoch ms of display index `index` on the current timeline. */
  timeOfIndex(index: number): number {
    return this.rateHz > 0 ? this.originMs + (index * 1000) / this.rateHz : Number.NaN;
  }

  /** Display index of epoch time `tMs` on the current timeline. */
  indexOfTime(tMs: number): number {
    return Math.round(((tMs - this.originMs) * this.rateHz) / 1000);
  }

  /** Adds a batch; returns the newest display index now held. */
  ingest(batch: EcgBatch): number {
    if (this.ringStore === null || batch.sampleRateHz !== this.rateHz || batch.deviceSerial !== this.serial)
      this.restart(batch);
    const ring = this.ringStore;
    if (ring === null) return -1;
    let first = this.indexOfTime(batch.runStartMs) + batch.firstSampleIndex;
    if (first < 0 || first < ring.latestIndex - ring.capacity) {
      this.restart(batch);
      first = batch.firstSampleIndex;
    }
    const perChannel: (readonly number[] | undefined)[] = new Array<readonly number[] | undefined>(
      LEADS.length,
    );
    batch.leads.forEach((lead, k) => {
      perChannel[EcgStream.channelOf(lead)] = batch.samplesUv[k];
    });
    this.ringStore?.write(first, perChannel);
    for (const beat of batch.beats) this.addBeat(this.indexOfTime(beat.tMs), beat.beatClass);
    this.simulated = batch.simulated;
    this.filter = batch.displayFilter ?? null;
    return this.ringStore?.latestIndex ?? -1;
  }

  /** Calls `visit` for each stored beat with index in [fromIndex, toIndex]. */
  forEachBeat(
    fromIndex: number,
    toIndex: number,
    visit: (index: number, beatClass: BeatClass) => void,
  ): void {
    const n = Math.min(this.beatCount, BEAT_CAPACITY);
    for (let k = 0; k < n; k++) {
      const index = this.beatIndex[k] ?? NaN;
      if (index >= fromIndex && index <= toIndex) visit(index, this.beatClass[k] ?? 'Q');
    }
  }

  /** Beats added since the timeline started (a beat's serial is its position in this count). */
  get beatSerial(): number {
    return this.beatCount;
  }

  /** Calls `visit` for each beat added at or after serial `since` that is still held. */
  forEachBeatSince(since: number, visit: (index: number, beatClass: BeatClass) => void): void {
    for (let serial = Math.max(since, this.beatCount - BEAT_CAPACITY); serial < this.beatCount; serial++) {
      const slot = serial % BEAT_CAPACITY;
      visit(this.beatIndex[slot] ?? Number.NaN, this.beatClass[slot] ?? 'Q');
    }
  }

  private addBeat(index: number, beatClass: BeatClass): void {
    const slot = this.beatCount % BEAT_CAPACITY;
    this.beatIndex[slot] = index;
    this.beatClass[slot] = beatClass;
    this.beatCount++;
  }

  private restart(batch: EcgBatch): void {
    this.rateHz = batch.sampleRateHz;
    this.serial = batch.deviceSerial;
    this.originMs = batch.runStartMs;
    this.ringStore = new SampleRing(LEADS.length, Math.ceil(HISTORY_SECONDS * batch.sampleRateHz));
    this.beatCount = 0;
    this.generation++;
  }
}
