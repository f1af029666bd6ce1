/**
 * Draws one page of a stored recording on a canvas: the pink grid and paper colours of the
 * gateway's ECG module (`renderer/src/ecg`, shared, not copied), the calibration pulse, each
 * cell's trace (min/max per device pixel column), gaps left blank and labelled, and beat marks
 * with their class on the rhythm strip.
 *
 * Page-specific drawing lives here until the gateway's page-drawing module (being rewritten in
 * renderer/src/ecg/) lands; then this file should shrink to a call into it.
 */
import { STANDARD_LEAD_NAMES, type LeadName } from '../../../../server-contract/api/index.js';
import { CALIBRATION_PULSE } from '../../../../server-contract/formats/ecg-page.js';
import { PAPER, paintGrid } from '../../../src/ecg/draw-ecg.js';
import { microvoltsToPx, pxPerMm } from '../../../src/ecg/ecg-scale.js';
import type { PageView, PlacedCell, PlacedPage } from './page-layout.js';
import type { PageSignal } from './page-data.js';

export interface BeatMark {
  tMs: number;
  beatClass: string;
}

export interface PageDrawing {
  canvas: HTMLCanvasElement;
  page: PlacedPage;
  view: PageView;
  signal: PageSignal | null;
  beats: readonly BeatMark[];
  dpr: number;
}

/** Paints the whole page; returns the canvas size in CSS px. */
export function drawPage(d: PageDrawing): { widthCss: number; heightCss: number } {
  const scale = pxPerMm(d.dpr);
  const widthPx = Math.ceil(d.page.widthMm * scale);
  const heightPx = Math.ceil(d.page.heightMm * scale);
  paintGrid(d.canvas, widthPx, heightPx, scale);
  const ctx = d.canvas.getContext('2d');
  if (ctx !== null) {
    for (const cell of d.page.cells) drawCell(ctx, d, cell, scale);
  }
  return { widthCss: widthPx / d.dpr, heightCss: heightPx / d.dpr };
}

function drawCell(ctx: CanvasRenderingContext2D, d: PageDrawing, cell: PlacedCell, scale: number): void {
  const box = { x: cell.xMm * scale, y: cell.yMm * scale, w: cell.widthMm * scale, h: cell.heightMm * scale };
  const baseline = box.y + box.h / 2;
  if (cell.xMm <= 10 + 1e-6) drawCalibration(ctx, d, baseline, scale, box.x);
  ctx.save();
  ctx.beginPath();
  // clipped to the cell's time only: a tall QRS may reach into the next row, as on paper
  ctx.rect(box.x, 0, box.w, d.canvas.height);
  ctx.clip();
  if (d.signal !== null) {
    drawGaps(ctx, d.signal, cell, box, scale, d);
    drawTrace(ctx, d, cell, box, baseline, scale);
    if (cell.rhythm) drawBeats(ctx, d, cell, box, scale);
  }
  ctx.restore();
  drawLabel(ctx, d, cell, box);
}

/** Microvolts of `lead` over the cell's window, per run, with the cell's mean removed. */
function cellMeanUv(signal: PageSignal, lead: number, fromMs: number, toMs: number): number {
  let sum = 0;
  let n = 0;
  const msPerSample = 1000 / signal.sampleRateHz;
  for (const run of signal.runs) {
    const values = run.microvolts[lead]!;
    const first = Math.max(0, Math.ceil((fromMs - run.startMs) / msPerSample));
    const last = Math.min(run.sampleCount, Math.ceil((toMs - run.startMs) / msPerSample));
    for (let i = first; i < last; i++) sum += values[i]!;
    n += Math.max(0, last - first);
  }
  return n === 0 ? 0 : sum / n;
}

