/**
 * Where each lead goes on the canvas: the standard 3 × 4 report layout (I/II/III, aVR/aVL/aVF,
 * V1–V3, V4–V6 by column) with a lead II rhythm strip across the bottom, or one expanded lead.
 */
import type { LeadName } from '../api-types.js';

export interface LeadCell {
  lead: LeadName;
  /** Device px. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** The full-width rhythm strip (its own, longer sweep window). */
  rhythm: boolean;
}

/** Rows of the standard layout, left to right. */
export const STANDARD_ROWS: readonly (readonly LeadName[])[] = [
  ['I', 'aVR', 'V1', 'V4'],
  ['II', 'aVL', 'V2', 'V5'],
  ['III', 'aVF', 'V3', 'V6'],
];

/** The rhythm strip's lead. */
export const RHYTHM_LEAD: LeadName = 'II';

/**
 * Cells for the 3 × 4 + rhythm layout inside `widthPx × heightPx`, leaving `marginPx` on the left
 * for the calibration pulse. Cell widths are whole pixels so strips line up with the grid.
 */
export function standardLayout(widthPx: number, heightPx: number, marginPx: number): LeadCell[] {
  const rowHeight = Math.floor(heightPx / (STANDARD_ROWS.length + 1));
  const columnWidth = Math.floor((widthPx - marginPx) / 4);
  const cells: LeadCell[] = [];
  STANDARD_ROWS.forEach((row, r) => {
    row.forEach((lead, c) => {
      cells.push({
        lead,
        x: marginPx + c * columnWidth,
        y: r * rowHeight,
        width: columnWidth,
        height: rowHeight,
        rhythm: false,
      });
    });
  });
  cells.push({
    lead: RHYTHM_LEAD,
    x: marginPx,
    y: STANDARD_ROWS.length * rowHeight,
    width: columnWidth * 4,
    height: rowHeight,
    rhythm: true,
  });
  return cells;
}

/** One lead over the whole area (the expanded view). */
export function expandedLayout(
  lead: LeadName,
  widthPx: number,
  heightPx: number,
  marginPx: number,
): LeadCell[] {
  return [
    {
      lead,
      x: marginPx,
      y: 0,
      width: Math.floor(widthPx - marginPx),
      height: Math.floor(heightPx),
      rhythm: true,
    },
  ];
}

/** The cell under a point (device px), or null. The rhythm strip is checked first. */
export function cellAt(cells: readonly LeadCell[], x: number, y: number): LeadCell | null {
  const ordered = [...cells].sort((p, q) => Number(q.rhythm) - Number(p.rhythm));
  for (const cell of ordered)
    if (x >= cell.x && x < cell.x + cell.width && y >= cell.y && y < cell.y + cell.height) return cell;
  return null;
}
