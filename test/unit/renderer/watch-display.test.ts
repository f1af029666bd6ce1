import { describe, expect, it } from 'vitest';
import type { FoundWatch } from '../../../renderer/src/api-types.js';
import { mergeFound } from '../../../renderer/src/format/found-watches.js';
import { accelMagnitudeMg, MagnitudeHistory, sparklineY } from '../../../renderer/src/format/sparkline.js';

const watch = (address: string, rssiDbm: number): FoundWatch => ({
  address,
  name: `Bangle.js ${address.slice(-2)}`,
  rssiDbm,
  kind: 'uart',
  simulated: true,
});

describe('scan list', () => {
  it('sorts nearest (strongest RSSI) first and keeps the latest sighting of each address', () => {
    const first = mergeFound([], [watch('aa:01', -80), watch('aa:02', -60)]);
    expect(first.map((w) => w.address)).toEqual(['aa:02', 'aa:01']);
    const moved = mergeFound(first, [watch('aa:01', -50)]);
    expect(moved.map((w) => [w.address, w.rssiDbm])).toEqual([
      ['aa:01', -50],
      ['aa:02', -60],
    ]);
  });

  it('keeps each watch in its place while the scan runs, new ones joining at the end', () => {
    const first = mergeFound([], [watch('aa:01', -80)], true);
    const more = mergeFound(first, [watch('aa:02', -40), watch('aa:01', -30)], true);
    expect(more.map((w) => [w.address, w.rssiDbm])).toEqual([
      ['aa:01', -30],
      ['aa:02', -40],
    ]);
    expect(mergeFound(more, [watch('aa:01', -90)]).map((w) => w.address)).toEqual(['aa:02', 'aa:01']);
  });

  it('breaks RSSI ties by address so the order is stable', () => {
    expect(mergeFound([], [watch('bb', -70), watch('aa', -70)]).map((w) => w.address)).toEqual(['aa', 'bb']);
  });
});

describe('movement sparkline', () => {
  it('computes |a| in milli-g', () => {
    expect(accelMagnitudeMg(0, 0, 1000)).toBe(1000);
    expect(accelMagnitudeMg(300, 400, 0)).toBe(500);
  });

  it('keeps the newest values, oldest first', () => {
    const h = new MagnitudeHistory(3);
    for (const v of [1, 2, 3, 4, 5]) h.push(v);
    expect(h.toArray()).toEqual([3, 4, 5]);
  });

  it('does not amplify a still watch: a span under 200 mg draws near the middle', () => {
    const ys = sparklineY([1000, 1002, 998], 100);
    for (const y of ys) expect(Math.abs(y - 50)).toBeLessThan(2);
  });

  it('scales real movement to the full height and keeps gaps as NaN', () => {
    expect(sparklineY([500, NaN, 1500], 100)).toEqual([100, NaN, 0]);
    expect(sparklineY([NaN], 100)).toEqual([NaN]);
  });
});
