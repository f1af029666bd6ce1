/**
 * The capture tool's recorder: places what a unit sends on the session timeline and writes it as
 * a WFDB record with the shared writer (`server-contract/formats/wfdb.ts`): 12 leads (I, II, III,
 * aVR, aVL, aVF, V1–V6, derived from the 8 acquired channels by Einthoven's and Goldberger's
 * relations), format 16, 1 adu per µV (range ±32.767 mV; values outside are written as invalid and
 * counted), the file starting at the first sample set after START, and lost sets written as the
 * invalid value -32768. A JSON file beside it holds the unit's INFO, the decoder's counters and the gaps.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  encodeFormat16,
  formatWfdbHeader,
  WFDB_INVALID_SAMPLE,
  wfdbChecksum,
} from '../../../server-contract/formats/wfdb.js';
import { deriveFrame, STANDARD_LEADS } from '../../dsp/leads.js';
import { CHANNEL_COUNT, type Ecg12RateHz } from './protocol.js';
import type { Ecg12Gap, Ecg12Info, Ecg12LinkCounters } from './schemas.js';
import { Ecg12Unit, type Ecg12SamplesEvent } from './unit.js';

/** ADC units per microvolt in the written record. */
export const CAPTURE_GAIN_ADU_PER_UV = 1;

/** The capture's JSON summary. */
export interface CaptureSummary {
  recordName: string;
  info: Ecg12Info | undefined;
  counters: Ecg12LinkCounters;
  gaps: Ecg12Gap[];
  rateHz: number;
  lsbNanovolts: number;
  gainAduPerMicrovolt: number;
  /** Time of the first sample set (session index 0), ms since the Unix epoch. */
  startMs: number | undefined;
  sampleSets: number;
  /** Sample sets written as invalid because they were lost. */
  lostSampleSets: number;
  /** Lead samples written as invalid because they were outside ±32.767 mV. */
  outOfRangeSamples: number;
}

/** Collects sample batches by session index; see the file comment. */
export class CaptureRecorder {
  private counts = new Int32Array(0);
  private received = new Uint8Array(0);
  private length = 0;
  private rateHz = 0;
  private lsbNanovolts = NaN;
  private startMs: number | undefined;

  /** Stores one batch (copying it). */
  add(e: Ecg12SamplesEvent): void {
    if (this.startMs === undefined)
      this.startMs = e.anchorMs + ((e.sessionFirstIndex - e.firstIndex) * 1000) / e.rateHz;
    this.rateHz = e.rateHz;
    this.lsbNanovolts = e.lsbNanovolts;
    const end = e.sessionFirstIndex + e.setCount;
    this.ensureCapacity(end);
    this.counts.set(e.counts.subarray(0, e.setCount * CHANNEL_COUNT), e.sessionFirstIndex * CHANNEL_COUNT);
    this.received.fill(1, e.sessionFirstIndex, end);
    this.length = Math.max(this.length, end);
  }

  /** Sample sets from index 0 to the last received. */
  get sampleSets(): number {
    return this.length;
  }

