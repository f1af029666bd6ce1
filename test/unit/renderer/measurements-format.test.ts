import { describe, expect, it } from 'vitest';
import type { MeasurementRecord } from '../../../renderer/src/api-types.js';
import {
  displayValue,
  reasonText,
  signed,
  staleSeconds,
  stMillimetres,
} from '../../../renderer/src/format/measurements.js';

const base: MeasurementRecord = {
  tMs: 10_000,
  windowMs: 10_000,
  heartRateBpm: 72.4,
  rrMs: 829,
  prMs: null,
  qrsMs: 92,
  qtMs: null,
  qtcBazettMs: null,
  qtcFridericiaMs: null,
  qtcFraminghamMs: null,
  qtcHodgesMs: null,
  qrsAxisDeg: -30,
  stUv: { V2: 120 },
  sdnnMs: null,
  rmssdMs: null,
  pnn50Pct: null,
  withheld: { prMs: 'not_measurable', qtMs: 'lead_off', sdnnMs: 'insufficient_beats' },
};

describe('measurement display', () => {
  it('rounds a present value', () => {
    expect(displayValue(base, 'heartRateBpm')).toEqual({ text: '72', reason: null });
    expect(displayValue(base, 'qrsAxisDeg')).toEqual({ text: '-30', reason: null });
  });

  it('shows a withheld value as — with the reason in words', () => {
    expect(displayValue(base, 'prMs')).toEqual({ text: '—', reason: 'not measurable' });
    expect(displayValue(base, 'qtMs')).toEqual({ text: '—', reason: 'lead off' });
    expect(displayValue(base, 'sdnnMs')).toEqual({ text: '—', reason: 'too few beats' });
  });

  it('names the rhythm episode going on for values withheld for one, and only for those', () => {
    const record: MeasurementRecord = {
      ...base,
      heartRateBpm: null,
      withheld: { ...base.withheld, heartRateBpm: 'rhythm_episode' },
    };
    const named = 'no beats: asystole';
    expect(displayValue(record, 'heartRateBpm', 0, named)).toEqual({ text: '—', reason: named });
    expect(displayValue(record, 'heartRateBpm')).toEqual({
      text: '—',
      reason: 'no beats (ventricular fibrillation or asystole)',
    });
    expect(displayValue(record, 'qtMs', 0, named)).toEqual({ text: '—', reason: 'lead off' });
  });

  it('applies a group reason (hrv) to each HRV value', () => {
    const record = { ...base, withheld: { hrv: 'insufficient_beats' as const } };
    expect(displayValue(record, 'rmssdMs')).toEqual({ text: '—', reason: 'too few beats' });
    expect(displayValue(record, 'pnn50Pct')).toEqual({ text: '—', reason: 'too few beats' });
  });

  it('says "not measured" for a null without a reason and "no measurements yet" before any', () => {
    expect(displayValue(base, 'rmssdMs').reason).toBe('not measured');
    expect(displayValue(null, 'heartRateBpm')).toEqual({ text: '—', reason: 'no measurements yet' });
    expect(reasonText('some_new_code')).toBe('some new code');
  });

  it('converts ST to mm at the display gain (100 µV = 1 mm at 10 mm/mV)', () => {
    expect(stMillimetres(100, 10)).toBeCloseTo(1, 9);
    expect(stMillimetres(-200, 20)).toBeCloseTo(-4, 9);
    expect(signed(1.5, 1)).toBe('+1.5');
    expect(signed(-0.5, 1)).toBe('−0.5');
  });

  it('marks measurements stale 5 s after the last one arrived, by the screen clock', () => {
    expect(staleSeconds(10_000, 14_000)).toBeNull();
    expect(staleSeconds(10_000, 15_000)).toBeNull();
    expect(staleSeconds(10_000, 22_000)).toBe(12);
    expect(staleSeconds(null, 22_000)).toBeNull();
  });
});
