/**
 * The live QRS detector's candidates since its last beat: feature peaks with the measures its
 * rules read (energy, slope, R-peak position, amplitude), in a fixed ring so that streaming
 * allocates nothing. Slots are indexes into the arrays; `slotAt(0)` is the oldest candidate.
 */

/** One candidate's measures. */
export interface QrsCandidate {
  /** Sample index of the feature peak. */
  index: number;
  /** Feature peak (integrated 5–15 Hz energy). */
  value: number;
  /** Largest summed |slope| in the integration window. */
  slope: number;
  /** Sample index of the R peak on the detector's band-passed signal. */
  r: number;
  /** 1–40 Hz peak-to-peak amplitude around the complex. */
  amplitude: number;
  /** Per-lead integrated energy near the complex (qrs-agreement.ts). */
  energies?: Float64Array;
  /** Per-lead 1–40 Hz peak-to-peak amplitude (qrs-lead-wide.ts). */
  amplitudes?: Float64Array;
  /** Per-lead largest |slope| in the integration window (qrs-lead-wide.ts). */
  slopes?: Float64Array;
  /** Per-lead sign of the deflection that would mark the beat (qrs-refine.ts). */
  signs?: Int8Array;
  /** It repeats the patient's P wave where one is due (qrs-pwave.ts), judged when it was found. */
  pWave?: boolean;
}

/** Ring of candidates, oldest first; when full the oldest is dropped. */
export class CandidateRing {
  readonly index: Float64Array;
  readonly value: Float64Array;
  readonly slope: Float64Array;
  readonly r: Float64Array;
  readonly amplitude: Float64Array;
  /** Per-lead energies, `energies[slot * leadCount + lead]`. */
  readonly energies: Float64Array;
  /** Per-lead amplitudes, laid out like `energies`. */
  readonly amplitudes: Float64Array;
  /** Per-lead slopes, laid out like `energies`. */
  readonly slopes: Float64Array;
  /** Per-lead signs of the R-peak deflection, laid out like `energies`. */
  readonly signs: Int8Array;
  /** 1 where the candidate repeats the patient's P wave where one is due (qrs-pwave.ts). */
  readonly pWave: Uint8Array;
  private start = 0;
  /** Candidates held. */
  count = 0;

  constructor(
    readonly capacity = 64,
    readonly leadCount = 1,
  ) {
    this.energies = new Float64Array(capacity * leadCount);
    this.amplitudes = new Float64Array(capacity * leadCount);
    this.slopes = new Float64Array(capacity * leadCount);
    this.signs = new Int8Array(capacity * leadCount);
    this.index = new Float64Array(capacity);
    this.value = new Float64Array(capacity);
    this.slope = new Float64Array(capacity);
    this.r = new Float64Array(capacity);
    this.amplitude = new Float64Array(capacity);
    this.pWave = new Uint8Array(capacity);
  }

  /** Slot of the `k`-th oldest candidate. */
  slotAt(k: number): number {
    return (this.start + k) % this.capacity;
  }

  /** Slot of the newest candidate. */
  newest(): number {
    return this.slotAt(this.count - 1);
  }

  /** Appends a candidate (dropping the oldest when full); returns its slot. */
  push(c: QrsCandidate): number {
    if (this.count === this.capacity) this.dropOldest();
    const slot = this.slotAt(this.count);
    this.index[slot] = c.index;
    this.value[slot] = c.value;
    this.slope[slot] = c.slope;
    this.r[slot] = c.r;
    this.amplitude[slot] = c.amplitude;
    this.pWave[slot] = c.pWave === true ? 1 : 0;
    if (c.energies !== undefined) this.energies.set(c.energies, slot * this.leadCount);
    if (c.amplitudes !== undefined) this.amplitudes.set(c.amplitudes, slot * this.leadCount);
    if (c.slopes !== undefined) this.slopes.set(c.slopes, slot * this.leadCount);
    if (c.signs !== undefined) this.signs.set(c.signs, slot * this.leadCount);
    this.count++;
    return slot;
  }

  /** Drops the candidates up to and including sample `index`. */
  dropThrough(index: number): void {
    while (this.count > 0 && this.index[this.start]! <= index) this.dropOldest();
  }

  /** Removes and returns every candidate, oldest first. */
  takeAll(): QrsCandidate[] {
    const all: QrsCandidate[] = [];
    for (let k = 0; k < this.count; k++) {
      const s = this.slotAt(k);
      all.push({
        index: this.index[s]!,
        value: this.value[s]!,
        slope: this.slope[s]!,
        r: this.r[s]!,
        amplitude: this.amplitude[s]!,
        energies: this.energies.slice(s * this.leadCount, (s + 1) * this.leadCount),
        amplitudes: this.amplitudes.slice(s * this.leadCount, (s + 1) * this.leadCount),
        slopes: this.slopes.slice(s * this.leadCount, (s + 1) * this.leadCount),
        signs: this.signs.slice(s * this.leadCount, (s + 1) * this.leadCount),
        pWave: this.pWave[s] === 1,
      });
    }
    this.count = 0;
    return all;
  }

  private dropOldest(): void {
    this.start = (this.start + 1) % this.capacity;
    this.count--;
  }
}
