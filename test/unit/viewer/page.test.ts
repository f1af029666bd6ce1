import { describe, expect, it } from 'vitest';
import { placePage, pageDurationMs, PAGE_WIDTH_MM } from '../../../renderer/viewer/src/ecg/page-layout.js';
import { pageSignal, leadIndex, type EcgSegment } from '../../../renderer/viewer/src/ecg/page-data.js';
import { formatElapsed, parseElapsed } from '../../../renderer/viewer/src/format.js';

const T0 = 1_763_713_800_000;
const view = { startMs: T0, speedMmPerS: 25, gainMmPerMv: 10, expandedLead: null };

describe('viewer page layout', () => {
  it('places the standard page: 3 × 4 consecutive 2.5-s segments and a 10-s lead II rhythm strip', () => {
    const page = placePage(view);
    expect(page.durationMs).toBe(10_000);
    expect(PAGE_WIDTH_MM).toBe(250);
    expect(page.cells).toHaveLength(13);
    const byLead = Object.fromEntries(page.cells.filter((c) => !c.rhythm).map((c) => [c.lead, c]));
    expect(
      [byLead.I!.fromMs, byLead.aVR!.fromMs, byLead.V1!.fromMs, byLead.V4!.fromMs].map((t) => t - T0),
    ).toEqual([0, 2500, 5000, 7500]);
    expect(byLead.III!.toMs - byLead.III!.fromMs).toBe(2500);
    expect(byLead.V6!.xMm - byLead.V4!.xMm).toBe(0);
    expect(byLead.aVR!.xMm - byLead.I!.xMm).toBeCloseTo(62.5, 9);
    const rhythm = page.cells.find((c) => c.rhythm)!;
    expect([rhythm.lead, rhythm.fromMs - T0, rhythm.toMs - T0, rhythm.widthMm]).toEqual([
      'II',
      0,
      10_000,
      250,
    ]);
  });

  it('keeps 250 mm of paper per page: 5 s at 50 mm/s, 20 s at 12.5 mm/s', () => {
    expect(pageDurationMs(50)).toBe(5000);
    expect(pageDurationMs(12.5)).toBe(20_000);
    const fast = placePage({ ...view, speedMmPerS: 50 });
    const v4 = fast.cells.find((c) => c.lead === 'V4')!;
    expect([v4.fromMs - T0, v4.toMs - T0]).toEqual([3750, 5000]);
  });

  it('shows one expanded lead across the whole page', () => {
    const page = placePage({ ...view, expandedLead: 'V1' });
    expect(page.cells).toEqual([
      expect.objectContaining({ lead: 'V1', fromMs: T0, toMs: T0 + 10_000, widthMm: 250 }),
    ]);
  });
});

describe('viewer page signal', () => {
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
    ],
    gaps: [{ startMs: T0 + 4, durationMs: 1000, cause: 'device' }],
  });

  it('derives the 12 leads in microvolts from the 8 acquired channels (Einthoven, Goldberger)', () => {
    const signal = pageSignal(segment(['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']));
    const at = (lead: Parameters<typeof leadIndex>[0]) =>
      Array.from(signal.runs[0]!.microvolts[leadIndex(lead)]!);
    // 500 nV per count: I = 2 counts = 1 µV
    expect(at('I')).toEqual([1, 2]);
    expect(at('II')).toEqual([3, 4]);
    expect(at('III')).toEqual([2, 2]);
    expect(at('aVR')).toEqual([-2, -3]);
    expect(at('aVL')).toEqual([-0.5, 0]);
    expect(at('aVF')).toEqual([2.5, 3]);
    expect(at('V6')).toEqual([-3, 3]);
    expect(signal.gaps).toHaveLength(1);
  });

  it('rejects channels that are not the unit’s 8 in wire order', () => {
    expect(() => pageSignal(segment(['II', 'I', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']))).toThrow(
      /expected I, II, V1/,
    );
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
