/**
 * Frontal-plane QRS axis from the net QRS areas of leads I and aVF.
 *
 * Lead I lies at 0° and aVF at +90° of the hexaxial reference system. For a heart vector H in the
 * Einthoven model, I = Hx and aVF = II − I/2 = (√3/2)·Hy, so the axis is atan2(2·aVF/√3, I) — the exact
 * form of the two-lead method (equivalently atan2(2·II − I, √3·I)); reading aVF as if it were Hy, as the
 * eyeball method does, pulls angles towards 0° by up to 5°. Net QRS areas are used (between QRS onset
 * and offset, relative to the PR-segment level, so baseline offset does not bias them).
 */

/** Three-class grouping used for scoring (../shared/data/README.md): normal −30°..+90°, LAD < −30°, RAD > +90°. */
export type AxisClass = 'normal' | 'left' | 'right';

/**
 * Net signed area (µV·s) of a lead between two sample indexes (inclusive start, exclusive end),
 * relative to a reference level (µV).
 */
export function netAreaMicrovoltSeconds(
  leadMicrovolts: ArrayLike<number>,
  from: number,
  to: number,
  levelMicrovolts: number,
  sampleRateHz: number,
): number {
  let sum = 0;
  for (let i = Math.max(0, from); i < Math.min(leadMicrovolts.length, to); i++)
    sum += leadMicrovolts[i]! - levelMicrovolts;
  return sum / sampleRateHz;
}

/**
 * Axis in degrees, in (−180, 180], from the net QRS areas of I and aVF (any common unit):
 * atan2(2·aVF/√3, I). Returns null when both areas are zero (no direction).
 */
export function qrsAxisDegrees(netAreaLeadI: number, netAreaLeadAvf: number): number | null {
  if (netAreaLeadI === 0 && netAreaLeadAvf === 0) return null;
  return (Math.atan2((2 * netAreaLeadAvf) / Math.sqrt(3), netAreaLeadI) * 180) / Math.PI;
}

/**
 * Three-class axis. Angles beyond −90° (the "northwest" or extreme axis) are grouped with right axis
 * deviation, as they are by most interpretation programs (extreme right axis deviation).
 * @param axisDegrees angle in (−180, 180].
 */
export function classifyAxis(axisDegrees: number): AxisClass {
  if (axisDegrees >= -30 && axisDegrees <= 90) return 'normal';
  if (axisDegrees < -30 && axisDegrees >= -90) return 'left';
  return 'right';
}
