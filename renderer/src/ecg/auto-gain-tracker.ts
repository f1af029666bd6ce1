/**
 * Auto gain over time for the live view: the page's suggested gain (`autoGainMmPerMv`) is taken
 * at once when it is lower (the signal grew: avoid clipping) and only after it has held for
 * `RAISE_AFTER_MS` when it is higher, so the scale does not flicker between two gains.
 */

/** How long a higher suggested gain must hold before it is taken, ms. */
export const RAISE_AFTER_MS = 3000;

export class AutoGainTracker {
  private current: number;
  private raiseCandidate: number | null = null;
  private raiseSinceMs = 0;

  constructor(initialMmPerMv = 10) {
    this.current = initialMmPerMv;
  }

  get gainMmPerMv(): number {
    return this.current;
  }

  /** Feeds the suggestion for the page at `nowMs`; returns the gain to draw with. */
  update(suggestedMmPerMv: number, nowMs: number): number {
    if (suggestedMmPerMv <= this.current) {
      this.current = suggestedMmPerMv;
      this.raiseCandidate = null;
      return this.current;
    }
    if (this.raiseCandidate !== suggestedMmPerMv) {
      this.raiseCandidate = suggestedMmPerMv;
      this.raiseSinceMs = nowMs;
    } else if (nowMs - this.raiseSinceMs >= RAISE_AFTER_MS) {
      this.current = suggestedMmPerMv;
      this.raiseCandidate = null;
    }
    return this.current;
  }
}
