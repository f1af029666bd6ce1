/**
 * The standard 12-lead page, as printed by electrocardiographs and read by clinicians: three rows
 * of four columns, each column a *consecutive* 2.5-s segment (I–III over 0–2.5 s, aVR–aVF over
 * 2.5–5 s, V1–V3 over 5–7.5 s, V4–V6 over 7.5–10 s), and a 10-s lead II rhythm strip below, at
 * 25 mm/s and 10 mm/mV on a 1-mm / 5-mm grid, with a 1-mV calibration pulse at the left.
 *
 * One definition for every place that draws a page: the gateway's live 12-lead view, the server's
 * web viewer and the gateway's PDF report. Pure geometry in millimetres and milliseconds; each
 * renderer maps millimetres to its own unit (device pixels at a calibrated px/mm, PDF points).
 */
import type { LeadName } from '../api/streams.js';

/** Paper speed of the standard page. */
export const PAPER_SPEED_MM_PER_S = 25;
/** Gain of the standard page (10 mm per millivolt). */
export const STANDARD_GAIN_MM_PER_MV = 10;
/** Time covered by one page (and by the rhythm strip). */
export const PAGE_DURATION_MS = 10_000;
/** Time covered by one column's segment. */
export const SEGMENT_DURATION_MS = 2_500;
/** Small and large grid squares. */
export const GRID_SMALL_MM = 1;
export const GRID_LARGE_MM = 5;
/** The calibration pulse: 1 mV for 200 ms (5 mm wide at 25 mm/s), drawn with 2-mm shoulders. */
export const CALIBRATION_PULSE = { amplitudeMv: 1, durationMs: 200, shoulderMm: 2 } as const;

/** Columns of the standard page, top to bottom; column k covers [k × 2.5 s, (k + 1) × 2.5 s). */
export const STANDARD_COLUMNS: readonly (readonly LeadName[])[] = [
  ['I', 'II', 'III'],
  ['aVR', 'aVL', 'aVF'],
  ['V1', 'V2', 'V3'],
  ['V4', 'V5', 'V6'],
];
/** The rhythm strip's lead. */
export const RHYTHM_LEAD: LeadName = 'II';

/** One trace on the page. */
export interface PageCell {
  lead: LeadName;
  /** 0–2 for the 3 × 4 block, 3 for the rhythm strip. */
  row: number;
  /** 0–3; the rhythm strip is column 0 and spans all four. */
  column: number;
  /** Offset of the segment's first sample from the page start. */
  startOffsetMs: number;
  durationMs: number;
  rhythm: boolean;
}

/** The 13 traces of the standard page, row by row, with the time window each one shows. */
export function standardPageCells(): PageCell[] {
  const cells: PageCell[] = [];
  for (let row = 0; row < 3; row += 1) {
    STANDARD_COLUMNS.forEach((leads, column) => {
      cells.push({
        lead: leads[row]!,
        row,
        column,
        startOffsetMs: column * SEGMENT_DURATION_MS,
        durationMs: SEGMENT_DURATION_MS,
        rhythm: false,
      });
    });
  }
  cells.push({
    lead: RHYTHM_LEAD,
    row: 3,
    column: 0,
    startOffsetMs: 0,
    durationMs: PAGE_DURATION_MS,
    rhythm: true,
  });
  return cells;
}

/** Millimetres of paper for `durationMs` at `speedMmPerS` (25 mm/s unless said). */
export function mmForDuration(durationMs: number, speedMmPerS = PAPER_SPEED_MM_PER_S): number {
  return (durationMs / 1000) * speedMmPerS;
}

/** Millimetres of paper for `microvolts` at `gainMmPerMv` (10 mm/mV unless said). */
export function mmForMicrovolts(microvolts: number, gainMmPerMv = STANDARD_GAIN_MM_PER_MV): number {
  return (microvolts / 1000) * gainMmPerMv;
}
