/**
 * Draws a page (see `index.ts`) onto any CanvasRenderingContext2D: paper and grid, the header with
 * the printed settings, one calibration pulse per row, the traces clipped to their rows, lead
 * labels on a paper-coloured backing, column boundary ticks, and beat marks along the bottom of
 * the rhythm strip (never over a label). No DOM beyond the context; nothing kept between calls.
 */
import {
  CALIBRATION_PULSE,
  GRID_LARGE_MM,
  GRID_SMALL_MM,
} from '../../../../server-contract/formats/ecg-page.js';
import { layoutEcgPage, type EcgPageLayout, type PageCellPx } from './layout.js';
import { traceSegment } from './trace.js';
import type { EcgPageData, EcgPageOptions, PageAnnotations } from './types.js';

/** Paper colours: pink grid on near-white, as on the clinic's printed reports. */
export const PAGE_COLOURS = {
  background: '#fffafb',
  minor: '#f6cdd4',
  major: '#e48b9b',
  trace: '#111111',
  label: '#5a0f1e',
  alert: '#b3001b',
  supraventricular: '#0b4fa8',
} as const;

/**
 * Below this rate the page says its timing is coarse: at 80 Hz a sample is 12.5 ms, a tenth of a
 * normal QRS (AHA/ACCF/HRS 2007, Kligfield et al.: ≥ 500 Hz for diagnostic interval measurement).
 */
export const LIMITED_PRECISION_BELOW_HZ = 250;

/** What `drawEcgPage` drew: its geometry and the header text exactly as printed. */
export interface DrawnPage {
  layout: EcgPageLayout;
  /** Header items, left group then right group (e.g. "25 mm/s", "AUTO 5 mm/mV", "0.5–40 Hz"). */
  printed: string[];
}

/** Paints paper and the 1-mm / 5-mm grid over the whole layout, lines anchored at the traces' origin. */
export function drawEcgGrid(ctx: CanvasRenderingContext2D, layout: EcgPageLayout): void {
  const { widthPx, heightPx, pxPerMm, marginPx, headerHeightPx } = layout;
  ctx.fillStyle = PAGE_COLOURS.background;
  ctx.fillRect(0, 0, widthPx, heightPx);
  const every = GRID_LARGE_MM / GRID_SMALL_MM;
  for (const major of [false, true]) {
    ctx.strokeStyle = major ? PAGE_COLOURS.major : PAGE_COLOURS.minor;
    ctx.lineWidth = Math.max(1, pxPerMm / (major ? 4 : 8));
    ctx.beginPath();
    gridLines(marginPx, widthPx, pxPerMm * GRID_SMALL_MM, every, major, (x) => {
      ctx.moveTo(x, headerHeightPx);
      ctx.lineTo(x, heightPx);
    });
    gridLines(headerHeightPx, heightPx, pxPerMm * GRID_SMALL_MM, every, major, (y) => {
      ctx.moveTo(0, y);
      ctx.lineTo(widthPx, y);
    });
    ctx.stroke();
  }
}

/** Calls `line` for every grid line (pixel-snapped) from 0 to `lengthPx`, counted from `originPx`. */
function gridLines(
  originPx: number,
  lengthPx: number,
  stepPx: number,
  every: number,
  major: boolean,
  line: (at: number) => void,
): void {
  const first = Math.ceil(-originPx / stepPx);
  const last = Math.floor((lengthPx - originPx) / stepPx);
  for (let k = first; k <= last; k++)
    if ((((k % every) + every) % every === 0) === major) line(Math.round(originPx + k * stepPx) + 0.5);
}

/**
 * Draws `page` with `options` at the context's origin (translate the context to place it) and
 * returns what was drawn. The canvas should be at least `layout.widthPx × layout.heightPx`;
 * `layoutEcgPage(options)` gives that size before drawing.
 */
