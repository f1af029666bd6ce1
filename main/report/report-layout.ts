/**
 * Where things go on a report page, in millimetres from the top-left corner. The ECG page is
 * printed landscape (250 mm of trace at 25 mm/s does not fit across a portrait A4), the grid
 * centred across the page: a 10-mm column for the calibration pulses, then the 3 × 4 block of
 * 2.5-s cells and the 10-s rhythm strip of `server-contract/formats/ecg-page.ts`, each row
 * {@link ROW_PITCH_MM} high. Pure geometry, shared by the renderer and the tests that read the
 * rendered pixels back.
 */
import {
  GRID_LARGE_MM,
  mmForDuration,
  PAGE_DURATION_MS,
  standardPageCells,
  type PageCell,
} from '../../server-contract/formats/ecg-page.js';

/** Paper sizes, landscape, mm (ISO 216 A4; US Letter 8.5 × 11 in). */
export const PAPER_MM = {
  A4: { widthMm: 297, heightMm: 210 },
  Letter: { widthMm: 279.4, heightMm: 215.9 },
} as const;
export type Paper = keyof typeof PAPER_MM;

/** PDF points per millimetre (72 pt per inch). */
export const PT_PER_MM = 72 / 25.4;

/** Width of the calibration-pulse column left of the traces. */
export const CALIBRATION_COLUMN_MM = 2 * GRID_LARGE_MM;
/** Height of one row of traces (4 rows: 3 of the block, 1 rhythm strip); a whole number of large squares × 6.5. */
export const ROW_PITCH_MM = 32.5;
/** The grid's top edge (below the header). */
export const GRID_TOP_MM = 46;
/** Where in its row the baseline sits, as a fraction of the row from the top (room for tall R waves). */
const BASELINE_FRACTION = 0.62;

/** A rectangle, mm. */
export interface RectMm {
  xMm: number;
  yMm: number;
  widthMm: number;
  heightMm: number;
}

/** One trace cell placed on the page. */
export interface PlacedCell extends PageCell {
  rect: RectMm;
  /** The zero line of the trace, mm from the top. */
  baselineMm: number;
}

/** The ECG page's geometry on a paper size. */
export interface EcgPageLayout {
  paper: Paper;
  widthMm: number;
  heightMm: number;
  /** The whole pink grid (calibration column + traces). */
  grid: RectMm;
  /** Left edge of the traces (after the calibration column). */
  tracesXMm: number;
  cells: PlacedCell[];
  /** Left margin of text (aligned with the grid). */
  marginMm: number;
  /** Top of the footer text. */
  footerTopMm: number;
}

/** The ECG page on `paper`. */
export function ecgPageLayout(paper: Paper): EcgPageLayout {
  const { widthMm, heightMm } = PAPER_MM[paper];
  const gridWidthMm = CALIBRATION_COLUMN_MM + mmForDuration(PAGE_DURATION_MS);
  const grid: RectMm = {
    xMm: (widthMm - gridWidthMm) / 2,
    yMm: GRID_TOP_MM,
    widthMm: gridWidthMm,
    heightMm: 4 * ROW_PITCH_MM,
  };
  const tracesXMm = grid.xMm + CALIBRATION_COLUMN_MM;
  const cells = standardPageCells().map((cell) => {
    const rowTopMm = grid.yMm + cell.row * ROW_PITCH_MM;
    return {
      ...cell,
      rect: {
        xMm: tracesXMm + mmForDuration(cell.startOffsetMs),
        yMm: rowTopMm,
        widthMm: mmForDuration(cell.durationMs),
        heightMm: ROW_PITCH_MM,
      },
      baselineMm: rowTopMm + BASELINE_FRACTION * ROW_PITCH_MM,
    };
  });
  return {
    paper,
    widthMm,
    heightMm,
    grid,
    tracesXMm,
    cells,
    marginMm: grid.xMm,
    footerTopMm: grid.yMm + grid.heightMm + 4,
  };
}
