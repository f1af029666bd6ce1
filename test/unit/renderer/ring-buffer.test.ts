import { describe, expect, it } from 'vitest';
import { SampleRing } from '../../../renderer/src/ecg/ring-buffer.js';

function read(ring: SampleRing, channel: number, from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(ring.get(channel, i));
  return out;
}

describe('SampleRing', () => {
  it('reads back what was written at absolute indices, per channel', () => {
    const ring = new SampleRing(2, 10);
    ring.write(100, [
      [1, 2, 3],
      [10, 20, 30],
    ]);
    expect(read(ring, 0, 100, 102)).toEqual([1, 2, 3]);
    expect(read(ring, 1, 100, 102)).toEqual([10, 20, 30]);
    expect(ring.latestIndex).toBe(102);
    expect(ring.oldestIndex).toBe(100);
  });

  it('reads NaN outside what was received', () => {
    const ring = new SampleRing(1, 10);
    expect(ring.get(0, 0)).toBeNaN();
    ring.write(5, [[1, 2]]);
    expect(ring.get(0, 4)).toBeNaN();
    expect(ring.get(0, 7)).toBeNaN();
    expect(ring.get(1, 5)).toBeNaN();
  });

  it('leaves skipped indices as a gap (NaN), never the old contents of the slot', () => {
    const ring = new SampleRing(1, 8);
    ring.write(0, [[1, 2, 3, 4, 5, 6, 7, 8]]);
    ring.write(10, [[11, 12]]);
    expect(read(ring, 0, 4, 11)).toEqual([5, 6, 7, 8, NaN, NaN, 11, 12]);
    expect(read(ring, 0, 8, 9).every(Number.isNaN)).toBe(true);
  });

  it('starts over when the gap is longer than the ring', () => {
    const ring = new SampleRing(1, 4);
    ring.write(0, [[1, 2, 3, 4]]);
    ring.write(100, [[9]]);
    expect(ring.oldestIndex).toBe(100);
    expect(ring.get(0, 3)).toBeNaN();
    expect(ring.get(0, 100)).toBe(9);
  });

  it('drops overwritten history as it wraps', () => {
    const ring = new SampleRing(1, 4);
    ring.write(0, [[1, 2, 3]]);
    ring.write(3, [[4, 5, 6]]);
    expect(ring.oldestIndex).toBe(2);
    expect(read(ring, 0, 0, 5)).toEqual([NaN, NaN, 3, 4, 5, 6]);
  });

  it('overwrites a repeated range in place and keeps the newest end', () => {
    const ring = new SampleRing(1, 10);
    ring.write(0, [[1, 2, 3, 4]]);
    ring.write(1, [[20, 30]]);
    expect(read(ring, 0, 0, 3)).toEqual([1, 20, 30, 4]);
    expect(ring.latestIndex).toBe(3);
  });

  it('stores non-finite and missing samples as gaps', () => {
    const ring = new SampleRing(3, 10);
    ring.write(0, [[1, Number.POSITIVE_INFINITY, 3], [5], undefined]);
    expect(read(ring, 0, 0, 2)).toEqual([1, NaN, 3]);
    expect(read(ring, 1, 0, 2)).toEqual([5, NaN, NaN]);
    expect(read(ring, 2, 0, 2).every(Number.isNaN)).toBe(true);
  });

  it('rejects bad sizes and indices', () => {
    expect(() => new SampleRing(1, 0)).toThrow(RangeError);
    expect(() => new SampleRing(0, 5)).toThrow(RangeError);
    expect(() => new SampleRing(1, 5).write(-1, [[1]])).toThrow(RangeError);
    expect(() => new SampleRing(1, 5).write(1.5, [[1]])).toThrow(RangeError);
  });
});