export function drawEcgPage(
  ctx: CanvasRenderingContext2D,
  page: EcgPageData,
  options: EcgPageOptions,
): DrawnPage {
  const layout = layoutEcgPage({ ...options, durationMs: options.durationMs ?? page.durationMs });
  const band = options.region === undefined ? null : regionBandPx(layout, options.region);
  let printed: string[];
  if (band === null) {
    if (options.paintGrid !== false) drawEcgGrid(ctx, layout);
    printed = drawHeader(ctx, layout, page, options);
    drawCalibrationPulses(ctx, layout);
  } else {
    const { left, right } = headerItems(layout, page, options);
    printed = [...left, ...right];
    ctx.save();
    ctx.beginPath();
    ctx.rect(band.x0, layout.headerHeightPx, band.x1 - band.x0, layout.heightPx - layout.headerHeightPx);
    ctx.clip();
    if (options.paintGrid !== false) drawEcgGrid(ctx, layout);
  }
  const cells =
    band === null ? layout.cells : layout.cells.filter((c) => c.x < band.x1 && c.x + c.width > band.x0);
  for (const cell of cells) drawTrace(ctx, layout, page, cell, band);
  drawColumnTicks(ctx, layout);
  // a label sits at the start of its cell: a strip beyond its end need not redraw it
  const note = (cell: PageCellPx): string | undefined => options.leadNotes?.[cell.lead];
  const labelled =
    band === null ? cells : cells.filter((c) => band.x0 < labelBox(ctx, layout, c, note(c)).x1);
  for (const cell of labelled) drawLabel(ctx, layout, cell, note(cell));
  const rhythm = cells.find((c) => c.rhythm);
  if (rhythm !== undefined) drawBeatMarks(ctx, layout, page, rhythm, band);
  if (band !== null) ctx.restore();
  return { layout, printed };
}

/** A vertical strip of the canvas, px: [x0, x1). */
export interface BandPx {
  x0: number;
  x1: number;
}

/**
 * The canvas strip a region of the page occupies (whole pixels, widened by 2 px for the line
 * width), clamped to the trace area.
 */
export function regionBandPx(layout: EcgPageLayout, region: { fromMs: number; toMs: number }): BandPx {
  const pxPerMs = (layout.speedMmPerS / 1000) * layout.pxPerMm;
  const right = layout.marginPx + layout.durationMs * pxPerMs;
  return {
    x0: Math.max(Math.floor(layout.marginPx), Math.floor(layout.marginPx + region.fromMs * pxPerMs) - 2),
    x1: Math.min(Math.ceil(right) + 2, Math.ceil(layout.marginPx + region.toMs * pxPerMs) + 2),
  };
}

function strokeWidth(layout: EcgPageLayout): number {
  return Math.max(1, layout.pxPerMm * 0.3);
}

function drawTrace(
  ctx: CanvasRenderingContext2D,
  layout: EcgPageLayout,
  page: EcgPageData,
  cell: PageCellPx,
  band: BandPx | null,
): void {
  const samples = page.samplesUv[cell.lead];
  if (samples === undefined || !(page.sampleRateHz > 0)) return;
  const pxPerSample = (layout.speedMmPerS * layout.pxPerMm) / page.sampleRateHz;
  const cellFrom = Math.round((cell.startOffsetMs * page.sampleRateHz) / 1000);
  const cellTo = Math.round(((cell.startOffsetMs + cell.durationMs) * page.sampleRateHz) / 1000);
  let from = cellFrom;
  let to = cellTo;
  if (band !== null) {
    // whole pixel columns on both sides of the band, so its edge columns keep their min/max
    const slack = Math.ceil(3 / pxPerSample) + 2;
    from = Math.max(cellFrom, cellFrom + Math.floor((band.x0 - cell.x) / pxPerSample) - slack);
    to = Math.min(cellTo, cellFrom + Math.ceil((band.x1 - cell.x) / pxPerSample) + slack);
    if (to <= from) return;
  }
  ctx.save();
  ctx.beginPath();
  ctx.rect(cell.x, cell.y, cell.width, cell.height);
  ctx.clip();
  ctx.beginPath();
  traceSegment(ctx, samples, from, to, {
    x0: cell.x + (from - cellFrom) * pxPerSample,
    pxPerSample,
    baselineY: cell.baselineY,
    pxPerUv: (layout.gainMmPerMv * layout.pxPerMm) / 1000,
  });
  ctx.strokeStyle = PAGE_COLOURS.trace;
  ctx.lineWidth = strokeWidth(layout);
  ctx.lineJoin = 'bevel';
  ctx.stroke();
  ctx.restore();
}

