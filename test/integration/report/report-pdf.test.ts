/**
 * The PDF report of a real recording (recorder on a real gateway database, ECG from the simulator's
 * synthetic source), made through the gateway API's handlers from the sealed chunks in the queue,
 * then read back with poppler: page count and size, the text, and the pixels of page 1 rendered
 * by pdftoppm (pink grid, a trace in each of the 13 cells, the calibration pulses).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecgPageLayout, PT_PER_MM, type Paper } from '../../../main/report/report-layout.js';
import { columnCoverage, countPixels, isInk, isPink, rasterize, readPdf, ReportRig } from './report-rig.js';

let rig: ReportRig;
let recordingId: string;

beforeAll(() => {
  rig = new ReportRig();
  recordingId = rig.recordEcg(40);
});

afterAll(() => {
  rig.close();
});

async function makeReport(paper: Paper) {
  const info = await rig.handlers['reports.create']({ recordingId, paper });
  const pdf = rig.reports.pdf(info.id);
  expect(pdf).not.toBeNull();
  return { info, pdf: pdf! };
}

describe('PDF report of a recording', () => {
  it.each([
    ['A4', 297, 210],
    ['Letter', 279.4, 215.9],
  ] as const)(
    'prints two landscape %s pages with the 12-lead page first',
    async (paper, widthMm, heightMm) => {
      const { info, pdf } = await makeReport(paper);
      expect(info).toMatchObject({ recordingId, paper, pageCount: 2, simulated: true, upload: 'queued' });
      const back = await readPdf(pdf);
      expect(back.pages).toBe(2);
      expect(back.pageSizePt[0]).toBeCloseTo(widthMm * PT_PER_MM, 0);
      expect(back.pageSizePt[1]).toBeCloseTo(heightMm * PT_PER_MM, 0);
    },
  );

  it('names the patient, the settings, the disclaimer, SIMULATED and the page numbers', async () => {
    const { pdf } = await makeReport('A4');
    const { text } = await readPdf(pdf);
    const squeezed = text.replace(/\s+/g, ' ');
    for (const expected of [
      'Patient P001 · 61 y · female · group A',
      'Operator Ana Silva',
      'ECG-12 unit ECG-SIM-0001',
      '25 mm/s',
      '10 mm/mV',
      'Filter 0.5–40 Hz',
      'Notch 50 Hz',
      'Sample rate 500 Hz',
      'Measurements are computed by the PulseWatch software, not a diagnosis',
      'SIMULATED',
      'Page 1 of 2',
      'Page 2 of 2',
      'QTc (Fridericia',
      'the last 10 s of good-quality signal',
    ])
      expect(squeezed).toContain(expected);
    for (const lead of ['aVR', 'aVL', 'aVF', 'V1', 'V6']) expect(text).toMatch(new RegExp(`\\b${lead}\\b`));
    // the details page, kept for people to look at
    await rasterize(pdf, 2, 100, join('test-results', 'report', 'report-a4-page2.png'));
  });

  it('draws the pink grid and a trace in each of the 13 cells of page 1', async () => {
    const { pdf } = await makeReport('A4');
    const dpi = 150;
    const raster = await rasterize(pdf, 1, dpi, join('test-results', 'report', 'report-a4-page1.png'));
    const layout = ecgPageLayout('A4');
    const gridPink = countPixels(raster, layout.grid, isPink);
    const gridArea = layout.grid.widthMm * layout.grid.heightMm * raster.pxPerMm ** 2;
    expect(gridPink / gridArea).toBeGreaterThan(0.1);
    const margin = {
      xMm: 0,
      yMm: layout.grid.yMm,
      widthMm: layout.grid.xMm - 1,
      heightMm: layout.grid.heightMm,
    };
    expect(countPixels(raster, margin, isPink)).toBe(0);
    expect(layout.cells).toHaveLength(13);
    for (const cell of layout.cells) {
      // the cell below its label, without its first millimetre (the hand-over bar)
      const body = {
        ...cell.rect,
        xMm: cell.rect.xMm + 1,
        widthMm: cell.rect.widthMm - 1.5,
        yMm: cell.rect.yMm + 5,
        heightMm: cell.rect.heightMm - 5,
      };
      // a trace crosses the cell: ink in nearly every pixel column
      expect(
        columnCoverage(raster, body, isInk),
        `${cell.lead} (row ${cell.row}, column ${cell.column})`,
      ).toBeGreaterThan(0.95);
    }
    // the calibration pulse of each row: ink in the 10-mm column left of the traces
    for (const row of [0, 1, 2, 3]) {
      const cell = layout.cells.find((c) => c.row === row)!;
      const column = { xMm: layout.grid.xMm, yMm: cell.baselineMm - 11, widthMm: 10, heightMm: 12 };
      expect(countPixels(raster, column, isInk)).toBeGreaterThan(20 * raster.pxPerMm);
    }
  });
});
