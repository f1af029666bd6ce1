/**
 * The live view's drawing loop. A full page is drawn only when something other than the sweep
 * changed (settings, layout, a new sweep every 10 s); between those, each animation frame redraws
 * just the strip the sweep head wrote since the last frame (plus the erase gap, and the spot of any
 * beat the detector reported late), over the cached grid — a few pixels of four rows instead of
 * the whole page. The loop runs only while the canvas is on screen and the tab is visible.
 */
import { LEADS, type LeadName } from '../api-types.js';
import { AutoGainTracker } from './auto-gain-tracker.js';
import type { EcgStream } from './ecg-stream.js';
import { ERASE_GAP_MS, LivePageBuffer } from './live-page.js';
import {
  autoGainMmPerMv,
  drawEcgGrid,
  drawEcgPage,
  layoutEcgPage,
  regionBandPx,
  type EcgPageData,
  type EcgPageLayout,
  type EcgPageOptions,
} from './page/index.js';
import type { SweepClock } from './sweep-clock.js';

/** What the page is drawn with, set by the view (React) between frames. */
export interface LiveDisplay {
  devicePxPerMm: number;
  speedMmPerS: number;
  /** Fixed gain, or 'auto'. */
  gain: number | 'auto';
  expandedLead: LeadName | null;
  patientCode: string | null;
  leadNotes: Partial<Record<LeadName, string>>;
}

/** How often auto gain looks at the page, ms. */
const AUTO_GAIN_EVERY_MS = 500;
/** Half-width redrawn around a late beat's mark (triangle and its letter), mm. */
const BEAT_MARK_HALF_MM = 4;

/** What the view is told after a full draw that changed the layout or the printed header. */
export interface DrawnSummary {
  layout: EcgPageLayout;
  printed: string[];
  gainMmPerMv: number;
}

const EMPTY_PAGE: EcgPageData = { startMs: Number.NaN, sampleRateHz: 1000, samplesUv: {}, beats: [] };