/** The 1-mV, 200-ms pulse at the left of each row, at the gain the row is drawn at. */
function drawCalibrationPulses(ctx: CanvasRenderingContext2D, layout: EcgPageLayout): void {
  const mm = layout.pxPerMm;
  const shoulder = CALIBRATION_PULSE.shoulderMm * mm;
  const width = (CALIBRATION_PULSE.durationMs / 1000) * layout.speedMmPerS * mm;
  const height = CALIBRATION_PULSE.amplitudeMv * layout.gainMmPerMv * mm;
  ctx.strokeStyle = PAGE_COLOURS.trace;
  ctx.lineWidth = strokeWidth(layout);
  ctx.lineJoin = 'miter';
  ctx.beginPath();
  for (const row of layout.rows) {
    const x0 = mm * 0.5;
    ctx.moveTo(x0, row.baselineY);
    ctx.lineTo(x0 + shoulder, row.baselineY);
    ctx.lineTo(x0 + shoulder, row.baselineY - height);
    ctx.lineTo(x0 + shoulder + width, row.baselineY - height);
    ctx.lineTo(x0 + shoulder + width, row.baselineY);
    ctx.lineTo(x0 + 2 * shoulder + width, row.baselineY);
  }
  ctx.stroke();
}

/** Short vertical ticks where one column's segment ends and the next begins. */
function drawColumnTicks(ctx: CanvasRenderingContext2D, layout: EcgPageLayout): void {
  ctx.strokeStyle = PAGE_COLOURS.label;
  ctx.lineWidth = Math.max(1, layout.pxPerMm * 0.25);
  ctx.beginPath();
  for (const cell of layout.cells) {
    if (cell.column === 0) continue;
    const x = Math.round(cell.x) + 0.5;
    ctx.moveTo(x, cell.baselineY - 3 * layout.pxPerMm);
    ctx.lineTo(x, cell.baselineY + 3 * layout.pxPerMm);
  }
  ctx.stroke();
}

function font(layout: EcgPageLayout, heightMm: number, bold: boolean): string {
  return `${bold ? 'bold ' : ''}${Math.max(9, Math.round(heightMm * layout.pxPerMm))}px system-ui, sans-serif`;
}

/**
 * Where a cell's label goes: its text (the lead's name), the text's start and width, and the end
 * of its backing with any note, px (sets the label font on `ctx`).
 */
function labelBox(
  ctx: CanvasRenderingContext2D,
  layout: EcgPageLayout,
  cell: PageCellPx,
  note: string | undefined,
): { text: string; x: number; textWidth: number; x1: number } {
  const mm = layout.pxPerMm;
  const text = cell.rhythm && layout.expandedLead === null ? `${cell.lead} rhythm` : cell.lead;
  ctx.font = font(layout, 3.2, true);
  const x = cell.x + mm;
  const textWidth = ctx.measureText(text).width;
  const noteWidth = note === undefined ? 0 : ctx.measureText(note).width + mm;
  return { text, x, textWidth, x1: x + textWidth + noteWidth + 0.5 * mm };
}

/** The lead's name at the cell's top left on a paper-coloured backing, then any note in red. */
function drawLabel(
  ctx: CanvasRenderingContext2D,
  layout: EcgPageLayout,
  cell: PageCellPx,
  note: string | undefined,
): void {
  const mm = layout.pxPerMm;
  const { text, x, textWidth, x1 } = labelBox(ctx, layout, cell, note);
  ctx.textBaseline = 'top';
  const y = cell.y + 0.8 * mm;
  ctx.fillStyle = PAGE_COLOURS.background;
  ctx.fillRect(x - 0.5 * mm, y - 0.3 * mm, x1 - (x - 0.5 * mm), 4 * mm);
  ctx.fillStyle = PAGE_COLOURS.label;
  ctx.fillText(text, x, y);
  if (note !== undefined) {
    ctx.fillStyle = PAGE_COLOURS.alert;
    ctx.fillText(note, x + textWidth + mm, y);
  }
}

