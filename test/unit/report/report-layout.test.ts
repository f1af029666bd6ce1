/**
 * The ECG page's geometry on A4 and Letter (landscape): the shared standard page placed at
 * 25 mm/s, inside the paper with room for header and footer, cells in consecutive 2.5-s segments.
 */
import { describe, expect, it } from 'vitest';
import { ecgPageLayout, PAPER_MM, ROW_PITCH_MM } from '../../../main/report/report-layout.js';

describe('ECG page layout', () => {
  it.each(['A4', 'Letter'] as const)('fits the 260-mm grid and the footer on %s', (paper) => {
    const layout = ecgPageLayout(paper);
    expect(layout.widthMm).toBe(PAPER_MM[paper].widthMm);
    expect(layout.grid.widthMm).toBe(260);
    expect(layout.grid.xMm).toBeGreaterThanOrEqual(8);
    expect(layout.grid.xMm + layout.grid.widthMm).toBeLessThanOrEqual(layout.widthMm - 8);
    // the footer (4 lines from 25 mm above the bottom edge) starts below the grid
    expect(layout.grid.yMm + layout.grid.heightMm).toBeLessThan(layout.heightMm - 25);
    expect(layout.grid.heightMm).toBe(4 * ROW_PITCH_MM);
  });

  it('places 3 × 4 cells of 62.5 mm (2.5 s) and a 250-mm (10 s) lead II strip', () => {
    const { cells, tracesXMm } = ecgPageLayout('A4');
    const block = cells.filter((c) => !c.rhythm);
    expect(block).toHaveLength(12);
    for (const cell of block) {
      expect(cell.rect.widthMm).toBe(62.5);
      expect(cell.rect.xMm).toBeCloseTo(tracesXMm + cell.column * 62.5, 9);
      expect(cell.startOffsetMs).toBe(cell.column * 2500);
    }
    expect(block.filter((c) => c.column === 1).map((c) => c.lead)).toEqual(['aVR', 'aVL', 'aVF']);
    const rhythm = cells.find((c) => c.rhythm)!;
    expect(rhythm).toMatchObject({ lead: 'II', row: 3, startOffsetMs: 0, durationMs: 10_000 });
    expect(rhythm.rect.widthMm).toBe(250);
    for (const cell of cells) {
      expect(cell.baselineMm).toBeGreaterThan(cell.rect.yMm + 15); // room for a 1.5-mV R wave
      expect(cell.baselineMm).toBeLessThan(cell.rect.yMm + cell.rect.heightMm);
    }
  });
});
