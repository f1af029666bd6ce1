/**
 * The live view's page: the last 10 s of the ring buffers arranged as a sweeping page. Sample
 * `i` of the timeline goes to page position `i mod N` (N = one page of samples), so the page is
 * written left to right and starts over every 10 s, like a monitor sweep; positions right of the
 * head still hold the previous sweep, with an erase gap just ahead of the head. Each column of
 * the printed page therefore shows consecutive 2.5-s segments of one sweep. Pure TypeScript.
 */
import { LEADS } from '../api-types.js';
import { PAGE_DURATION_MS } from '../../../server-contract/formats/ecg-page.js';
import type { EcgStream } from './ecg-stream.js';
import type { EcgPageData, PageBeat } from './page/index.js';

/** Width of the erase gap ahead of the head, ms (6 mm at 25 mm/s). */
export const ERASE_GAP_MS = 240;

/** Reusable page storage for one sample rate. */
export class LivePageBuffer {
  readonly sampleRateHz: number;
  /** Samples per page. */
  readonly length: number;
  private readonly lanes: Float32Array[];
  private readonly beats: PageBeat[] = [];
  readonly page: EcgPageData;

  constructor(sampleRateHz: number, durationMs = PAGE_DURATION_MS) {
    if (!(sampleRateHz > 0)) throw new RangeError(`sampleRateHz ${sampleRateHz}: must be positive`);
    this.sampleRateHz = sampleRateHz;
    this.length = Math.round((durationMs * sampleRateHz) / 1000);
    this.lanes = LEADS.map(() => new Float32Array(this.length).fill(Number.NaN));
    const samplesUv: EcgPageData['samplesUv'] = {};
    LEADS.forEach((lead, k) => {
      samplesUv[lead] = this.lanes[k];
    });
    this.page = { startMs: Number.NaN, sampleRateHz, samplesUv, beats: this.beats, durationMs };
  }

  /** First timeline index of the sweep that holds `headIndex`. */
  sweepStart(headIndex: number): number {
    return headIndex - (((headIndex % this.length) + this.length) % this.length);
  }

  /**
   * Refills the page for the sweep head at `headIndex` (−1: nothing yet, the page is blank).
   * With `positions`, only page positions [from, to) are copied again (what a frame's strip
   * needs); the rest is left as the previous fill for the same sweep wrote it.
   */
  fill(stream: EcgStream, headIndex: number, positions?: { from: number; to: number }): EcgPageData {
    const ring = stream.ring;
    this.beats.length = 0;
    if (ring === null || headIndex < 0) {
      for (const lane of this.lanes) lane.fill(Number.NaN);
      this.page.startMs = Number.NaN;
      return this.page;
    }
    const n = this.length;
    const base = this.sweepStart(headIndex);
    const head = headIndex - base;
    const erase = Math.min(n - head - 1, Math.round((ERASE_GAP_MS * this.sampleRateHz) / 1000));
    const resume = head + 1 + erase;
    const from = Math.max(0, Math.floor(positions?.from ?? 0));
    const to = Math.min(n, Math.ceil(positions?.to ?? n));
    // three spans: this sweep up to the head, the erase gap, the previous sweep after it
    const spans = [
      { start: 0, end: head + 1, ringStart: base },
      { start: head + 1, end: resume, ringStart: Number.NaN },
      { start: resume, end: n, ringStart: base - n + resume },
    ];
    for (const span of spans) {
      const a = Math.max(span.start, from);
      const b = Math.min(span.end, to);
      if (b <= a) continue;
      this.lanes.forEach((lane, channel) => {
        if (Number.isNaN(span.ringStart)) lane.fill(Number.NaN, a, b);
        else ring.readInto(channel, span.ringStart + (a - span.start), lane, a, b - a);
      });
    }
    this.page.startMs = stream.timeOfIndex(base);
    stream.forEachBeat(base - n + resume, headIndex, (index, beatClass) => {
      const position = index >= base ? index - base : index - base + n;
      this.beats.push({ offsetMs: (position * 1000) / this.sampleRateHz, beatClass });
    });
    return this.page;
  }
}
