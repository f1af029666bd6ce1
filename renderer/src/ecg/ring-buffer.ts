/**
 * Fixed-capacity multi-channel sample ring addressed by absolute sample index. Samples never
 * received read as NaN: a gap stays a gap and is never interpolated. Typed arrays only, so a
 * batch costs no allocation beyond the caller's.
 */
export class SampleRing {
  /** Samples per channel the ring keeps. */
  readonly capacity: number;
  private readonly channels: Float32Array[];
  /** One past the newest index written; `-1` before the first write. */
  private endIndex = -1;
  /** Oldest index that is still (or was ever) inside the ring. */
  private startIndex = 0;

  constructor(channelCount: number, capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity ${capacity}: must be ≥ 1`);
    if (!Number.isInteger(channelCount) || channelCount < 1)
      throw new RangeError(`channelCount ${channelCount}: must be ≥ 1`);
    this.capacity = capacity;
    this.channels = Array.from({ length: channelCount }, () => new Float32Array(capacity).fill(NaN));
  }

  get channelCount(): number {
    return this.channels.length;
  }

  /** True until the first write. */
  get empty(): boolean {
    return this.endIndex < 0;
  }

  /** Newest index written, or −1 when empty. */
  get latestIndex(): number {
    return this.endIndex - 1;
  }

  /** Oldest index that can still be read (older ones have been overwritten). */
  get oldestIndex(): number {
    return Math.max(this.startIndex, this.endIndex - this.capacity);
  }

  /**
   * Writes `samples[channel][k]` at index `firstIndex + k`. Indices skipped since the last write
   * become NaN (a gap); a write into the past overwrites what is still in the ring. A channel
   * missing from `samples`, or shorter than the longest one, reads as NaN there.
   */
  write(firstIndex: number, samples: readonly (ArrayLike<number> | undefined)[]): void {
    if (!Number.isInteger(firstIndex) || firstIndex < 0) throw new RangeError(`firstIndex ${firstIndex}`);
    let count = 0;
    for (const s of samples) count = Math.max(count, s?.length ?? 0);
    if (count === 0) return;
    const lastExclusive = firstIndex + count;
    if (this.endIndex < 0 || firstIndex - this.endIndex >= this.capacity) {
      this.reset(firstIndex);
    } else if (firstIndex > this.endIndex) {
      this.fillNaN(this.endIndex, firstIndex);
    }
    const from = Math.max(firstIndex, lastExclusive - this.capacity, this.oldestIndexFor(lastExclusive));
    for (let c = 0; c < this.channels.length; c++)
      this.copyChannel(c, samples[c], firstIndex, from, lastExclusive);
    this.endIndex = Math.max(this.endIndex, lastExclusive);
  }

  /** The sample at `index` of `channel` (µV or whatever unit was written), NaN when absent. */
  get(channel: number, index: number): number {
    const data = this.channels[channel];
    if (data === undefined || index < this.oldestIndex || index >= this.endIndex) return NaN;
    return data[index % this.capacity] ?? NaN;
  }

  /**
   * Copies samples `fromIndex … fromIndex + count − 1` of `channel` into `out` from `outOffset`;
   * indices not held (never written, overwritten, or in the future) read as NaN.
   */
  readInto(channel: number, fromIndex: number, out: Float32Array, outOffset: number, count: number): void {
    const data = this.channels[channel];
    const held0 = Math.max(fromIndex, this.oldestIndex);
    const held1 = Math.min(fromIndex + count, this.endIndex);
    if (data === undefined || held1 <= held0) {
      out.fill(Number.NaN, outOffset, outOffset + count);
      return;
    }
    out.fill(Number.NaN, outOffset, outOffset + (held0 - fromIndex));
    let k = outOffset + (held0 - fromIndex);
    let i = held0;
    while (i < held1) {
      const slot = i % this.capacity;
      const run = Math.min(held1 - i, this.capacity - slot);
      out.set(data.subarray(slot, slot + run), k);
      k += run;
      i += run;
    }
    out.fill(Number.NaN, k, outOffset + count);
  }

  /** Forgets everything; the next write starts a fresh run. */
  clear(): void {
    for (const data of this.channels) data.fill(NaN);
    this.endIndex = -1;
    this.startIndex = 0;
  }

  private oldestIndexFor(newEnd: number): number {
    return Math.max(this.startIndex, Math.max(newEnd, this.endIndex) - this.capacity);
  }

  private reset(firstIndex: number): void {
    for (const data of this.channels) data.fill(NaN);
    this.startIndex = firstIndex;
    this.endIndex = firstIndex;
  }

  private fillNaN(from: number, toExclusive: number): void {
    for (const data of this.channels) for (let i = from; i < toExclusive; i++) data[i % this.capacity] = NaN;
  }

  private copyChannel(
    channel: number,
    source: ArrayLike<number> | undefined,
    firstIndex: number,
    from: number,
    toExclusive: number,
  ): void {
    const data = this.channels[channel];
    if (data === undefined) return;
    for (let i = from; i < toExclusive; i++) {
      const v = source?.[i - firstIndex];
      data[i % this.capacity] = v === undefined || !Number.isFinite(v) ? NaN : v;
    }
  }
}
