/**
 * IIR filter design at run time, for any sampling rate.
 *
 * Filters are cascades of second-order sections (SOS), 5 coefficients per section
 * `[b0, b1, b2, a1, a2]` with a0 normalised to 1. Biquads follow R. Bristow-Johnson's
 * "Audio EQ Cookbook"; with the Butterworth section Qs below they are exactly the
 * bilinear-transform Butterworth filters with frequency pre-warping at the cutoff.
 */

/** Second-order sections, 5 coefficients per section: `[b0, b1, b2, a1, a2]` (a0 = 1). */
export type Sos = Float64Array;

/** Coefficients per second-order section. */
export const SOS_STRIDE = 5;

/** Thrown when a design parameter is out of range (stable `code`). */
export class FilterDesignError extends Error {
  readonly code = 'FILTER_DESIGN';
  constructor(message: string) {
    super(message);
    this.name = 'FilterDesignError';
  }
}

function checkFrequency(name: string, frequencyHz: number, sampleRateHz: number): void {
  if (!(sampleRateHz > 0) || !Number.isFinite(sampleRateHz)) {
    throw new FilterDesignError(`sampleRateHz must be a positive number, got ${sampleRateHz}`);
  }
  if (!(frequencyHz > 0) || frequencyHz >= sampleRateHz / 2) {
    throw new FilterDesignError(
      `${name} ${frequencyHz} Hz must lie between 0 and the Nyquist frequency ${sampleRateHz / 2} Hz`,
    );
  }
}

/**
 * Q of each second-order section of an order-`order` Butterworth filter: analog poles at
 * exp(jπ(2k + N + 1)/(2N)), k = 0 … N/2 - 1, so Q = -1 / (2 cos(π(2k + N + 1)/(2N))).
 */
function butterworthQs(order: number): number[] {
  const qs: number[] = [];
  for (let k = 0; k < Math.floor(order / 2); k++) {
    qs.push(-1 / (2 * Math.cos((Math.PI * (2 * k + order + 1)) / (2 * order))));
  }
  return qs;
}

function section(b0: number, b1: number, b2: number, a0: number, a1: number, a2: number): number[] {
  return [b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0];
}

function butterworth(kind: 'low' | 'high', order: number, cutoffHz: number, sampleRateHz: number): Sos {
  checkFrequency('cutoff', cutoffHz, sampleRateHz);
  if (!Number.isInteger(order) || order < 1 || order > 12) {
    throw new FilterDesignError(`order must be an integer from 1 to 12, got ${order}`);
  }
  const w0 = (2 * Math.PI * cutoffHz) / sampleRateHz;
  const cosW = Math.cos(w0);
  const coefficients: number[] = [];
  for (const q of butterworthQs(order)) {
    const alpha = Math.sin(w0) / (2 * q);
    if (kind === 'low') {
      coefficients.push(
        ...section((1 - cosW) / 2, 1 - cosW, (1 - cosW) / 2, 1 + alpha, -2 * cosW, 1 - alpha),
      );
    } else {
      coefficients.push(
        ...section((1 + cosW) / 2, -(1 + cosW), (1 + cosW) / 2, 1 + alpha, -2 * cosW, 1 - alpha),
      );
    }
  }
  if (order % 2 === 1) {
    // First-order bilinear section, pre-warped: K = tan(w0 / 2).
    const k = Math.tan(w0 / 2);
    const a1 = (k - 1) / (k + 1);
    if (kind === 'low') coefficients.push(k / (1 + k), k / (1 + k), 0, a1, 0);
    else coefficients.push(1 / (1 + k), -1 / (1 + k), 0, a1, 0);
  }
  return Float64Array.from(coefficients);
}

/** Butterworth low-pass of the given order (1–12), -3 dB at `cutoffHz`. */
export function butterworthLowpass(order: number, cutoffHz: number, sampleRateHz: number): Sos {
  return butterworth('low', order, cutoffHz, sampleRateHz);
}

/** Butterworth high-pass of the given order (1–12), -3 dB at `cutoffHz`. */
export function butterworthHighpass(order: number, cutoffHz: number, sampleRateHz: number): Sos {
  return butterworth('high', order, cutoffHz, sampleRateHz);
}

