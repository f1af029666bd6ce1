/**
 * The page-drawing module: a standard 12-lead page (3 × 4 consecutive segments + lead II rhythm
 * strip, or one expanded lead) drawn from plain data onto a CanvasRenderingContext2D. Used by the
 * gateway's live view (fed from its ring buffers) and by the web viewer (fed from recorded pages);
 * DOM-free apart from the context, so it also runs on an OffscreenCanvas or in a worker.
 *
 * ```ts
 * const layout = layoutEcgPage({ pxPerMm });           // size the canvas first
 * canvas.width = layout.widthPx; canvas.height = layout.heightPx;
 * const { printed } = drawEcgPage(ctx, page, { pxPerMm, gainMmPerMv: autoGainMmPerMv(page), gainAuto: true });
 * ```
 *
 * Stable API: the exports below. Geometry comes from server-contract/formats/ecg-page.
 */
export type {
  EcgPageData,
  EcgPageOptions,
  PageAnnotations,
  PageBeat,
  PageBeatClass,
  PageFilter,
  PageLeadName,
} from './types.js';
export {
  EXPANDED_GAIN_FACTOR,
  calibrationMarginMm,
  layoutEcgPage,
  pageCellAt,
  rowHeightMm,
  type EcgPageLayout,
  type PageCellPx,
  type PageRowPx,
} from './layout.js';
export {
  PAGE_COLOURS,
  drawEcgGrid,
  drawEcgPage,
  formatLocalTime,
  headerItems,
  type DrawnPage,
} from './draw.js';
export { AUTO_GAINS_MM_PER_MV, autoGainForPeakUv, autoGainMmPerMv, peakAmplitudeUv } from './auto-gain.js';
export { traceSegment, type PathSink, type TracePlacement } from './trace.js';
