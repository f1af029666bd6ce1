/**
 * Draws the ECG page's grid and traces with pdfkit, as vectors: the 1-mm / 5-mm pink grid, a
 * 1-mV calibration pulse at the start of each row, the 13 traces at 25 mm/s and 10 mm/mV with
 * their lead labels, and a short bar where one column's segment hands over to the next. A gap in
 * the signal (NaN) is a break in the line, never a bridged one.
 */
import {
  CALIBRATION_PULSE,
  GRID_LARGE_MM,
  GRID_SMALL_MM,
  mmForDuration,
  mmForMicrovolts,
  PAPER_SPEED_MM_PER_S,
} from '../../server-contract/formats/ecg-page.js';
import type { EcgStrip } from './ecg-strip.js';
import { STANDARD_LEADS } from '../dsp/leads.js';
import { PT_PER_MM, type EcgPageLayout, type RectMm } from './report-layout.js';

/** Grid colours: the classic pink (small squares lighter than large ones). */
export const GRID_COLOURS = { small: '#f4b6b6', large: '#e06c6c' } as const;
const TRACE_COLOUR = '#000000';
const pt = (mm: number) => mm * PT_PER_MM;

/** Draws grid, calibration pulses, traces and labels of `strip` into the current page. */
export function drawEcgPage(doc: PDFKit.PDFDocument, layout: EcgPageLayout, strip: EcgStrip): void {
  drawGrid(doc, layout.grid);
  doc.save();
  doc
    .rect(pt(layout.grid.xMm), pt(layout.grid.yMm), pt(layout.grid.widthMm), pt(layout.grid.heightMm))
    .clip();
  const rows = new Set(layout.cells.map((c) => c.row));
  for (const row of rows) {
    const cell = layout.cells.find((c) => c.row === row)!;
    drawCalibration(doc, layout.grid.xMm + 1, cell.baselineMm);
  }
  for (const cell of layout.cells) {
    const lead = strip.leadsUv[STANDARD_LEADS.indexOf(cell.lead)];
    if (lead === undefined) continue;
    const first = Math.round((cell.startOffsetMs * strip.sampleRateHz) / 1000);
    const count = Math.round((cell.durationMs * strip.sampleRateHz) / 1000);
    drawTrace(doc, lead.subarray(first, first + count), strip.sampleRateHz, cell.rect.xMm, cell.baselineMm);
    if (cell.column > 0) drawHandover(doc, cell.rect.xMm, cell.baselineMm);
    doc
      .font('Helvetica-Bold')
      .fontSize(8)
      .fillColor('#000000')
      .text(cell.lead, pt(cell.rect.xMm + 1.5), pt(cell.rect.yMm + 1.5), { lineBreak: false });
  }
  doc.restore();
}

/** The 1-mm and 5-mm lines, each set one path. */
function drawGrid(doc: PDFKit.PDFDocument, g: RectMm): void {
  for (const [stepMm, colour, widthPt] of [
    [GRID_SMALL_MM, GRID_COLOURS.small, 0.3],
    [GRID_LARGE_MM, GRID_COLOURS.large, 0.75],
  ] as const) {
    const columns = Math.round(g.widthMm / stepMm);
    const rows = Math.round(g.heightMm / stepMm);
    for (let i = 0; i <= columns; i++) {
      if (stepMm === GRID_SMALL_MM && i % GRID_LARGE_MM === 0) continue;
      const x = pt(g.xMm + i * stepMm);
      doc.moveTo(x, pt(g.yMm)).lineTo(x, pt(g.yMm + g.heightMm));
    }
    for (let j = 0; j <= rows; j++) {
      if (stepMm === GRID_SMALL_MM && j % GRID_LARGE_MM === 0) continue;
      const y = pt(g.yMm + j * stepMm);
      doc.moveTo(pt(g.xMm), y).lineTo(pt(g.xMm + g.widthMm), y);
    }
    doc.lineWidth(widthPt).strokeColor(colour).stroke();
  }
}

/** The 1-mV, 200-ms pulse (10 mm × 5 mm) with its 2-mm shoulders. */
function drawCalibration(doc: PDFKit.PDFDocument, xMm: number, baselineMm: number): void {
  const heightMm = mmForMicrovolts(CALIBRATION_PULSE.amplitudeMv * 1000);
  const widthMm = mmForDuration(CALIBRATION_PULSE.durationMs);
  const s = CALIBRATION_PULSE.shoulderMm;
  doc
    .moveTo(pt(xMm), pt(baselineMm))
    .lineTo(pt(xMm + s), pt(baselineMm))
    .lineTo(pt(xMm + s), pt(baselineMm - heightMm))
    .lineTo(pt(xMm + s + widthMm), pt(baselineMm - heightMm))
    .lineTo(pt(xMm + s + widthMm), pt(baselineMm))
    .lineTo(pt(xMm + 2 * s + widthMm), pt(baselineMm))
    .lineWidth(0.9)
    .lineJoin('miter')
    .strokeColor(TRACE_COLOUR)
    .stroke();
}

/** One trace; consecutive finite samples are joined, a NaN lifts the pen. */
function drawTrace(
  doc: PDFKit.PDFDocument,
  uv: Float64Array,
  sampleRateHz: number,
  xMm: number,
  baselineMm: number,
): void {
  const mmPerSample = PAPER_SPEED_MM_PER_S / sampleRateHz;
  let penDown = false;
  let any = false;
  for (let k = 0; k < uv.length; k++) {
    const v = uv[k]!;
    if (!Number.isFinite(v)) {
      penDown = false;
      continue;
    }
    const x = pt(xMm + k * mmPerSample);
    const y = pt(baselineMm - mmForMicrovolts(v));
    if (penDown) doc.lineTo(x, y);
    else doc.moveTo(x, y);
    penDown = true;
    any = true;
  }
  if (any) doc.lineWidth(0.7).lineJoin('round').strokeColor(TRACE_COLOUR).stroke();
}

/** The short vertical bar marking where the next column's 2.5-s segment begins. */
function drawHandover(doc: PDFKit.PDFDocument, xMm: number, baselineMm: number): void {
  doc
    .moveTo(pt(xMm), pt(baselineMm - 4))
    .lineTo(pt(xMm), pt(baselineMm + 4))
    .lineWidth(0.9)
    .strokeColor(TRACE_COLOUR)
    .stroke();
}