/**
 * Second-order notch centred on `centerHz` with a -3 dB bandwidth of `centerHz / q`
 * measured on the digital frequency axis (S. J. Orfanidis, "Introduction to Signal
 * Processing", 1996, §11.3: β = tan(Δω/2), b = 1/(1+β)), so the notch keeps its width even
 * near the Nyquist frequency. Default q 30: 1.7 Hz wide at 50 Hz, 2 Hz at 60 Hz.
 */
export function notch(centerHz: number, sampleRateHz: number, q = 30): Sos {
  checkFrequency('notch centre', centerHz, sampleRateHz);
  const w0 = (2 * Math.PI * centerHz) / sampleRateHz;
  const bandwidthRad = (2 * Math.PI * (centerHz / q)) / sampleRateHz;
  const b = 1 / (1 + Math.tan(bandwidthRad / 2));
  const cosW = Math.cos(w0);
  return Float64Array.from([b, -2 * b * cosW, b, -2 * b * cosW, 2 * b - 1]);
}

/** Concatenates cascades into one (order of application = argument order). */
export function cascade(...parts: Sos[]): Sos {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Complex frequency response of a cascade at `frequencyHz`: magnitude (linear) and phase (rad). */
export function sosResponse(
  sos: Sos,
  frequencyHz: number,
  sampleRateHz: number,
): { magnitude: number; phaseRad: number } {
  const w = (2 * Math.PI * frequencyHz) / sampleRateHz;
  const c1 = Math.cos(w);
  const s1 = Math.sin(w);
  const c2 = Math.cos(2 * w);
  const s2 = Math.sin(2 * w);
  let magnitude = 1;
  let phaseRad = 0;
  for (let i = 0; i < sos.length; i += SOS_STRIDE) {
    const [b0, b1, b2, a1, a2] = [sos[i]!, sos[i + 1]!, sos[i + 2]!, sos[i + 3]!, sos[i + 4]!];
    // H(e^-jw) = (b0 + b1 e^-jw + b2 e^-2jw) / (1 + a1 e^-jw + a2 e^-2jw)
    const nr = b0 + b1 * c1 + b2 * c2;
    const ni = -(b1 * s1 + b2 * s2);
    const dr = 1 + a1 * c1 + a2 * c2;
    const di = -(a1 * s1 + a2 * s2);
    magnitude *= Math.hypot(nr, ni) / Math.hypot(dr, di);
    phaseRad += Math.atan2(ni, nr) - Math.atan2(di, dr);
  }
  return { magnitude, phaseRad };
}

/** Magnitude response in dB. */
export function sosGainDb(sos: Sos, frequencyHz: number, sampleRateHz: number): number {
  return 20 * Math.log10(sosResponse(sos, frequencyHz, sampleRateHz).magnitude);
}

/**
 * Group delay of a cascade at `frequencyHz`, in samples (numerical derivative of the
 * unwrapped phase over ±0.01 Hz).
 */
export function groupDelaySamples(sos: Sos, frequencyHz: number, sampleRateHz: number): number {
  const df = Math.min(0.01, frequencyHz / 2, sampleRateHz / 4 - frequencyHz / 2);
  const lo = sosResponse(sos, frequencyHz - df, sampleRateHz).phaseRad;
  const hi = sosResponse(sos, frequencyHz + df, sampleRateHz).phaseRad;
  let dPhase = hi - lo;
  while (dPhase > Math.PI) dPhase -= 2 * Math.PI;
  while (dPhase < -Math.PI) dPhase += 2 * Math.PI;
  const dw = (2 * Math.PI * (2 * df)) / sampleRateHz;
  return -dPhase / dw;
}

/** True when every section's poles lie strictly inside the unit circle (Jury's test for a biquad). */
export function isStable(sos: Sos): boolean {
  for (let i = 0; i < sos.length; i += SOS_STRIDE) {
    const a1 = sos[i + 3]!;
    const a2 = sos[i + 4]!;
    if (!(Math.abs(a2) < 1 && Math.abs(a1) < 1 + a2)) return false;
  }
  return true;
}
