/**
 * The live view's drawing loop: each animation frame refills the sweeping page from the ring
 * buffers (only when the sweep head moved or a setting changed) and draws it with the
 * page-drawing module over a cached grid. The loop runs only while the canvas is on screen and
 * the tab is visible, so a hidden ECG costs the main thread nothing.
 */
import { LEADS, type LeadName } from '../api-types.js';
import { AutoGainTracker } from './auto-gain-tracker.js';
import type { EcgStream } from './ecg-stream.js';
import { LivePageBuffer } from './live-page.js';
import {
  autoGainMmPerMv,
  drawEcgGrid,
  drawEcgPage,
  layoutEcgPage,
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
  /** False when the unit is known to be disconnected: the page is drawn without a trace. */
  showTrace: boolean;
  leadNotes: Partial<Record<LeadName, string>>;
}

/** How often auto gain looks at the page, ms. */
const AUTO_GAIN_EVERY_MS = 500;

/** What the view is told after a frame that changed the layout or the printed header. */
export interface DrawnSummary {
  layout: EcgPageLayout;
  printed: string[];
  gainMmPerMv: number;
}

export class LiveEcgPainter {
  display: LiveDisplay;
  private buffer: LivePageBuffer | null = null;
  private readonly autoGain = new AutoGainTracker();
  private lastAutoGainMs = Number.NEGATIVE_INFINITY;
  private grid: { key: string; canvas: HTMLCanvasElement } | null = null;
  private drawnKey = '';
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

  /** Redraws on the next frame even if the head did not move (a setting changed). */
  invalidate(): void {
    this.drawnKey = '';
    this.schedule();
  }

  /** True while the loop is running (the ECG is visible). */
  get running(): boolean {
    return this.frame !== 0;
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
    const head = d.showTrace ? this.clock.head(performance.now()) : -1;
    const gainKey = d.gain === 'auto' ? `auto${this.autoGain.gainMmPerMv}` : String(d.gain);
    const key = `${head}|${this.stream.generation}|${gainKey}|${d.speedMmPerS}|${d.devicePxPerMm}|${d.expandedLead}|${d.patientCode}|${JSON.stringify(d.leadNotes)}`;
    if (key === this.drawnKey) return;
    this.drawnKey = key;
    const page = this.buffer?.fill(this.stream, head) ?? null;
    if (page !== null && d.gain === 'auto' && nowMs - this.lastAutoGainMs >= AUTO_GAIN_EVERY_MS) {
      this.lastAutoGainMs = nowMs;
      const leads = LEADS.filter((lead) => d.leadNotes[lead] === undefined);
      this.autoGain.update(autoGainMmPerMv(page, leads), nowMs);
    }
    const gainMmPerMv = d.gain === 'auto' ? this.autoGain.gainMmPerMv : d.gain;
    const options: EcgPageOptions = {
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
    const layout = layoutEcgPage(options);
    const ctx = this.prepareCanvas(layout);
    if (ctx === null) return;
    const drawn = drawEcgPage(
      ctx,
      page ?? { startMs: Number.NaN, sampleRateHz: rate > 0 ? rate : 1000, samplesUv: {}, beats: [] },
      options,
    );
    const printed = JSON.stringify([drawn.printed, layout.widthPx, layout.heightPx, layout.cells.length]);
    if (printed !== this.lastPrinted) {
      this.lastPrinted = printed;
      this.onDrawn({ layout, printed: drawn.printed, gainMmPerMv });
    }
  }

  /** Sizes the canvas to the page (true mm via CSS size = device px / dpr) and blits the grid. */
  private prepareCanvas(layout: EcgPageLayout): CanvasRenderingContext2D | null {
    const dpr = window.devicePixelRatio || 1;
    const { canvas } = this;
    if (canvas.width !== layout.widthPx || canvas.height !== layout.heightPx) {
      canvas.width = layout.widthPx;
      canvas.height = layout.heightPx;
    }
    canvas.style.width = `${layout.widthPx / dpr}px`;
    canvas.style.height = `${layout.heightPx / dpr}px`;
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
    ctx.drawImage(this.grid.canvas, 0, 0);
    return ctx;
  }
}
