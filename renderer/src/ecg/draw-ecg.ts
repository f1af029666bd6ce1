/**
 * Canvas drawing of the live ECG: the pink paper grid (cached in its own canvas), each lead's
 * sweep trace with its erase bar, calibration pulses, lead labels and beat markers. Called from
 * requestAnimationFrame; allocates nothing per frame beyond what the canvas API does.
 */
import { LEADS, type LeadName } from '../api-types.js';
import { gridLines, microvoltsToPx, windowSamples } from './ecg-scale.js';
import type { EcgStream } from './ecg-stream.js';
import type { LeadCell } from './lead-layout.js';
import { buildSweepTrace, sweepX, type TracePoints } from './sweep-trace.js';

/** ECG paper colours (pink grid on near-white, as on the clinic's printed reports). */
export const PAPER = {
  background: '#fffafb',
  minor: '#f6cdd4',
  major: '#e48b9b',
  trace: '#111111',
  label: '#5a0f1e',
  ventricular: '#b3001b',
  supraventricular: '#0b4fa8',
} as const;

/** Width of the erase bar ahead of the newest sample, mm. */
export const ERASE_BAR_MM = 6;
/** Left margin holding the 1 mV calibration pulses, mm. */
export const CALIBRATION_MARGIN_MM = 10;

export interface FrameParams {
  ctx: CanvasRenderingContext2D;
  cells: readonly LeadCell[];
  /** Device px per mm. */
  scale: number;
  dpr: number;
  sweepMmPerS: number;
  gainMmPerMv: number;
  stream: EcgStream;
  headIndex: number;
  points: TracePoints;
  /** Per-lead signal quality from the unit's status; anything but good is written on the cell. */
  quality: Partial<Record<LeadName, string>>;
}

/** Paints the grid into `canvas` (sized widthPx × heightPx device px). */
export function paintGrid(canvas: HTMLCanvasElement, widthPx: number, heightPx: number, scale: number): void {
  canvas.width = widthPx;
  canvas.height = heightPx;
  const ctx = canvas.getContext('2d');
  if (ctx === null) return;
  ctx.fillStyle = PAPER.background;
  ctx.fillRect(0, 0, widthPx, heightPx);
  for (const major of [false, true]) {
    ctx.strokeStyle = major ? PAPER.major : PAPER.minor;
    ctx.lineWidth = major ? Math.max(1, scale / 4) : Math.max(1, scale / 8);
    ctx.beginPath();
    for (const line of gridLines(widthPx, scale))
      if (line.major === major) {
        ctx.moveTo(Math.round(line.offsetPx) + 0.5, 0);
        ctx.lineTo(Math.round(line.offsetPx) + 0.5, heightPx);
      }
    for (const line of gridLines(heightPx, scale))
      if (line.major === major) {
        ctx.moveTo(0, Math.round(line.offsetPx) + 0.5);
        ctx.lineTo(widthPx, Math.round(line.offsetPx) + 0.5);
      }
    ctx.stroke();
  }
}

/** Draws every cell's trace, label and markers over the grid already on the canvas. */
export function drawTraces(p: FrameParams): void {
  const rate = p.stream.sampleRateHz;
  const ring = p.stream.ring;
  for (const cell of p.cells) {
    drawLabel(p, cell);
    drawCalibration(p, cell);
    if (ring === null || p.headIndex < 0 || rate <= 0) continue;
    const win = {
      headIndex: p.headIndex,
      windowSamples: windowSamples(cell.width, p.scale, p.sweepMmPerS, rate),
      eraseSamples: Math.round((ERASE_BAR_MM / p.sweepMmPerS) * rate),
      widthPx: cell.width,
    };
    const channel = LEADS.indexOf(cell.lead);
    buildSweepTrace((i) => ring.get(channel, i), win, p.points);
    p.ctx.save();
    p.ctx.beginPath();
    p.ctx.rect(cell.x, cell.y, cell.width, cell.height);
    p.ctx.clip();
    strokeTrace(p, cell);
    if (cell.rhythm) drawBeats(p, cell, win.windowSamples, win.eraseSamples);
    p.ctx.restore();
  }
}