  /** Writes `<dir>/<recordName>.hea`, `.dat` and `.json`; returns the summary. */
  write(
    dir: string,
    recordName: string,
    meta: { info: Ecg12Info | undefined; counters: Ecg12LinkCounters; gaps: Ecg12Gap[] },
  ): CaptureSummary {
    const { leads, lost, outOfRange } = this.leadsInAdu();
    const signals = STANDARD_LEADS.map((lead, i) => ({
      gain: CAPTURE_GAIN_ADU_PER_UV,
      baseline: 0,
      units: 'uV',
      description: lead,
      initialValue: leads[i]![0] ?? 0,
      checksum: wfdbChecksum(leads[i]!),
    }));
    const info = meta.info;
    const comments = [
      `ECG-12 capture: unit ${info?.serial ?? 'unknown'} (${info?.model ?? 'ECG-12'}, firmware ${info?.fw ?? 'unknown'})`,
      `lsb_nV ${this.lsbNanovolts}; start ${this.startMs === undefined ? 'none' : new Date(this.startMs).toISOString()}`,
      `lost sample sets written as ${WFDB_INVALID_SAMPLE}: ${lost}`,
    ];
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `${recordName}.hea`),
      formatWfdbHeader({
        recordName,
        samplingFrequencyHz: this.rateHz,
        sampleCount: this.length,
        signals,
        comments,
      }),
    );
    writeFileSync(join(dir, `${recordName}.dat`), encodeFormat16(leads));
    const summary: CaptureSummary = {
      recordName,
      info,
      counters: meta.counters,
      gaps: meta.gaps,
      rateHz: this.rateHz,
      lsbNanovolts: this.lsbNanovolts,
      gainAduPerMicrovolt: CAPTURE_GAIN_ADU_PER_UV,
      startMs: this.startMs,
      sampleSets: this.length,
      lostSampleSets: lost,
      outOfRangeSamples: outOfRange,
    };
    writeFileSync(join(dir, `${recordName}.json`), `${JSON.stringify(summary, null, 2)}\n`);
    return summary;
  }

  /** The 12 leads as the int16 values to write (invalid where lost or out of range). */
  private leadsInAdu(): { leads: Int16Array[]; lost: number; outOfRange: number } {
    const leads = STANDARD_LEADS.map(() => new Int16Array(this.length));
    const acquired = new Float64Array(CHANNEL_COUNT);
    const derived = new Float64Array(STANDARD_LEADS.length);
    const uvPerCount = this.lsbNanovolts / 1000;
    let lost = 0;
    let outOfRange = 0;
    for (let n = 0; n < this.length; n++) {
      if (this.received[n] !== 1) {
        lost++;
        for (const lead of leads) lead[n] = WFDB_INVALID_SAMPLE;
        continue;
      }
      for (let c = 0; c < CHANNEL_COUNT; c++) acquired[c] = this.counts[n * CHANNEL_COUNT + c]! * uvPerCount;
      deriveFrame(acquired, derived);
      for (let l = 0; l < leads.length; l++) {
        const adu = Math.round(derived[l]! * CAPTURE_GAIN_ADU_PER_UV);
        const valid = adu > WFDB_INVALID_SAMPLE && adu <= 32767;
        if (!valid) outOfRange++;
        leads[l]![n] = valid ? adu : WFDB_INVALID_SAMPLE;
      }
    }
    return { leads, lost, outOfRange };
  }

  private ensureCapacity(sets: number): void {
    if (sets <= this.received.length) return;
    const capacity = Math.max(sets, this.received.length * 2, 1024);
    const counts = new Int32Array(capacity * CHANNEL_COUNT);
    counts.set(this.counts);
    const received = new Uint8Array(capacity);
    received.set(this.received);
    this.counts = counts;
    this.received = received;
  }
}

/** Options of {@link runCapture}. */
export interface CaptureOptions {
  /** Port path; when absent the unit is found by USB id. */
  path?: string;
  seconds: number;
  outDir: string;
  recordName: string;
  rateHz?: Ecg12RateHz;
  /** Status lines for the operator. */
  onStatus?: (message: string) => void;
}

/**
 * Records `seconds` of wall-clock time from the unit's START acknowledgement, then stops the unit
 * and writes the record. Keeps recording through unplugs (the unit reconnects; gaps are invalid).
 */
export async function runCapture(options: CaptureOptions): Promise<CaptureSummary> {
  const unit = new Ecg12Unit({ path: options.path, rateHz: options.rateHz });
  const recorder = new CaptureRecorder();
  const gaps: Ecg12Gap[] = [];
  unit.on('samples', (e) => recorder.add(e));
  unit.on('gap', (g) => gaps.push(g));
  unit.on('status', (s) => options.onStatus?.(s.message));
  unit.on('log', (text) => options.onStatus?.(`unit log: ${text}`));
  await unit.start();
  await new Promise((resolve) => setTimeout(resolve, options.seconds * 1000));
  await unit.stop();
  return recorder.write(options.outDir, options.recordName, {
    info: unit.info,
    counters: unit.counters(),
    gaps,
  });
}
