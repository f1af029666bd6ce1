/**
 * The sample clock of ECG-12 runs (spec §5). Within a run a sample set's time is
 * `anchor + index × 1000 / rate` ms, the index counting gap sets too; the anchor is the host
 * receive time of the run's first SAMPLES frame minus the duration of the sets up to and including
 * that frame. Runs are placed on one session timeline: a new run starts after the previous run's
 * last received set plus the gap between them, measured on the host clock and rounded to whole
 * sample sets (an estimated gap).
 */

/** A gap between two runs, estimated on the host clock. */
export interface BetweenRunsGap {
  /** Session index of the first missing set. */
  sessionFirstIndex: number;
  sampleSets: number;
  /** Estimated time of the first missing set, ms since the Unix epoch. */
  startMs: number;
}

interface RunRecord {
  anchorMs: number;
  rateHz: number;
  /** One past the highest run index received. */
  endIndex: number;
  sessionOffset: number;
}

/** See the file comment. */
export class RunClock {
  /** Run number, 0 for the first run; -1 before any. */
  run = -1;
  /** Anchor of the current run, ms since the Unix epoch; undefined until its first SAMPLES frame. */
  anchorMs: number | undefined;
  /** Session index of the current run's index 0 (defined once anchored). */
  sessionOffset = 0;
  /** Receive time minus the expected time of the latest frame's last set's end, ms (drift, §5). */
  lastOffsetMs = 0;
  /** Smallest such offset in this run (the least-delayed frame); drift shows as its change. */
  minOffsetMs = Infinity;
  private rateHz = 500;
  private endIndex = 0;
  private previous: RunRecord | undefined;

  /** Starts a new run (START sent). */
  beginRun(rateHz: number): void {
    this.endRun();
    this.run++;
    this.rateHz = rateHz;
    this.anchorMs = undefined;
    this.endIndex = 0;
    this.minOffsetMs = Infinity;
  }

  /** Ends the current run (STOP, disconnect); a run without samples leaves no trace. */
  endRun(): void {
    if (this.anchorMs === undefined) return;
    this.previous = {
      anchorMs: this.anchorMs,
      rateHz: this.rateHz,
      endIndex: this.endIndex,
      sessionOffset: this.sessionOffset,
    };
    this.anchorMs = undefined;
  }

  /**
   * Accounts for a SAMPLES frame of the current run received at `receiveMs`. Returns the
   * between-runs gap when this frame anchored a run that follows an earlier one.
   */
  onFrame(firstIndex: number, setCount: number, receiveMs: number): BetweenRunsGap | undefined {
    let gap: BetweenRunsGap | undefined;
    if (this.anchorMs === undefined) {
      this.anchorMs = receiveMs - ((firstIndex + setCount) * 1000) / this.rateHz;
      gap = this.placeRun();
    }
    this.endIndex = Math.max(this.endIndex, firstIndex + setCount);
    this.lastOffsetMs = receiveMs - this.timeOfIndexMs(firstIndex + setCount);
    this.minOffsetMs = Math.min(this.minOffsetMs, this.lastOffsetMs);
    return gap;
  }

  /** Time of run index `index` (ms since the Unix epoch); NaN before the run is anchored. */
  timeOfIndexMs(index: number): number {
    return this.anchorMs === undefined ? NaN : this.anchorMs + (index * 1000) / this.rateHz;
  }

  private placeRun(): BetweenRunsGap | undefined {
    const prev = this.previous;
    if (prev === undefined) {
      this.sessionOffset = 0;
      return undefined;
    }
    const prevEndMs = prev.anchorMs + (prev.endIndex * 1000) / prev.rateHz;
    const sampleSets = Math.max(0, Math.round(((this.anchorMs! - prevEndMs) * this.rateHz) / 1000));
    const sessionFirstIndex = prev.sessionOffset + prev.endIndex;
    this.sessionOffset = sessionFirstIndex + sampleSets;
    return { sessionFirstIndex, sampleSets, startMs: prevEndMs };
  }
}
