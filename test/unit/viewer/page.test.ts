import { describe, expect, it } from 'vitest';
import { pageDurationMs, toPageData, type EcgSegment } from '../../../renderer/viewer/src/ecg/page-data.js';
import { formatArrest, formatElapsed, parseElapsed } from '../../../renderer/viewer/src/format.js';

const T0 = 1_763_713_800_000;

describe('viewer page data', () => {
  // 4 samples at 500 Hz (2 ms apart) from T0, then a 2-ms gap, then 2 samples
  const segment = (leads: string[]): EcgSegment => ({
    recordingId: '01a24234-b945-71ec-a6cd-f70b3653ee67',
    simulated: true,
    sampleRateHz: 500,
    lsbNanovolts: 500,
    leads: leads as EcgSegment['leads'],
    runs: [
      {
        startMs: T0,
        sampleCount: 2,
        channels: [
          [2, 4],
          [6, 8],
          [1, 1],
          [2, 2],
          [3, 3],
          [4, 4],
          [5, 5],
          [-6, 6],
        ],
      },
      {
        startMs: T0 + 6,
        sampleCount: 2,
        channels: [
          [2, 4],
          [6, 8],
          [1, 1],
          [2, 2],
          [3, 3],
          [4, 4],
          [5, 5],
          [-6, 6],
        ],
      },
    ],
    gaps: [{ startMs: T0 + 4, durationMs: 2, cause: 'device' }],
  });
  const ACQUIRED = ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];
  const beats = [
    { tMs: T0 + 2, beatClass: 'V' as const },
    { tMs: T0 + 20, beatClass: 'N' as const },
  ];

  it('derives the 12 leads in µV (Einthoven, Goldberger) with each lead’s page mean removed', () => {
    const page = toPageData(segment(ACQUIRED), beats, T0, 10);
    const at = (lead: keyof typeof page.samplesUv) => Array.from(page.samplesUv[lead]!).slice(0, 2);
    // 500 nV per count: I is 1 and 2 µV, mean 1.5
    expect(at('I')).toEqual([-0.5, 0.5]);
    expect(at('III')).toEqual([0, 0]);
    expect(at('aVR')).toEqual([0.5, -0.5]);
    expect(at('aVL')).toEqual([-0.25, 0.25]);
    expect(at('aVF')).toEqual([-0.25, 0.25]);
    expect(at('V6')).toEqual([-3, 3]);
  });

  it('leaves the gap and the page past the data as NaN, never filled', () => {
    const page = toPageData(segment(ACQUIRED), beats, T0, 10);
    const ii = Array.from(page.samplesUv.II!);
    expect(ii).toHaveLength(5);
    expect(ii.map(Number.isNaN)).toEqual([false, false, true, false, false]);
  });

  it('keeps the beats inside the page, as offsets with their class', () => {
    expect(toPageData(segment(ACQUIRED), beats, T0, 10).beats).toEqual([{ offsetMs: 2, beatClass: 'V' }]);
  });

  it('rejects channels that are not the unit’s 8 in wire order', () => {
    expect(() => toPageData(segment(['II', 'I', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']), [], T0, 10)).toThrow(
      /expected I, II, V1/,
    );
  });

  it('keeps 250 mm of paper per page: 10 s at 25 mm/s, 5 s at 50, 20 s at 12.5', () => {
    expect([pageDurationMs(25), pageDurationMs(50), pageDurationMs(12.5)]).toEqual([10_000, 5000, 20_000]);
  });
});

describe('viewer elapsed time field', () => {
  it.each([
    ['2:15:00', 8_100_000],
    ['0:01:18', 78_000],
    ['1:30', 5_400_000],
    ['3', 10_800_000],
    [' 23:59:59 ', 86_399_000],
  ])('reads %s', (text, ms) => expect(parseElapsed(text)).toBe(ms));

  it.each(['', 'abc', '1:60', '1:00:75', '-1', '1:2:3:4'])('refuses %j', (text) =>
    expect(parseElapsed(text)).toBeNull(),
  );

  it('writes elapsed time as HH:MM:SS past 24 h', () => {
    expect(formatElapsed(90_061_000)).toBe('25:01:01');
  });
});

describe('viewer arrest rhythms', () => {
  it('names each computed arrest rhythm with its count and length, none, or a dash when not counted', () => {
    expect(formatArrest({ vfEpisodes: 1, vfMs: 14_200, asystoleEpisodes: 2, asystoleMs: 9_000 })).toBe(
      'ventricular flutter/fibrillation ×1 (14.2 s), asystole ×2 (9 s)',
    );
    expect(formatArrest({ vfEpisodes: 0, vfMs: 0, asystoleEpisodes: 0, asystoleMs: 0 })).toBe('none');
    expect(formatArrest({})).toBe('—');
  });
});