/** Beat marks: small upward triangles in the bottom 3 mm of the rhythm strip; S and V lettered. */
function drawBeatMarks(
  ctx: CanvasRenderingContext2D,
  layout: EcgPageLayout,
  page: EcgPageData,
  cell: PageCellPx,
  band: BandPx | null,
): void {
  const mm = layout.pxPerMm;
  const samples = page.samplesUv[cell.lead];
  if (samples === undefined || !(page.sampleRateHz > 0)) return;
  const pxPerMs = (layout.speedMmPerS / 1000) * mm;
  const bottom = cell.y + cell.height - 0.5 * mm;
  const size = 0.9 * mm;
  ctx.font = font(layout, 2.6, true);
  ctx.textBaseline = 'bottom';
  for (const beat of page.beats) {
    const offset = beat.offsetMs - cell.startOffsetMs;
    if (offset < 0 || offset >= cell.durationMs) continue;
    // a mark only where there is signal: never a beat drawn over a gap
    const k = Math.round((beat.offsetMs * page.sampleRateHz) / 1000);
    if (Number.isNaN(samples[k] ?? Number.NaN)) continue;
    const x = cell.x + offset * pxPerMs;
    if (band !== null && (x + 4 * mm < band.x0 || x - 2 * mm > band.x1)) continue;
    const colour =
      beat.beatClass === 'V'
        ? PAGE_COLOURS.alert
        : beat.beatClass === 'S'
          ? PAGE_COLOURS.supraventricular
          : PAGE_COLOURS.label;
    ctx.fillStyle = colour;
    ctx.beginPath();
    ctx.moveTo(x, bottom - 1.6 * size);
    ctx.lineTo(x + size, bottom);
    ctx.lineTo(x - size, bottom);
    ctx.closePath();
    ctx.fill();
    if (beat.beatClass !== 'N') ctx.fillText(beat.beatClass, x + size + 0.3 * mm, bottom);
  }
}

/** The header band: patient and time on the left, the recording settings on the right. */
function drawHeader(
  ctx: CanvasRenderingContext2D,
  layout: EcgPageLayout,
  page: EcgPageData,
  options: EcgPageOptions,
): string[] {
  const { left, right } = headerItems(layout, page, options);
  const mm = layout.pxPerMm;
  ctx.fillStyle = PAGE_COLOURS.background;
  ctx.fillRect(0, 0, layout.widthPx, layout.headerHeightPx);
  ctx.font = font(layout, 3.4, true);
  ctx.textBaseline = 'middle';
  const y = layout.headerHeightPx / 2;
  ctx.fillStyle = PAGE_COLOURS.label;
  ctx.textAlign = 'left';
  ctx.fillText(left.join('   '), mm, y);
  ctx.textAlign = 'right';
  ctx.fillText(right.join('   '), layout.widthPx - mm, y);
  ctx.textAlign = 'left';
  return [...left, ...right];
}

/** Header text: what a reader needs to interpret the page (EN 60601-2-25 prints the same). */
export function headerItems(
  layout: EcgPageLayout,
  page: EcgPageData,
  options: EcgPageOptions,
): { left: string[]; right: string[] } {
  const notes: PageAnnotations = options.annotations ?? {};
  const left: string[] = [];
  if (notes.simulated === true) left.push('SIMULATED');
  if (notes.patientCode !== undefined && notes.patientCode !== null)
    left.push(`Patient ${notes.patientCode}`);
  left.push((notes.formatTime ?? formatLocalTime)(page.startMs));
  const gain = `${formatNumber(layout.gainMmPerMv)} mm/mV`;
  const right = [
    `${formatNumber(layout.speedMmPerS)} mm/s`,
    options.gainAuto === true ? `AUTO ${gain}` : gain,
  ];
  if (notes.filter !== undefined && notes.filter !== null) {
    right.push(`${formatNumber(notes.filter.highPassHz)}–${formatNumber(notes.filter.lowPassHz)} Hz`);
    right.push(
      notes.filter.notchHz === null ? 'notch off' : `notch ${formatNumber(notes.filter.notchHz)} Hz`,
    );
  }
  right.push(
    page.sampleRateHz < LIMITED_PRECISION_BELOW_HZ
      ? `${formatNumber(page.sampleRateHz)} samples/s — limited precision`
      : `${formatNumber(page.sampleRateHz)} samples/s`,
  );
  return { left, right };
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
}

/** `YYYY-MM-DD HH:MM:SS` in the local time zone. */
export function formatLocalTime(epochMs: number): string {
  if (!Number.isFinite(epochMs)) return '—';
  const d = new Date(epochMs);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
