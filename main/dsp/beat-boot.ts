/**
 * The classifier's boot: its first QRS template, sinus P template and sinus cycle, from the first
 * {@link TEMPLATE_BOOT_BEATS} beats, before any beat is compared with anything.
 */
import { PREMATURE_RATIO, RUN_RR_CHANGE } from './beat-supraventricular.js';
import type { BeatWindows, SampleReader } from './beat-windows.js';
import { median } from './stats.js';

/** Beats whose median waveform is the first template. */
export const TEMPLATE_BOOT_BEATS = 8;

/**
 * Per beat of a series, whether it belongs to the rhythm rather than to ectopy: its RR (NaN:
 * unknown) did not come abruptly early, under {@link PREMATURE_RATIO} of the RR before it (the
 * ectopic filter of heart-rate-variability practice), and it does not continue a run that began
 * so. An ectopic atrial run or a supraventricular tachycardia starts abruptly and goes on at its
 * own regular rate until it stops, and the sinus node resumes after a pause (overdrive
 * suppression: Chou's *Electrocardiography in Clinical Practice*, ch. 20); so a beat after an
 * abruptly early one is still ectopic while its RR is not longer than the one before by more
 * than {@link RUN_RR_CHANGE}. A beat early only against a pause starts no run: after a PVC's
 * compensatory pause the sinus rhythm resumes at its own RR. The boot beats' sinus cycle and P
 * wave are read from these: a rhythm may start with frequent APCs (a bigeminy), whose short RRs
 * are half of all, or with the frequent ectopic atrial runs of a sinus bradycardia, whose beats
 * outnumber the sinus ones; the P of either is not the sinus P. Where fewer than {@link MIN_SINUS_BOOT_BEATS} beats would be
 * left (a sinus rhythm whose rate rose abruptly), only the abruptly early beats are left out.
 */
export function notAbruptlyEarly(rrs: readonly number[]): boolean[] {
  const early = rrs.map((rr, k) => k > 0 && rr < PREMATURE_RATIO * rrs[k - 1]!);
  // an RR longer than the one before by more than RUN_RR_CHANGE is a pause (after a PVC or an
  // APC, or after a run): a beat abruptly early against it is left out alone, starting no run
  const pause = (k: number): boolean => k > 0 && rrs[k]! > (1 + RUN_RR_CHANGE) * rrs[k - 1]!;
  let inRun = false;
  const outside = rrs.map((rr, k) => {
    const starts = early[k]! && !pause(k - 1);
    inRun = starts || (inRun && !(rr > (1 + RUN_RR_CHANGE) * rrs[k - 1]!));
    return !early[k] && !inRun;
  });
  if (outside.filter(Boolean).length >= MIN_SINUS_BOOT_BEATS) return outside;
  return early.map((e) => !e);
}

/** Boot beats outside ectopic runs needed for {@link notAbruptlyEarly} to leave the runs out. */
export const MIN_SINUS_BOOT_BEATS = 3;

/**
 * The boot beats' sinus cycle (median RR, NaN if none) and P template (sample-wise median of the
 * P windows) from the beats that did not come abruptly early ({@link notAbruptlyEarly}).
 */
export function bootSinus(
  rrs: readonly number[],
  pWindows: readonly Float64Array[],
): { rr: number; pTemplate: Float64Array } {
  const onTime = notAbruptlyEarly(rrs);
  const kept = rrs.filter((x, k) => onTime[k] && !Number.isNaN(x));
  const windows = pWindows.filter((_, k) => onTime[k]);
  const p = new Float64Array(pWindows[0]?.length ?? 0);
  for (let i = 0; i < p.length; i++) p[i] = median(windows.map((w) => w[i]!));
  return { rr: kept.length === 0 ? NaN : median(kept), pTemplate: p };
}

/** The first templates the boot beats give. */
export interface BootTemplates {
  /** Sample-wise median QRS window, and its slope spread. */
  readonly template: Float64Array;
  readonly templateSpread: number;
  /** Sinus P template and sinus cycle (NaN if none), from {@link bootSinus}. */
  readonly pTemplate: Float64Array;
  readonly sinusRr: number;
}

/** The boot beats' windows and RRs, until there are enough for the first templates. */
export class BootBeats {
  private readonly windows: Float64Array[] = [];
  private readonly spreads: number[] = [];
  private readonly pWindows: Float64Array[] = [];
  private readonly rrs: number[] = [];

  constructor(private readonly win: BeatWindows) {}

  /** Adds the beat at `r` (RR before it `rr`); returns the first templates once the boot is complete. */
  add(r: number, read: SampleReader, rr: number | null): BootTemplates | null {
    const w = new Float64Array(this.win.width * this.win.leadCount);
    this.win.windowAt(read, r, w);
    this.windows.push(w);
    this.spreads.push(this.win.spread(w));
    const pw = new Float64Array(this.win.pWidth * this.win.leadCount);
    this.win.pWindowAt(read, r, pw);
    this.pWindows.push(pw);
    this.rrs.push(rr ?? NaN);
    if (this.windows.length < TEMPLATE_BOOT_BEATS) return null;
    const template = new Float64Array(w.length);
    for (let i = 0; i < template.length; i++) template[i] = median(this.windows.map((b) => b[i]!));
    const sinus = bootSinus(this.rrs, this.pWindows);
    return { template, templateSpread: median(this.spreads), pTemplate: sinus.pTemplate, sinusRr: sinus.rr };
  }
}
