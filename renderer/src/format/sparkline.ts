/**
 * Accelerometer magnitude history for the watch sparkline: a fixed ring of recent magnitudes
 * (milli-g) and their mapping to a small canvas. Gaps (NaN) break the line.
 */

/** |a| in milli-g from the three axes (1000 mg ≈ the watch lying still). */
export function accelMagnitudeMg(xMg: number, yMg: number, zMg: number): number {
  return Math.sqrt(xMg * xMg + yMg * yMg + zMg * zMg);
}

export class MagnitudeHistory {
  private readonly values: Float32Array;
  private written = 0;

  constructor(readonly capacity: number) {
    this.values = new Float32Array(capacity).fill(NaN);
  }

  push(valueMg: number): void {
    this.values[this.written % this.capacity] = valueMg;
    this.written++;
  }

  /** Values oldest first (at most `capacity`). */
  toArray(): number[] {
    const n = Math.min(this.written, this.capacity);
    const out: number[] = [];
    for (let k = this.written - n; k < this.written; k++) out.push(this.values[k % this.capacity] ?? NaN);
    return out;
  }
}

/**
 * Canvas y for each value in a strip `heightPx` high, scaled to the values' range (at least
 * `minSpanMg` so a still watch draws flat, not amplified noise). NaN stays NaN.
 */
export function sparklineY(values: readonly number[], heightPx: number, minSpanMg = 200): number[] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return values.map(() => NaN);
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (hi - lo < minSpanMg) {
    const mid = (hi + lo) / 2;
    lo = mid - minSpanMg / 2;
    hi = mid + minSpanMg / 2;
  }
  return values.map((v) => (Number.isFinite(v) ? heightPx - ((v - lo) / (hi - lo)) * heightPx : NaN));
}
