import { describe, expect, it } from 'vitest';
import {
  CSS_PX_PER_MM,
  gridLines,
  microvoltsToPx,
  pxPerMm,
  windowSamples,
  windowSeconds,
} from '../../../renderer/src/ecg/ecg-scale.js';
import { cellAt, expandedLayout, standardLayout } from '../../../renderer/src/ecg/lead-layout.js';

describe('ECG paper scale', () => {
  it('uses the CSS millimetre, scaled by the device pixel ratio', () => {
    expect(CSS_PX_PER_MM).toBeCloseTo(3.7795, 4);
    expect(pxPerMm(2)).toBeCloseTo(7.559, 3);
  });

  it('shows 10 s on a 250 mm strip at 25 mm/s, 5 s at 50 mm/s and 20 s at 12.5 mm/s', () => {
    const widthPx = 250 * pxPerMm(1);
    expect(windowSeconds(widthPx, pxPerMm(1), 25)).toBeCloseTo(10, 9);
    expect(windowSeconds(widthPx, pxPerMm(1), 50)).toBeCloseTo(5, 9);
    expect(windowSeconds(widthPx, pxPerMm(1), 12.5)).toBeCloseTo(20, 9);
    expect(windowSamples(widthPx, pxPerMm(1), 25, 1000)).toBe(10_000);
    expect(windowSamples(widthPx, pxPerMm(1), 25, 80)).toBe(800);
  });

  it('draws 1 mV as 10 mm at 10 mm/mV, 5 mm at 5 and 20 mm at 20', () => {
    const scale = pxPerMm(1);
    expect(microvoltsToPx(1000, 10, scale) / scale).toBeCloseTo(10, 9);
    expect(microvoltsToPx(1000, 5, scale) / scale).toBeCloseTo(5, 9);
    expect(microvoltsToPx(-500, 20, scale) / scale).toBeCloseTo(-10, 9);
  });

  it('puts a minor line every mm and a major line every 5 mm, without drift', () => {
    const scale = pxPerMm(1.25);
    const lines = gridLines(200 * scale, scale);
    expect(lines).toHaveLength(201);
    expect(lines.filter((l) => l.major)).toHaveLength(41);
    expect(lines[200]?.offsetPx).toBeCloseTo(200 * scale, 6);
    expect(lines[195]?.major).toBe(true);
    expect(lines[196]?.major).toBe(false);
  });

  it('rejects a zero sweep speed', () => {
    expect(() => windowSeconds(100, 3, 0)).toThrow(RangeError);
  });
});

describe('lead layout', () => {
  it('places the standard 3 × 4 grid by column (limb, augmented, V1–V3, V4–V6) and a II rhythm strip', () => {
    const cells = standardLayout(1000, 800, 40);
    expect(cells).toHaveLength(13);
    expect(cells.slice(0, 4).map((c) => c.lead)).toEqual(['I', 'aVR', 'V1', 'V4']);
    expect(cells.filter((c) => c.x === 40 && !c.rhythm).map((c) => c.lead)).toEqual(['I', 'II', 'III']);
    const rhythm = cells[12];
    expect(rhythm).toMatchObject({ lead: 'II', rhythm: true, x: 40, y: 600, width: 960 });
  });

  it('finds the lead under a click, and nothing in the margin', () => {
    const cells = standardLayout(1000, 800, 40);
    expect(cellAt(cells, 45, 10)?.lead).toBe('I');
    expect(cellAt(cells, 999, 599)?.lead).toBe('V6');
    expect(cellAt(cells, 500, 700)?.rhythm).toBe(true);
    expect(cellAt(cells, 10, 10)).toBeNull();
  });

  it('gives an expanded lead the whole area', () => {
    expect(expandedLayout('V2', 1000, 500, 40)).toEqual([
      { lead: 'V2', x: 40, y: 0, width: 960, height: 500, rhythm: true },
    ]);
  });
});
