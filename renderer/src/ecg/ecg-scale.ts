/**
 * ECG paper geometry: millimetres on screen, sweep speed and gain. The screen millimetre is the
 * CSS millimetre (96 CSS px per inch, CSS Values 4 §6.2); the 1 mV calibration pulse drawn at each
 * row start shows the true scale on any monitor.
 */

/** CSS pixels per CSS millimetre (96 / 25.4). */
export const CSS_PX_PER_MM = 96 / 25.4;

/** Minor grid step, mm (standard ECG paper). */
export const MINOR_GRID_MM = 1;
/** Major grid step, mm: every fifth minor line (0.2 s at 25 mm/s, 0.5 mV at 10 mm/mV). */
export const MAJOR_GRID_MM = 5;

/** Sweep speeds the display offers, mm/s. */
export const SWEEP_SPEEDS_MM_PER_S = [12.5, 25, 50] as const;
/** Gains the display offers, mm/mV. */
export const GAINS_MM_PER_MV = [5, 10, 20] as const;

/** Device pixels per mm for a given devicePixelRatio. */
export function pxPerMm(devicePixelRatio: number): number {
  return CSS_PX_PER_MM * devicePixelRatio;
}

/** Seconds of signal a strip `widthPx` wide shows at `sweepMmPerS`. */
export function windowSeconds(widthPx: number, pxPerMillimetre: number, sweepMmPerS: number): number {
  if (sweepMmPerS <= 0 || pxPerMillimetre <= 0) throw new RangeError('sweep and scale must be positive');
  return widthPx / pxPerMillimetre / sweepMmPerS;
}

/** Whole samples a strip `widthPx` wide shows (at least 1). */
export function windowSamples(
  widthPx: number,
  pxPerMillimetre: number,
  sweepMmPerS: number,
  sampleRateHz: number,
): number {
  return Math.max(1, Math.round(windowSeconds(widthPx, pxPerMillimetre, sweepMmPerS) * sampleRateHz));
}

/** Vertical offset in px (positive = up) of `microvolts` at `gainMmPerMv`. */
export function microvoltsToPx(microvolts: number, gainMmPerMv: number, pxPerMillimetre: number): number {
  return (microvolts / 1000) * gainMmPerMv * pxPerMillimetre;
}

export interface GridLine {
  /** Offset from the strip's origin, px. */
  offsetPx: number;
  major: boolean;
}

/**
 * Grid lines from 0 to `lengthPx` inclusive: one every `MINOR_GRID_MM`, every fifth major.
 * Computed from the index (not accumulated) so lines do not drift over long strips.
 */
export function gridLines(lengthPx: number, pxPerMillimetre: number): GridLine[] {
  const lines: GridLine[] = [];
  const count = Math.floor(lengthPx / (pxPerMillimetre * MINOR_GRID_MM) + 1e-9);
  for (let k = 0; k <= count; k++)
    lines.push({
      offsetPx: k * MINOR_GRID_MM * pxPerMillimetre,
      major: k % (MAJOR_GRID_MM / MINOR_GRID_MM) === 0,
    });
  return lines;
}
