/**
 * Screen calibration: device pixels per real millimetre on this monitor, so that 25 mm/s is
 * 25 mm/s on the glass. Browsers assume 96 CSS px per inch, which is rarely true; staff hold a
 * bank card (ISO/IEC 7810 ID-1, 85.60 × 53.98 mm) to the screen and resize the drawn card until
 * it matches. Kept in this browser's localStorage (it belongs to the monitor, not the gateway).
 */

/** ISO/IEC 7810 ID-1 card size, mm. */
export const ID1_CARD_MM = { width: 85.6, height: 53.98 } as const;
/** Key of the stored calibration. */
export const CALIBRATION_KEY = 'pulsewatch.screenCalibration';
/** Key of the stored auto-gain choice. */
export const AUTO_GAIN_KEY = 'pulsewatch.ecgAutoGain';

/** Plausible CSS px per mm: 48–480 CSS px per inch. */
export const CSS_PX_PER_MM_RANGE = { min: 48 / 25.4, max: 480 / 25.4 } as const;

/** Saved scale: device pixels per millimetre (physical: unchanged by browser zoom on one monitor). */
export interface StoredCalibration {
  devicePxPerMm: number;
}

/** Plausible device px per mm (the renderer bundles no zod: the edge bootstrap must stay one file). */
const DEVICE_PX_PER_MM_RANGE = { min: 1, max: 100 } as const;

/** Parses a stored value; null when it is not a plausible calibration. */
export function parseCalibration(value: unknown): StoredCalibration | null {
  if (typeof value !== 'object' || value === null) return null;
  const keys = Object.keys(value);
  const px = (value as { devicePxPerMm?: unknown }).devicePxPerMm;
  if (keys.length !== 1 || typeof px !== 'number' || !Number.isFinite(px)) return null;
  if (px < DEVICE_PX_PER_MM_RANGE.min || px > DEVICE_PX_PER_MM_RANGE.max) return null;
  return { devicePxPerMm: px };
}

/** The browser's own assumption: 96 CSS px per inch. */
export function defaultDevicePxPerMm(devicePixelRatio: number): number {
  return (devicePixelRatio * 96) / 25.4;
}

/** The saved calibration, or null when none is saved or what is saved is not valid. */
export function loadCalibration(storage: Pick<Storage, 'getItem'>): StoredCalibration | null {
  try {
    const raw = storage.getItem(CALIBRATION_KEY);
    if (raw === null) return null;
    return parseCalibration(JSON.parse(raw));
  } catch {
    return null; // unreadable storage or JSON: fall back to the default
  }
}

/** Saves (or with null forgets) the calibration. */
export function saveCalibration(
  storage: Pick<Storage, 'setItem' | 'removeItem'>,
  value: StoredCalibration | null,
): void {
  if (value === null) storage.removeItem(CALIBRATION_KEY);
  else {
    const valid = parseCalibration(value);
    if (valid === null)
      throw new RangeError(`devicePxPerMm ${value.devicePxPerMm}: not a plausible screen scale`);
    storage.setItem(CALIBRATION_KEY, JSON.stringify(valid));
  }
}

/** Device px per mm to draw with: the saved calibration, else the browser's assumption. */
export function effectiveDevicePxPerMm(saved: StoredCalibration | null, devicePixelRatio: number): number {
  return saved?.devicePxPerMm ?? defaultDevicePxPerMm(devicePixelRatio);
}
