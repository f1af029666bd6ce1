import { describe, expect, it } from 'vitest';
import { QtcInputError, qtcAllMs, qtcMs } from '../../../main/dsp/qtc.js';

describe('QTc formulas', () => {
  it('give the published check values for QT 400 ms at RR 0.8 s', () => {
    const q = qtcAllMs(400, 0.8);
    const tenths = (v: number): number => Math.round(v * 10) / 10;
    expect(tenths(q.bazett)).toBe(447.2);
    expect(tenths(q.fridericia)).toBe(430.9);
    expect(tenths(q.framingham)).toBe(430.8);
    expect(q.hodges).toBeCloseTo(426.25, 9); // 400 + 1.75 × 15, quoted as 426.3
  });

  it('leave QT unchanged at 60 bpm (RR 1 s) with every formula', () => {
    for (const value of Object.values(qtcAllMs(380, 1))) expect(value).toBeCloseTo(380, 9);
  });

  it('lengthen QT at fast rates and shorten it at slow rates', () => {
    expect(qtcMs('bazett', 350, 0.6)).toBeGreaterThan(350);
    expect(qtcMs('fridericia', 450, 1.3)).toBeLessThan(450);
  });

  it.each([
    [0, 0.8],
    [-5, 0.8],
    [400, 0],
    [400, Number.NaN],
    [Number.POSITIVE_INFINITY, 1],
  ])('rejects QT %s ms with RR %s s', (qt, rr) => {
    expect(() => qtcMs('bazett', qt, rr)).toThrow(QtcInputError);
  });
});