function drawTrace(
  ctx: CanvasRenderingContext2D,
  d: PageDrawing,
  cell: PlacedCell,
  box: { x: number; w: number },
  baseline: number,
  scale: number,
): void {
  const signal = d.signal!;
  const lead = STANDARD_LEAD_NAMES.indexOf(cell.lead);
  const msPerSample = 1000 / signal.sampleRateHz;
  const pxPerMs = (d.view.speedMmPerS * scale) / 1000;
  const mean = cellMeanUv(signal, lead, cell.fromMs, cell.toMs);
  const y = (uv: number) => baseline - microvoltsToPx(uv - mean, d.view.gainMmPerMv, scale);
  ctx.strokeStyle = PAPER.trace;
  ctx.lineWidth = Math.max(1, 1.2 * d.dpr);
  ctx.lineJoin = 'round';
  const flush = (column: number, lo: number, hi: number) => {
    ctx.lineTo(column, y(hi));
    ctx.lineTo(column, y(lo));
  };
  ctx.beginPath();
  for (const run of signal.runs) {
    const values = run.microvolts[lead]!;
    const first = Math.max(0, Math.ceil((cell.fromMs - run.startMs) / msPerSample));
    const last = Math.min(run.sampleCount, Math.ceil((cell.toMs - run.startMs) / msPerSample));
    let column = -1;
    let lo = 0;
    let hi = 0;
    for (let i = first; i < last; i++) {
      const x = Math.floor(box.x + (run.startMs + i * msPerSample - cell.fromMs) * pxPerMs);
      const v = values[i]!;
      if (x !== column) {
        if (column >= 0) flush(column, lo, hi);
        if (i === first) ctx.moveTo(x, y(v));
        column = x;
        lo = v;
        hi = v;
      } else {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (column >= 0) flush(column, lo, hi);
  }
  ctx.stroke();
}

function drawGaps(
  ctx: CanvasRenderingContext2D,
  signal: PageSignal,
  cell: PlacedCell,
  box: { x: number; y: number; h: number },
  scale: number,
  d: PageDrawing,
): void {
  const pxPerMs = (d.view.speedMmPerS * scale) / 1000;
  ctx.fillStyle = PAPER.label;
  ctx.font = `${Math.round(11 * d.dpr)}px system-ui, sans-serif`;
  ctx.textBaseline = 'bottom';
  for (const gap of signal.gaps) {
    const from = Math.max(gap.startMs, cell.fromMs);
    const to = Math.min(gap.startMs + gap.durationMs, cell.toMs);
    if (to <= from) continue;
    const x0 = box.x + (from - cell.fromMs) * pxPerMs;
    const x1 = box.x + (to - cell.fromMs) * pxPerMs;
    ctx.save();
    ctx.globalAlpha = 0.12;
    ctx.fillRect(x0, box.y, x1 - x0, box.h);
    ctx.restore();
    const label = `gap (${gap.cause})`;
    if (ctx.measureText(label).width + 6 * d.dpr < x1 - x0)
      ctx.fillText(label, x0 + 3 * d.dpr, box.y + box.h - 3 * d.dpr);
  }
}

function drawBeats(
  ctx: CanvasRenderingContext2D,
  d: PageDrawing,
  cell: PlacedCell,
  box: { x: number; y: number; h: number },
  scale: number,
): void {
  const pxPerMs = (d.view.speedMmPerS * scale) / 1000;
  // marks along the bottom of the strip: an upward triangle under each R wave, its class below
  const size = 4 * d.dpr;
  ctx.font = `bold ${Math.round(12 * d.dpr)}px system-ui, sans-serif`;
  ctx.textBaseline = 'bottom';
  ctx.textAlign = 'center';
  const bottom = box.y + box.h - 2 * d.dpr;
  const tip = bottom - 13 * d.dpr - size * 1.5;
  for (const beat of d.beats) {
    if (beat.tMs < cell.fromMs || beat.tMs >= cell.toMs) continue;
    const x = box.x + (beat.tMs - cell.fromMs) * pxPerMs;
    ctx.fillStyle = BEAT_COLOURS[beat.beatClass] ?? PAPER.label;
    ctx.beginPath();
    ctx.moveTo(x, tip);
    ctx.lineTo(x + size, tip + size * 1.5);
    ctx.lineTo(x - size, tip + size * 1.5);
    ctx.closePath();
    ctx.fill();
    ctx.fillText(beat.beatClass, x, bottom);
  }
  ctx.textAlign = 'start';
}

const BEAT_COLOURS: Record<string, string> = { V: PAPER.ventricular, S: PAPER.supraventricular };

function drawLabel(
  ctx: CanvasRenderingContext2D,
  d: PageDrawing,
  cell: PlacedCell,
  box: { x: number; y: number; h: number },
): void {
  ctx.fillStyle = PAPER.label;
  ctx.font = `bold ${Math.round(13 * d.dpr)}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  const label: string = cell.rhythm && d.view.expandedLead === null ? `${cell.lead} (rhythm)` : cell.lead;
  ctx.fillText(label, box.x + 4 * d.dpr, box.y + 3 * d.dpr);
  if (cell.xMm > 10 + 1e-6) {
    // the column boundary tick of the standard page
    ctx.strokeStyle = PAPER.label;
    ctx.lineWidth = d.dpr;
    ctx.beginPath();
    ctx.moveTo(box.x + 0.5, box.y + box.h * 0.35);
    ctx.lineTo(box.x + 0.5, box.y + box.h * 0.65);
    ctx.stroke();
  }
}

/** The 1 mV calibration pulse at the row start, at the page's gain and speed. */
function drawCalibration(
  ctx: CanvasRenderingContext2D,
  d: PageDrawing,
  baseline: number,
  scale: number,
  rowStartPx: number,
): void {
  const top = baseline - microvoltsToPx(CALIBRATION_PULSE.amplitudeMv * 1000, d.view.gainMmPerMv, scale);
  const x0 = CALIBRATION_PULSE.shoulderMm * scale;
  const width = (CALIBRATION_PULSE.durationMs / 1000) * d.view.speedMmPerS * scale;
  ctx.strokeStyle = PAPER.trace;
  ctx.lineWidth = Math.max(1, 1.2 * d.dpr);
  ctx.beginPath();
  ctx.moveTo(0, baseline);
  ctx.lineTo(x0, baseline);
  ctx.lineTo(x0, top);
  ctx.lineTo(x0 + width, top);
  ctx.lineTo(x0 + width, baseline);
  ctx.lineTo(Math.min(rowStartPx, x0 + width + CALIBRATION_PULSE.shoulderMm * scale), baseline);
  ctx.stroke();
}

/** Leads offered for the expanded view. */
export const EXPANDABLE_LEADS: readonly LeadName[] = STANDARD_LEAD_NAMES;
