import { describe, expect, it } from 'vitest';
import {
  CALIBRATION_PULSE,
  PAGE_DURATION_MS,
  SEGMENT_DURATION_MS,
} from '../../../server-contract/formats/ecg-page.js';
import {
  layoutEcgPage,
  pageCellAt,
  rowHeightMm,
  type EcgPageLayout,
} from '../../../renderer/src/ecg/page/index.js';

const PX_PER_MM = [3.7795, 7.559, 5.3];

/** Height of the 1-mV pulse above the baseline, px, as drawn (amplitude × gain × px/mm). */
function pulseTopY(layout: EcgPageLayout, row: number): number {
  const r = layout.rows[row];
  if (r === undefined) throw new Error(`no row ${row}`);
  return r.baselineY - CALIBRATION_PULSE.amplitudeMv * layout.gainMmPerMv * layout.pxPerMm;
}

describe('standard page geometry', () => {
  it.each(PX_PER_MM)('draws 25 mm per second of signal at %f px/mm, whatever the canvas', (pxPerMm) => {
    const layout = layoutEcgPage({ pxPerMm });
    for (const cell of layout.cells) {
      expect(cell.width / pxPerMm).toBeCloseTo((cell.durationMs / 1000) * 25, 9);
    }
    const rhythm = layout.cells.find((c) => c.rhythm);
    expect(rhythm?.durationMs).toBe(PAGE_DURATION_MS);
    expect((rhythm?.width ?? 0) / pxPerMm).toBeCloseTo(250, 9);
    expect(layout.widthPx).toBeGreaterThanOrEqual(layout.marginPx + 250 * pxPerMm);
  });

  it('covers 10 s at 50 mm/s on a page twice as wide instead of covering less time', () => {
    const at25 = layoutEcgPage({ pxPerMm: 4 });
    const at50 = layoutEcgPage({ pxPerMm: 4, speedMmPerS: 50 });
    expect(at50.durationMs).toBe(PAGE_DURATION_MS);
    const width = (l: EcgPageLayout): number => l.cells.find((c) => c.rhythm)?.width ?? 0;
    expect(width(at50)).toBeCloseTo(2 * width(at25), 9);
  });

  it('shows consecutive 2.5-s segments: I–III 0–2.5 s, aVR–aVF 2.5–5, V1–V3 5–7.5, V4–V6 7.5–10', () => {
    const layout = layoutEcgPage({ pxPerMm: 3.7795 });
    const windows = Object.fromEntries(
      layout.cells.filter((c) => !c.rhythm).map((c) => [c.lead, [c.startOffsetMs, c.durationMs]]),
    );
    expect(windows).toEqual({
      I: [0, 2500],
      II: [0, 2500],
      III: [0, 2500],
      aVR: [2500, 2500],
      aVL: [2500, 2500],
      aVF: [2500, 2500],
      V1: [5000, 2500],
      V2: [5000, 2500],
      V3: [5000, 2500],
      V4: [7500, 2500],
      V5: [7500, 2500],
      V6: [7500, 2500],
    });
    // each column starts where the previous one ends, on the canvas as in time
    for (const row of [0, 1, 2]) {
      const cells = layout.cells
        .filter((c) => c.row === row && !c.rhythm)
        .sort((a, b) => a.column - b.column);
      for (let k = 1; k < cells.length; k++) {
        const prev = cells[k - 1];
        const cell = cells[k];
        if (prev === undefined || cell === undefined) throw new Error('missing cell');
        expect(cell.startOffsetMs).toBe(prev.startOffsetMs + SEGMENT_DURATION_MS);
        expect(cell.x).toBeCloseTo(prev.x + prev.width, 9);
      }
    }
  });

  it('scales the segments with the span of a page that is not 10 s long', () => {
    const layout = layoutEcgPage({ pxPerMm: 4, durationMs: 4000 });
    expect(layout.cells.filter((c) => c.lead === 'V4').map((c) => c.startOffsetMs)).toEqual([3000]);
    expect(layout.cells.find((c) => c.rhythm)?.durationMs).toBe(4000);
  });

  it.each([5, 10, 20])('keeps rows apart and the 1-mV pulse inside its row at %i mm/mV', (gain) => {
    const layout = layoutEcgPage({ pxPerMm: 3.7795, gainMmPerMv: gain });
    expect(layout.rows).toHaveLength(4);
    layout.rows.forEach((row, r) => {
      expect(pulseTopY(layout, r)).toBeGreaterThan(row.y);
      expect(row.baselineY).toBeLessThan(row.y + row.height);
      const next = layout.rows[r + 1];
      if (next !== undefined) expect(next.y).toBeCloseTo(row.y + row.height, 9);
    });
    expect(layout.rows[0]?.y).toBeGreaterThanOrEqual(layout.headerHeightPx);
    const last = layout.rows[3];
    expect((last?.y ?? 0) + (last?.height ?? 0)).toBeLessThanOrEqual(layout.heightPx);
    // the trace band leaves ±1.5 mV around the baseline at every gain (rows grow above 10 mm/mV)
    for (const row of layout.rows) {
      expect((row.baselineY - row.y) / layout.pxPerMm).toBeGreaterThanOrEqual(1.5 * gain - 1e-9);
    }
  });

  it('grows the rows with the gain above 10 mm/mV and keeps the 30-mm row below it', () => {
    expect(rowHeightMm(5)).toBe(30);
    expect(rowHeightMm(10)).toBe(30);
    expect(rowHeightMm(20)).toBe(60);
    expect(rowHeightMm(2.5)).toBe(30);
  });

  it('draws an expanded lead larger: twice the gain, a taller row and the whole 10 s', () => {
    const page = layoutEcgPage({ pxPerMm: 3.7795, gainMmPerMv: 10 });
    const expanded = layoutEcgPage({ pxPerMm: 3.7795, gainMmPerMv: 10, expandedLead: 'V2' });
    expect(expanded.cells).toHaveLength(1);
    const cell = expanded.cells[0];
    const small = page.cells.find((c) => c.lead === 'V2');
    if (cell === undefined || small === undefined) throw new Error('missing cell');
    expect(cell.lead).toBe('V2');
    expect(cell.durationMs).toBe(PAGE_DURATION_MS);
    expect(expanded.gainMmPerMv).toBe(2 * page.gainMmPerMv);
    expect(cell.height).toBeGreaterThan(small.height);
    expect(cell.width).toBeGreaterThan(small.width);
    expect(pulseTopY(expanded, 0)).toBeGreaterThan(cell.y);
  });

  it('finds the cell under a point for click-to-expand', () => {
    const layout = layoutEcgPage({ pxPerMm: 4 });
    const v5 = layout.cells.find((c) => c.lead === 'V5');
    if (v5 === undefined) throw new Error('no V5');
    expect(pageCellAt(layout, v5.x + 5, v5.y + 5)?.lead).toBe('V5');
    expect(pageCellAt(layout, 1, 1)).toBeNull();
  });

  it.each([
    [{ pxPerMm: 0 }, /pxPerMm 0/],
    [{ pxPerMm: Number.NaN }, /pxPerMm NaN/],
    [{ pxPerMm: 4, speedMmPerS: -25 }, /speedMmPerS -25/],
    [{ pxPerMm: 4, gainMmPerMv: 0 }, /gainMmPerMv 0/],
    [{ pxPerMm: 4, durationMs: 0 }, /durationMs 0/],
  ])('rejects %o naming the option', (options, message) => {
    expect(() => layoutEcgPage(options)).toThrow(message);
  });
});
