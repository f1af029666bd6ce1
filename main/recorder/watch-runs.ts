/**
 * Places the watch's sample batches on a run clock. A batch carries the gateway time of its first
 * sample (`ts`) and its rate; the first batch of a run anchors it (its `ts`, rounded to the
 * millisecond) and later batches get the run index their time says. Small disagreements
 * (≤ {@link SNAP_SAMPLES} samples: BLE delivery and clock re-basing jitter) are snapped onto
 * the expected index so no false gap or overlap appears; a later batch beyond that is a hole in
 * the run; an earlier one, or a rate change, starts a new run (the watch restarted or its clock
 * was re-based backwards).
 */

/** Disagreement, in samples, taken as jitter rather than a hole. */
export const SNAP_SAMPLES = 2;

interface Run {
  anchorMs: number;
  hz: number;
  next: number;
}

export class WatchRuns {
  private readonly runs = new Map<string, Run>();

  /** Forgets every run (a new recording). */
  reset(): void {
    this.runs.clear();
  }

  /** Where a batch of `count` samples at `ts` goes on `stream`'s run clock. */
  place(
    stream: string,
    ts: number,
    hz: number,
    count: number,
  ): { anchorMs: number; hz: number; firstIndex: number } {
    let run = this.runs.get(stream);
    let firstIndex = 0;
    if (run !== undefined && run.hz === hz) {
      const index = Math.round(((ts - run.anchorMs) * hz) / 1000);
      if (Math.abs(index - run.next) <= SNAP_SAMPLES) firstIndex = run.next;
      else if (index > run.next) firstIndex = index;
      else run = undefined;
    } else {
      run = undefined;
    }
    if (run === undefined) {
      run = { anchorMs: Math.round(ts), hz, next: 0 };
      this.runs.set(stream, run);
    }
    run.next = firstIndex + count;
    return { anchorMs: run.anchorMs, hz, firstIndex };
  }
}
