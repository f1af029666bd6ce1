/**
 * How measurements read on screen: a value with its unit, or "—" with the reason it was withheld,
 * and a staleness check so a number is never shown as current when it is not.
 */
import type { MeasurementRecord, WithheldReason } from '../api-types.js';

/** A record older than this (ms) is marked stale: two missed 2 s updates and a margin. */
export const STALE_AFTER_MS = 5000;

const REASON_TEXT: Record<WithheldReason, string> = {
  poor_signal: 'poor signal',
  lead_off: 'lead off',
  not_measurable: 'not measurable',
  insufficient_beats: 'too few beats',
  rate_too_low: 'sample rate too low for this measurement',
  rhythm_episode: 'no beats (ventricular fibrillation or asystole)',
};

/** Keys the gateway may withhold as a group (HRV is withheld as `hrv`). */
const GROUP_OF: Partial<Record<string, string>> = { sdnnMs: 'hrv', rmssdMs: 'hrv', pnn50Pct: 'hrv' };

export type MeasurementKey = Exclude<keyof MeasurementRecord, 'tMs' | 'windowMs' | 'stUv' | 'withheld'>;

export interface DisplayValue {
  /** The number as text, or "—". */
  text: string;
  /** Why the value is absent, in words staff read; null when present. */
  reason: string | null;
}

/** Words for a withheld reason (unknown codes are shown as they came). */
export function reasonText(reason: string): string {
  return (REASON_TEXT as Record<string, string | undefined>)[reason] ?? reason.replace(/_/g, ' ');
}

/**
 * The value of `key` from `record` rounded to `decimals`, or "—" and why; `episodeReason` names
 * the rhythm episode going on (format/events.ts), for values withheld for one.
 */
export function displayValue(
  record: MeasurementRecord | null,
  key: MeasurementKey,
  decimals = 0,
  episodeReason: string | null = null,
): DisplayValue {
  if (record === null) return { text: '—', reason: 'no measurements yet' };
  const value = record[key];
  if (value === null || value === undefined) {
    const group = GROUP_OF[key];
    const reason = record.withheld[key] ?? (group === undefined ? undefined : record.withheld[group]);
    if (reason === 'rhythm_episode' && episodeReason !== null) return { text: '—', reason: episodeReason };
    return { text: '—', reason: reason === undefined ? 'not measured' : reasonText(reason) };
  }
  return { text: value.toFixed(decimals), reason: null };
}

/** The standard ECG gain ST is read at, mm/mV (1 mm = 100 µV), whatever the display gain. */
export const STANDARD_GAIN_MM_PER_MV = 10;

/** ST deviation in mm at the standard 10 mm/mV (1 mm = 100 µV); `gainMmPerMv` only for other scales. */
export function stMillimetres(stUv: number, gainMmPerMv: number = STANDARD_GAIN_MM_PER_MV): number {
  return (stUv / 1000) * gainMmPerMv;
}

export type Sex = 'female' | 'male' | 'other' | 'unknown';

/**
 * Upper limit of a normal QTc, ms, by sex: 450 for men, 460 for women (AHA/ACCF/HRS
 * recommendations for the standardization and interpretation of the ECG, part IV, Rautaharju et
 * al. 2009). Without a recorded sex the lower (men's) limit is used, so nothing long is missed.
 */
export function qtcLimitMs(sex: Sex | null): number {
  return sex === 'female' ? 460 : 450;
}

/**
 * A value outside a common adult reference range, in words ("wide: 120 ms or more"), or null.
 * QRS ≥ 120 ms (bundle-branch block range), PR > 200 ms (first-degree AV block range), QTc
 * above the sex-specific limit ({@link qtcLimitMs}). Marks for staff attention, not a diagnosis.
 */
export function outOfRange(key: MeasurementKey, value: number, sex: Sex | null): string | null {
  switch (key) {
    case 'qrsMs':
      return value >= 120 ? 'wide: 120 ms or more' : null;
    case 'prMs':
      return value > 200 ? 'long: over 200 ms' : null;
    case 'qtcBazettMs':
    case 'qtcFridericiaMs': {
      const limit = qtcLimitMs(sex);
      const whose = sex === 'female' ? 'women' : sex === 'male' ? 'men' : 'sex not recorded; men';
      return value > limit ? `long: over ${limit} ms (${whose})` : null;
    }
    default:
      return null;
  }
}

/** "over the last 10 s" — the window HRV and rate were measured over. */
export function windowText(windowMs: number): string {
  const s = Math.round(windowMs / 1000);
  return s >= 120 ? `last ${Math.round(s / 60)} min` : `last ${s} s`;
}

/** Signed text with explicit + for elevation, e.g. "+120 µV". */
export function signed(value: number, decimals = 0): string {
  const text = value.toFixed(decimals);
  return value > 0 ? `+${text}` : text.replace('-', '−');
}

/**
 * Seconds since the last record arrived, or null while it is fresh (or before any). Measured on
 * this screen's clock from the arrival time, so a gateway clock that differs from the browser's
 * (edge mode, another machine) cannot make old numbers look current.
 */
export function staleSeconds(receivedAtMs: number | null, nowMs: number): number | null {
  if (receivedAtMs === null) return null;
  const ageMs = nowMs - receivedAtMs;
  return ageMs > STALE_AFTER_MS ? Math.round(ageMs / 1000) : null;
}