function strokeTrace(p: FrameParams, cell: LeadCell): void {
  const { ctx, points } = p;
  const baseline = cell.y + cell.height / 2;
  const y = (uv: number): number => baseline - microvoltsToPx(uv, p.gainMmPerMv, p.scale);
  ctx.strokeStyle = PAPER.trace;
  ctx.lineWidth = Math.max(1, 1.3 * p.dpr);
  ctx.lineJoin = 'round';
  ctx.beginPath();
  for (let k = 0; k < points.count; k++) {
    const x = cell.x + (points.x[k] ?? 0);
    const a = points.a[k] ?? 0;
    const b = points.b[k] ?? 0;
    if (points.breakBefore[k] === 1) ctx.moveTo(x, y(a));
    else ctx.lineTo(x, y(a));
    if (a !== b) ctx.lineTo(x, y(b));
  }
  ctx.stroke();
}

function drawLabel(p: FrameParams, cell: LeadCell): void {
  const { ctx } = p;
  ctx.fillStyle = PAPER.label;
  ctx.font = `bold ${Math.round(15 * p.dpr)}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  const label = cell.rhythm && p.cells.length > 1 ? `${cell.lead} (rhythm)` : cell.lead;
  ctx.fillText(label, cell.x + 4 * p.dpr, cell.y + 4 * p.dpr);
  const quality = p.quality[cell.lead];
  if (quality !== undefined && quality !== 'good') {
    const x = cell.x + 4 * p.dpr + ctx.measureText(label).width + 8 * p.dpr;
    ctx.fillStyle = PAPER.ventricular;
    ctx.fillText(quality === 'lead_off' ? 'LEAD OFF' : quality.toUpperCase(), x, cell.y + 4 * p.dpr);
  }
  if (cell.x > p.scale * CALIBRATION_MARGIN_MM) {
    ctx.strokeStyle = PAPER.label;
    ctx.lineWidth = p.dpr;
    ctx.beginPath();
    ctx.moveTo(cell.x + 0.5, cell.y + cell.height * 0.3);
    ctx.lineTo(cell.x + 0.5, cell.y + cell.height * 0.7);
    ctx.stroke();
  }
}

/** The standard 1 mV, 200 ms calibration pulse at the start of each row. */
function drawCalibration(p: FrameParams, cell: LeadCell): void {
  if (cell.x > p.scale * CALIBRATION_MARGIN_MM + 1) return;
  const { ctx } = p;
  const baseline = cell.y + cell.height / 2;
  const top = baseline - microvoltsToPx(1000, p.gainMmPerMv, p.scale);
  const x0 = 2 * p.scale;
  const pulseWidth = 0.2 * p.sweepMmPerS * p.scale;
  ctx.strokeStyle = PAPER.trace;
  ctx.lineWidth = Math.max(1, 1.3 * p.dpr);
  ctx.beginPath();
  ctx.moveTo(x0 - 1.5 * p.scale, baseline);
  ctx.lineTo(x0, baseline);
  ctx.lineTo(x0, top);
  ctx.lineTo(x0 + pulseWidth, top);
  ctx.lineTo(x0 + pulseWidth, baseline);
  ctx.lineTo(Math.min(cell.x, x0 + pulseWidth + 1.5 * p.scale), baseline);
  ctx.stroke();
}

function drawBeats(p: FrameParams, cell: LeadCell, windowSamplesCount: number, eraseSamples: number): void {
  const { ctx } = p;
  const size = 5 * p.dpr;
  const from = p.headIndex - windowSamplesCount + eraseSamples + 1;
  ctx.font = `bold ${Math.round(12 * p.dpr)}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  const ring = p.stream.ring;
  const channel = LEADS.indexOf(cell.lead);
  p.stream.forEachBeat(from, p.headIndex, (index, beatClass) => {
    // a marker only where there is signal: never a beat drawn over a gap
    if (ring === null || Number.isNaN(ring.get(channel, index))) return;
    const x = cell.x + sweepX(index, windowSamplesCount, cell.width);
    const y = cell.y + 4 * p.dpr;
    const colour =
      beatClass === 'V' ? PAPER.ventricular : beatClass === 'S' ? PAPER.supraventricular : PAPER.label;
    ctx.fillStyle = colour;
    ctx.beginPath();
    ctx.moveTo(x - size, y);
    ctx.lineTo(x + size, y);
    ctx.lineTo(x, y + size * 1.6);
    ctx.closePath();
    ctx.fill();
    if (beatClass === 'V' || beatClass === 'S') ctx.fillText(beatClass, x + size + 2 * p.dpr, y);
  });
}
