/**
 * Where each trace of a viewer page goes, in millimetres of paper: the standard page of
 * `server-contract/formats/ecg-page` (3 × 4 consecutive segments + the lead II rhythm strip), or
 * one expanded lead across the page. A page is always 250 mm of paper, so at 25 mm/s it covers the
 * standard 10 s, at 50 mm/s 5 s and at 12.5 mm/s 20 s.
 */
import type { LeadName } from '../../../../server-contract/api/index.js';
import {
  PAGE_DURATION_MS,
  PAPER_SPEED_MM_PER_S,
  mmForDuration,
  standardPageCells,
} from '../../../../server-contract/formats/ecg-page.js';
import { CALIBRATION_MARGIN_MM } from '../../../src/ecg/draw-ecg.js';

/** Paper per page (the standard page at 25 mm/s). */
export const PAGE_WIDTH_MM = mmForDuration(PAGE_DURATION_MS);
/** Height of one row of the standard page. */
export const ROW_HEIGHT_MM = 25;
/** Height of the expanded lead's row. */
export const EXPANDED_HEIGHT_MM = 70;

/** How a page is shown. */
export interface PageView {
  startMs: number;
  speedMmPerS: number;
  gainMmPerMv: number;
  /** One lead across the whole page, or null for the standard layout. */
  expandedLead: LeadName | null;
}

export interface PlacedCell {
  lead: LeadName;
  rhythm: boolean;
  xMm: number;
  yMm: number;
  widthMm: number;
  heightMm: number;
  /** Time window the cell shows, absolute epoch ms. */
  fromMs: number;
  toMs: number;
}

export interface PlacedPage {
  widthMm: number;
  heightMm: number;
  durationMs: number;
  cells: PlacedCell[];
}

/** Time one page covers at `speedMmPerS`. */
export function pageDurationMs(speedMmPerS: number): number {
  return (PAGE_DURATION_MS * PAPER_SPEED_MM_PER_S) / speedMmPerS;
}

export function placePage(view: PageView): PlacedPage {
  const durationMs = pageDurationMs(view.speedMmPerS);
  const stretch = durationMs / PAGE_DURATION_MS;
  const widthMm = CALIBRATION_MARGIN_MM + PAGE_WIDTH_MM;
  if (view.expandedLead !== null) {
    const cell: PlacedCell = {
      lead: view.expandedLead,
      rhythm: true,
      xMm: CALIBRATION_MARGIN_MM,
      yMm: 0,
      widthMm: PAGE_WIDTH_MM,
      heightMm: EXPANDED_HEIGHT_MM,
      fromMs: view.startMs,
      toMs: view.startMs + durationMs,
    };
    return { widthMm, heightMm: EXPANDED_HEIGHT_MM, durationMs, cells: [cell] };
  }
  const cells = standardPageCells().map((c) => ({
    lead: c.lead,
    rhythm: c.rhythm,
    xMm: CALIBRATION_MARGIN_MM + mmForDuration(c.startOffsetMs),
    yMm: c.row * ROW_HEIGHT_MM,
    widthMm: mmForDuration(c.durationMs),
    heightMm: ROW_HEIGHT_MM,
    fromMs: view.startMs + c.startOffsetMs * stretch,
    toMs: view.startMs + (c.startOffsetMs + c.durationMs) * stretch,
  }));
  return { widthMm, heightMm: 4 * ROW_HEIGHT_MM, durationMs, cells };
}
