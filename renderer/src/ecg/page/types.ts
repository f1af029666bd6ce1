/**
 * Data and options of the page-drawing module (see `index.ts`). Plain data, no DOM: a page is a
 * span of 12-lead signal in µV with its gaps (NaN) and classed beats, from any source — the live
 * view's ring buffers or a recording read back from the server.
 */
import type { STANDARD_COLUMNS } from '../../../../server-contract/formats/ecg-page.js';

/** A standard lead name (I, II, III, aVR, aVL, aVF, V1–V6), from the shared page geometry. */
export type PageLeadName = (typeof STANDARD_COLUMNS)[number][number];

/** AAMI beat class: N normal, S supraventricular, V ventricular, F fusion, Q unclassified. */
export type PageBeatClass = 'N' | 'S' | 'V' | 'F' | 'Q';

/** One beat on the page. */
export interface PageBeat {
  /** R-peak time from the page's first sample, ms. */
  offsetMs: number;
  beatClass: PageBeatClass;
}

/** What one page shows: `durationMs` of signal from `startMs`. */
export interface EcgPageData {
  /** Epoch ms of sample 0 (printed as the page's time). */
  startMs: number;
  /** Samples per second of every lead (> 0). */
  sampleRateHz: number;
  /**
   * Samples per lead, µV; sample k is at `startMs + k × 1000 / sampleRateHz`. NaN, a missing
   * index or a missing lead is "no signal" and is drawn as a gap, never interpolated.
   */
  samplesUv: Partial<Record<PageLeadName, ArrayLike<number>>>;
  /** Beats inside the page, any order. Marks are drawn only where the rhythm lead has signal. */
  beats: readonly PageBeat[];
  /** Span of the page, ms. Default 10 000 (the standard page). */
  durationMs?: number;
}

/** Display filter of the signal, printed on the page. */
export interface PageFilter {
  highPassHz: number;
  lowPassHz: number;
  /** Mains notch centre, or null when no notch is applied. */
  notchHz: number | null;
}

/** Text printed in the page's header besides speed, gain and sample rate. */
export interface PageAnnotations {
  /** The patient's study code (never a name). */
  patientCode?: string | null;
  /** The signal's display filter; omitted = not printed. */
  filter?: PageFilter | null;
  /** Prints SIMULATED in the header. */
  simulated?: boolean;
  /** Formats the page's start time; default local `YYYY-MM-DD HH:MM:SS`. */
  formatTime?: (epochMs: number) => string;
}

/** How to lay out and draw a page. Only `pxPerMm` is required. */
export interface EcgPageOptions {
  /** Canvas pixels per millimetre of the screen or paper (e.g. a calibrated device px/mm). */
  pxPerMm: number;
  /** Paper speed, mm/s. Default 25. */
  speedMmPerS?: number;
  /** Gain, mm/mV. Default 10. The row height grows with gains above 10 so nothing is clipped. */
  gainMmPerMv?: number;
  /** Prints the gain as "AUTO x mm/mV" (the caller chose it with `autoGainMmPerMv`). */
  gainAuto?: boolean;
  /** Draws one lead over the whole span at twice the gain instead of the 3 × 4 + rhythm page. */
  expandedLead?: PageLeadName | null;
  /** Span laid out, ms; default the page's own `durationMs` or 10 000. */
  durationMs?: number;
  /** Paint the paper and grid first (default true); false when the caller blits a cached grid. */
  paintGrid?: boolean;
  annotations?: PageAnnotations;
  /** Per-lead words printed in red beside the lead's label (e.g. "LEAD OFF"). */
  leadNotes?: Partial<Record<PageLeadName, string>>;
}
