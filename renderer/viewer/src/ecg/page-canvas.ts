/**
 * Draws one page of a stored recording with the gateway's page-drawing module
 * (`renderer/src/ecg/page`, shared with the live view, not copied), then marks the recorded gaps
 * on it: a light band over each cell where nothing was recorded, labelled with the gap's cause.
 */
import {
  PAGE_COLOURS,
  drawEcgPage,
  layoutEcgPage,
  type EcgPageData,
  type EcgPageLayout,
  type EcgPageOptions,
} from '../../../src/ecg/page/index.js';
import type { SegmentGap } from './page-data.js';

export interface ViewerPage {
  /** The page's signal, or null for an empty page (no ECG there): grid and pulses only. */
  data: EcgPageData | null;
  startMs: number;
  durationMs: number;
  gaps: readonly SegmentGap[];
  options: EcgPageOptions;
}

/** Sizes `canvas` and draws the page; returns its layout (for clicks) and its CSS size. */
export function drawViewerPage(canvas: HTMLCanvasElement, page: ViewerPage, dpr: number) {
  const options = { ...page.options, durationMs: page.durationMs };
  const layout = layoutEcgPage(options);
  canvas.width = layout.widthPx;
  canvas.height = layout.heightPx;
  const ctx = canvas.getContext('2d');
  if (ctx !== null) {
    const data = page.data ?? {
      startMs: page.startMs,
      sampleRateHz: 1,
      samplesUv: {},
      beats: [],
      durationMs: page.durationMs,
    };
    drawEcgPage(ctx, data, options);
    drawGaps(ctx, layout, page, dpr);
  }
  return { layout, widthCss: layout.widthPx / dpr, heightCss: layout.heightPx / dpr };
}

function drawGaps(ctx: CanvasRenderingContext2D, layout: EcgPageLayout, page: ViewerPage, dpr: number): void {
  const pxPerMs = (layout.speedMmPerS / 1000) * layout.pxPerMm;
  ctx.font = `${Math.round(11 * dpr)}px system-ui, sans-serif`;
  ctx.textBaseline = 'bottom';
  for (const cell of layout.cells) {
    const cellFrom = page.startMs + cell.startOffsetMs;
    const cellTo = cellFrom + cell.durationMs;
    for (const gap of page.gaps) {
      const from = Math.max(gap.startMs, cellFrom);
      const to = Math.min(gap.startMs + gap.durationMs, cellTo);
      if (to <= from) continue;
      const x0 = cell.x + (from - cellFrom) * pxPerMs;
      const x1 = cell.x + (to - cellFrom) * pxPerMs;
      ctx.save();
      ctx.globalAlpha = 0.1;
      ctx.fillStyle = PAGE_COLOURS.label;
      ctx.fillRect(x0, cell.y, x1 - x0, cell.height);
      ctx.restore();
      const label = `gap (${gap.cause})`;
      ctx.fillStyle = PAGE_COLOURS.label;
      if (ctx.measureText(label).width + 6 * dpr < x1 - x0)
        // on the baseline, where a gap has no trace and the beat marks below are clear
        ctx.fillText(label, x0 + 3 * dpr, cell.baselineY - 3 * dpr);
    }
  }
}