export class LiveEcgPainter {
  display: LiveDisplay;
  private buffer: LivePageBuffer | null = null;
  private readonly autoGain = new AutoGainTracker();
  private lastAutoGainMs = Number.NEGATIVE_INFINITY;
  private grid: { key: string; canvas: HTMLCanvasElement } | null = null;
  private fullKey = '';
  private lastHead = -1;
  private lastBase = -1;
  private lastBeatSerial = 0;
  private lastPrinted = '';
  private frame = 0;
  private onScreen = true;
  private readonly observer: IntersectionObserver | null;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly stream: EcgStream,
    private readonly clock: SweepClock,
    display: LiveDisplay,
    private readonly onDrawn: (summary: DrawnSummary) => void,
  ) {
    this.display = display;
    this.observer =
      typeof IntersectionObserver === 'undefined'
        ? null
        : new IntersectionObserver((entries) => {
            this.onScreen = entries.some((e) => e.isIntersecting);
            this.schedule();
          });
    this.observer?.observe(canvas);
    document.addEventListener('visibilitychange', this.schedule);
    this.schedule();
  }

  /** Stops the loop and observers. */
  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.observer?.disconnect();
    document.removeEventListener('visibilitychange', this.schedule);
  }

  /** Draws the whole page on the next frame (a setting changed, or the signal was cleared). */
  invalidate(): void {
    this.fullKey = '';
    this.schedule();
  }

  private readonly schedule = (): void => {
    const visible = this.onScreen && document.visibilityState !== 'hidden';
    if (visible && this.frame === 0) this.frame = requestAnimationFrame(this.tick);
    if (!visible && this.frame !== 0) {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
    }
  };

  private readonly tick = (nowMs: number): void => {
    this.frame = requestAnimationFrame(this.tick);
    this.paint(nowMs);
  };

  private paint(nowMs: number): void {
    const d = this.display;
    const rate = this.stream.sampleRateHz;
    if (rate > 0 && this.buffer?.sampleRateHz !== rate) this.buffer = new LivePageBuffer(rate);
    const buffer = this.buffer;
    const head = buffer === null ? -1 : this.clock.head(performance.now());
    const base = buffer === null || head < 0 ? -1 : buffer.sweepStart(head);
    const gain = d.gain === 'auto' ? this.autoGain.gainMmPerMv : d.gain;
    const fullKey = JSON.stringify([
      this.stream.generation,
      d.gain,
      gain,
      d.speedMmPerS,
      d.devicePxPerMm,
      d.expandedLead,
      d.patientCode,
      d.leadNotes,
      this.stream.displayFilter,
      this.stream.simulated,
      base,
      window.devicePixelRatio,
    ]);
    const full = fullKey !== this.fullKey || head < this.lastHead;
    if (!full && head === this.lastHead && this.stream.beatSerial === this.lastBeatSerial) return;
    // between full draws only the strip since the last head changes (plus the erase gap)
    const strip =
      full || this.lastBase !== base || buffer === null
        ? undefined
        : {
            from: this.lastHead - base - 1,
            to: head - base + 2 + (ERASE_GAP_MS * buffer.sampleRateHz) / 1000,
          };
    const page = buffer?.fill(this.stream, head, strip) ?? EMPTY_PAGE;
    const options = this.pageOptions(gain);
    const layout = layoutEcgPage(options);
    const ctx = this.prepareCanvas(layout);
    if (ctx === null) return;
    if (full) this.drawFull(ctx, page, options, layout, gain);
    else this.drawSince(ctx, page, options, layout, head, base);
    this.fullKey = fullKey;
    this.lastHead = head;
    this.lastBase = base;
    this.lastBeatSerial = this.stream.beatSerial;
    if (d.gain === 'auto' && head >= 0 && nowMs - this.lastAutoGainMs >= AUTO_GAIN_EVERY_MS) {
      this.lastAutoGainMs = nowMs;
      this.autoGain.update(
        autoGainMmPerMv(
          page,
          LEADS.filter((lead) => d.leadNotes[lead] === undefined),
        ),
        nowMs,
      );
    }
  }

  private pageOptions(gainMmPerMv: number): EcgPageOptions {
    const d = this.display;
    return {
      pxPerMm: d.devicePxPerMm,
      speedMmPerS: d.speedMmPerS,
      gainMmPerMv,
      gainAuto: d.gain === 'auto',
      expandedLead: d.expandedLead,
      paintGrid: false,
      leadNotes: d.leadNotes,
      annotations: {
        patientCode: d.patientCode,
        filter: this.stream.displayFilter,
        simulated: this.stream.simulated,
      },
    };
  }

  private drawFull(
    ctx: CanvasRenderingContext2D,
    page: EcgPageData,
    options: EcgPageOptions,
    layout: EcgPageLayout,
    gainMmPerMv: number,
  ): void {
    if (this.grid !== null) ctx.drawImage(this.grid.canvas, 0, 0);
    const drawn = drawEcgPage(ctx, page, options);
    const summary = JSON.stringify([drawn.printed, layout.widthPx, layout.heightPx, layout.cells.length]);
    if (summary !== this.lastPrinted) {
      this.lastPrinted = summary;
      this.onDrawn({ layout, printed: drawn.printed, gainMmPerMv });
    }
  }

  /** Redraws what changed since the last frame: the swept strip with its erase gap, and late beats. */
  private drawSince(
    ctx: CanvasRenderingContext2D,
    page: EcgPageData,
    options: EcgPageOptions,
    layout: EcgPageLayout,
    head: number,
    base: number,
  ): void {
    const msPerSample = 1000 / page.sampleRateHz;
    const regions: { fromMs: number; toMs: number }[] = [];
    if (head !== this.lastHead && head >= 0) {
      const from = this.lastBase === base ? this.lastHead - base : 0;
      regions.push({
        fromMs: (from - 1) * msPerSample,
        toMs: (head - base + 2) * msPerSample + ERASE_GAP_MS,
      });
    }
    const halfMs = (BEAT_MARK_HALF_MM / layout.speedMmPerS) * 1000;
    const pageSamples = this.buffer?.length ?? 0;
    this.stream.forEachBeatSince(this.lastBeatSerial, (index) => {
      if (index > head || index <= head - pageSamples) return;
      const offsetMs = (index >= base ? index - base : index - base + pageSamples) * msPerSample;
      regions.push({ fromMs: offsetMs - halfMs, toMs: offsetMs + halfMs });
    });
    for (const region of regions) {
      const band = regionBandPx(layout, region);
      if (band.x1 <= band.x0) continue;
      const top = layout.headerHeightPx;
      const height = layout.heightPx - top;
      if (this.grid !== null)
        ctx.drawImage(
          this.grid.canvas,
          band.x0,
          top,
          band.x1 - band.x0,
          height,
          band.x0,
          top,
          band.x1 - band.x0,
          height,
        );
      drawEcgPage(ctx, page, { ...options, region });
    }
  }

  /** Sizes the canvas to the page (true mm via CSS size = device px / dpr); keeps the grid cached. */
  private prepareCanvas(layout: EcgPageLayout): CanvasRenderingContext2D | null {
    const dpr = window.devicePixelRatio || 1;
    const { canvas } = this;
    if (canvas.width !== layout.widthPx || canvas.height !== layout.heightPx) {
      canvas.width = layout.widthPx;
      canvas.height = layout.heightPx;
      this.fullKey = '';
    }
    const cssWidth = `${layout.widthPx / dpr}px`;
    if (canvas.style.width !== cssWidth) canvas.style.width = cssWidth;
    const cssHeight = `${layout.heightPx / dpr}px`;
    if (canvas.style.height !== cssHeight) canvas.style.height = cssHeight;
    const ctx = canvas.getContext('2d');
    if (ctx === null) return null;
    const gridKey = `${layout.widthPx}x${layout.heightPx}|${layout.pxPerMm}|${layout.marginPx}|${layout.headerHeightPx}`;
    if (this.grid?.key !== gridKey) {
      const gridCanvas = this.grid?.canvas ?? document.createElement('canvas');
      gridCanvas.width = layout.widthPx;
      gridCanvas.height = layout.heightPx;
      const gctx = gridCanvas.getContext('2d');
      if (gctx !== null) drawEcgGrid(gctx, layout);
      this.grid = { key: gridKey, canvas: gridCanvas };
    }
    return ctx;
  }
}
