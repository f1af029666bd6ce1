/**
 * Frontal-plane QRS axis from the net QRS areas of leads I and aVF.
 *
 * Lead I lies at 0° and aVF at +90° of the hexaxial reference system. For a heart vector H in the
 * Einthoven model, I = Hx and aVF = II − I/2 = (√3/2)·Hy, so the axis is atan2(2·aVF/√3, I) — the exact
 * form of the two-lead method (equivalently atan2(2·II − I, √3·I)); reading aVF as if it were Hy, as the
 * eyeball method does, pulls angles towards 0° by up to 5°. Net QRS areas are used (between QRS onset
 * and offset), relative to each lead's level at the QRS onset: the CSE / IEC 60601-2-51 reference for QRS
 * amplitudes, which unlike the PR-segment mean is not pulled by the P wave's tail or the atrial
 * repolarisation (Ta) wave when the PR segment is short ({@link onsetLevel}: the last 12 ms up to the onset).
 *
 * The recording's axis is the median of the per-beat axes ({@link medianBeatAxisDegrees}), not the axis of
 * median areas: where one lead's net area nearly cancels (wide or biphasic complexes), the median of each
 * lead's areas can come from different beats and give a direction no beat has. The beats are those of
 * {@link axisBeatBounds}: every complete cardiac cycle, whatever its class, as in the axis computed from
 * a cardiologist's delineation of every complex (../shared/data/README.md).
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

/**
 * Span before the QRS onset over which a lead's onset level is averaged, s. One sample carries the lead's
 * high-frequency noise (muscle, mains residue: ±50 µV and more on noisy LUDB records), and its error,
 * times the QRS duration, enters the net area; the mean of the last few samples before the onset carries
 * less of it, and none of the QRS's first deflection, which a span centred on an onset placed a few ms
 * late would take in. On LUDB 1–100 (`npm run bench -- intervals`), against the delineation axis: median
 * |difference| 2.2° with ±2 ms around the onset, 1.4° with this span (10 and 14 ms: 1.4° and 1.2°; 95 %
 * of records within 10° with each, 94 % with ±2 ms).
 */
const ONSET_LEVEL_SPAN_S = 0.012;

/** Level of a lead at its QRS onset: the mean over the {@link ONSET_LEVEL_SPAN_S} up to the onset sample (that sample alone at low rates). */
export function onsetLevel(lead: ArrayLike<number>, onset: number, sampleRateHz: number): number {
  const span = Math.round(ONSET_LEVEL_SPAN_S * sampleRateHz);
  let sum = 0;
  let count = 0;
  for (let i = Math.max(0, onset - span); i <= Math.min(lead.length - 1, onset); i++) {
    sum += lead[i]!;
    count++;
  }
  return count > 0 ? sum / count : 0;
}

/**
 * Per-beat axes (net QRS areas of I and aVF relative to their levels at the QRS onset) and their median.
 * The median is taken on the circle: angles are unwrapped around the circular mean direction first, so a
 * spread across ±180° does not split. Returns null when no beat has a direction.
 * @param bounds per beat, QRS onset and offset (sample indexes, offset inclusive).
 */
export function medianBeatAxisDegrees(
  leadI: ArrayLike<number>,
  leadAvf: ArrayLike<number>,
  bounds: readonly (readonly [number, number])[],
  sampleRateHz: number,
): number | null {
  const angles: number[] = [];
  for (const [on, off] of bounds) {
    const areaI = netAreaMicrovoltSeconds(
      leadI,
      on,
      off + 1,
      onsetLevel(leadI, on, sampleRateHz),
      sampleRateHz,
    );
    const areaF = netAreaMicrovoltSeconds(
      leadAvf,
      on,
      off + 1,
      onsetLevel(leadAvf, on, sampleRateHz),
      sampleRateHz,
    );
    const angle = qrsAxisDegrees(areaI, areaF);
    if (angle !== null) angles.push(angle);
  }
  if (angles.length === 0) return null;
  const rad = Math.PI / 180;
  const centre =
    Math.atan2(
      angles.reduce((a, d) => a + Math.sin(d * rad), 0),
      angles.reduce((a, d) => a + Math.cos(d * rad), 0),
    ) / rad;
  const unwrapped = angles
    .map((d) => centre + ((((d - centre) % 360) + 540) % 360) - 180)
    .sort((a, b) => a - b);
  const m = unwrapped.length;
  const mid = m % 2 === 1 ? unwrapped[m >> 1]! : (unwrapped[m / 2 - 1]! + unwrapped[m / 2]!) / 2;
  const wrapped = ((((mid + 180) % 360) + 360) % 360) - 180;
  return wrapped === -180 ? 180 : wrapped;
}

/** QRS bounds of one delineated beat (sample indexes; null where the delineation found none). */
export interface QrsBounds {
  readonly qrsOnset: number | null;
  readonly qrsOffset: number | null;
}

/**
 * The beats the recording's axis is the median over: every beat with a delineated QRS onset and offset,
 * of any class (the frontal axis is a property of each complex, and the reference defines the recording's
 * as the median over all of them: where paced and intrinsic complexes alternate, keeping only the beats
 * called N would keep one of the two shapes), except the first and the last beat of the recording, whose
 * cycles are cut by its edges (no RR before or after, the filters' edge transients in their baseline) and
 * which a delineation of the strip leaves out too.
 * @param beats in time order.
 */
export function axisBeatBounds(beats: readonly QrsBounds[]): [number, number][] {
  const out: [number, number][] = [];
  beats.forEach((b, k) => {
    if (k === 0 || k === beats.length - 1) return;
    if (b.qrsOnset !== null && b.qrsOffset !== null) out.push([b.qrsOnset, b.qrsOffset]);
  });
  return out;
}
