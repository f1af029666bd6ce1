/**
 * Where everything goes on a page, in canvas pixels: the header band, the calibration margin, the
 * rows and the 13 cells of the standard page (or one expanded lead). Pure arithmetic on the shared
 * geometry (server-contract/formats/ecg-page): x = time × speed × px/mm, so 25 mm/s is 25 mm/s on
 * any canvas whose px/mm is true, and the time a page covers never depends on the canvas size.
 */
import {
  CALIBRATION_PULSE,
  GRID_LARGE_MM,
  PAGE_DURATION_MS,
  PAPER_SPEED_MM_PER_S,
  STANDARD_GAIN_MM_PER_MV,
  mmForDuration,
  standardPageCells,
  type PageCell,
} from '../../../../server-contract/formats/ecg-page.js';
import type { EcgPageOptions, PageLeadName } from './types.js';

/** Height of the header band holding the printed settings, mm. */
export const HEADER_MM = 7;
/** Paper right of the last trace, mm. */
export const RIGHT_PAD_MM = 2;
/** Millivolts a row spans: ±1.5 mV around its baseline at the row's gain. */
export const ROW_SPAN_MV = 3;
/** Smallest row height, mm (the 10 mm/mV row): lower gains keep it, higher gains grow it. */
export const MIN_ROW_MM = ROW_SPAN_MV * STANDARD_GAIN_MM_PER_MV;
/** An expanded lead is drawn at this multiple of the page's gain. */
export const EXPANDED_GAIN_FACTOR = 2;

/** A page trace with its place on the canvas (px). */
export interface PageCellPx extends PageCell {
  x: number;
  y: number;
  width: number;
  height: number;
  /** y of 0 µV. */
  baselineY: number;
}

/** A row of traces (px): its band and the baseline its calibration pulse stands on. */
export interface PageRowPx {
  y: number;
  height: number;
  baselineY: number;
}

/** The resolved geometry of one page. */
export interface EcgPageLayout {
  pxPerMm: number;
  speedMmPerS: number;
  /** Gain the traces are drawn at (the expanded lead's is already multiplied). */
  gainMmPerMv: number;
  durationMs: number;
  widthPx: number;
  heightPx: number;
  headerHeightPx: number;
  /** Left margin holding the calibration pulses; traces start here. */
  marginPx: number;
  rows: PageRowPx[];
  cells: PageCellPx[];
  expandedLead: PageLeadName | null;
}

/** Width of the calibration margin, mm: shoulder, 200-ms pulse, shoulder and 1 mm of air. */
export function calibrationMarginMm(speedMmPerS: number): number {
  return 2 * CALIBRATION_PULSE.shoulderMm + mmForDuration(CALIBRATION_PULSE.durationMs, speedMmPerS) + 1;
}

/** Row height for a gain, mm: 3 mV of signal, never less than the 10 mm/mV row; whole 5-mm squares. */
export function rowHeightMm(gainMmPerMv: number): number {
  const mm = Math.max(MIN_ROW_MM, ROW_SPAN_MV * gainMmPerMv);
  return Math.ceil(mm / GRID_LARGE_MM) * GRID_LARGE_MM;
}

/** Lays out a page; throws a RangeError naming the bad option. */
export function layoutEcgPage(options: EcgPageOptions): EcgPageLayout {
  const pxPerMm = positive('pxPerMm', options.pxPerMm);
  const speedMmPerS = positive('speedMmPerS', options.speedMmPerS ?? PAPER_SPEED_MM_PER_S);
  const pageGain = positive('gainMmPerMv', options.gainMmPerMv ?? STANDARD_GAIN_MM_PER_MV);
  const durationMs = positive('durationMs', options.durationMs ?? PAGE_DURATION_MS);
  const expandedLead = options.expandedLead ?? null;
  const gainMmPerMv = expandedLead === null ? pageGain : pageGain * EXPANDED_GAIN_FACTOR;
  const rowMm = rowHeightMm(gainMmPerMv);
  const headerHeightPx = HEADER_MM * pxPerMm;
  const marginPx = calibrationMarginMm(speedMmPerS) * pxPerMm;
  const traceWidthPx = mmForDuration(durationMs, speedMmPerS) * pxPerMm;
  const cellsMm =
    expandedLead === null ? standardCells(durationMs) : [expandedCell(expandedLead, durationMs)];
  const rowCount = Math.max(...cellsMm.map((c) => c.row)) + 1;
  const rows: PageRowPx[] = Array.from({ length: rowCount }, (_, r) => {
    const y = headerHeightPx + r * rowMm * pxPerMm;
    // the baseline sits on a 5-mm line at mid-row: ±1.5 mV of room, the 1-mV pulse always inside
    const baselineMm = Math.round(rowMm / 2 / GRID_LARGE_MM) * GRID_LARGE_MM;
    return { y, height: rowMm * pxPerMm, baselineY: y + baselineMm * pxPerMm };
  });
  const pxPerMs = (speedMmPerS / 1000) * pxPerMm;
  const cells = cellsMm.map((cell): PageCellPx => {
    const row = rows[cell.row] ?? { y: headerHeightPx, height: rowMm * pxPerMm, baselineY: headerHeightPx };
    return {
      ...cell,
      x: marginPx + cell.startOffsetMs * pxPerMs,
      y: row.y,
      width: cell.durationMs * pxPerMs,
      height: row.height,
      baselineY: row.baselineY,
    };
  });
  return {
    pxPerMm,
    speedMmPerS,
    gainMmPerMv,
    durationMs,
    widthPx: Math.ceil(marginPx + traceWidthPx + RIGHT_PAD_MM * pxPerMm),
    heightPx: Math.ceil(headerHeightPx + rowCount * rowMm * pxPerMm + pxPerMm),
    headerHeightPx,
    marginPx,
    rows,
    cells,
    expandedLead,
  };
}

/** The standard cells with their windows scaled to a page of `durationMs` (2.5 s each at 10 s). */
function standardCells(durationMs: number): PageCell[] {
  const k = durationMs / PAGE_DURATION_MS;
  return standardPageCells().map((c) => ({
    ...c,
    startOffsetMs: c.startOffsetMs * k,
    durationMs: c.durationMs * k,
  }));
}

function expandedCell(lead: PageLeadName, durationMs: number): PageCell {
  return { lead, row: 0, column: 0, startOffsetMs: 0, durationMs, rhythm: true };
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`${name} ${value}: must be a positive number`);
  return value;
}

/** The cell under a canvas point (px), or null; used for click-to-expand. */
export function pageCellAt(layout: EcgPageLayout, x: number, y: number): PageCellPx | null {
  for (const cell of layout.cells)
    if (x >= cell.x && x < cell.x + cell.width && y >= cell.y && y < cell.y + cell.height) return cell;
  return null;
}
