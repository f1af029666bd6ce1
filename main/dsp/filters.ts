/**
 * Running second-order-section cascades: a causal streaming filter (sample by sample,
 * state in typed arrays, no allocation per sample), a multi-channel bank of the same, a
 * one-shot causal pass over an array, and a zero-phase forward-backward pass.
 *
 * Sections run in transposed direct form II, in float64.
 */
import { SOS_STRIDE, type Sos } from './filters-design.js';

/** Samples on which filters operate: any numeric array. */
export type Samples = ArrayLike<number>;

/** DC gain of one section (b0 + b1 + b2) / (1 + a1 + a2); 0 for a section that blocks DC. */
function sectionDcGain(sos: Sos, i: number): number {
  const den = 1 + sos[i + 3]! + sos[i + 4]!;
  const num = sos[i]! + sos[i + 1]! + sos[i + 2]!;
  return Math.abs(den) < 1e-300 ? 0 : num / den;
}

/**
 * Writes into `state` (2 per section, from `offset`) the steady state the cascade reaches
 * after a constant input `x0` (as scipy's `sosfilt_zi` × x0), so a filter starts without
 * a step transient.
 */
export function steadyState(sos: Sos, x0: number, state: Float64Array, offset = 0): void {
  let x = x0;
  for (let i = 0, s = offset; i < sos.length; i += SOS_STRIDE, s += 2) {
    const y = sectionDcGain(sos, i) * x;
    const z2 = sos[i + 2]! * x - sos[i + 4]! * y;
    state[s + 1] = z2;
    state[s] = sos[i + 1]! * x - sos[i + 3]! * y + z2;
    x = y;
  }
}

/**
 * A causal streaming filter: `step(x)` returns the output for one input sample.
 * Latency is the cascade's group delay (see `groupDelaySamples`); no look-ahead.
 */
export class SosFilter {
  readonly sos: Sos;
  private readonly state: Float64Array;

  constructor(sos: Sos) {
    this.sos = sos;
    this.state = new Float64Array((sos.length / SOS_STRIDE) * 2);
  }

  /** Clears the state; with `x0`, starts as if `x0` had been the input forever. */
  reset(x0?: number): void {
    if (x0 === undefined) this.state.fill(0);
    else steadyState(this.sos, x0, this.state);
  }

  /** Filters one sample. */
  step(input: number): number {
    const sos = this.sos;
    const z = this.state;
    let x = input;
    for (let i = 0, s = 0; i < sos.length; i += SOS_STRIDE, s += 2) {
      const y = sos[i]! * x + z[s]!;
      z[s] = sos[i + 1]! * x - sos[i + 3]! * y + z[s + 1]!;
      z[s + 1] = sos[i + 2]! * x - sos[i + 4]! * y;
      x = y;
    }
    return x;
  }

  /** Filters `input` into `output` (may be the same array). */
  process(input: Samples, output: Float64Array | Float32Array): void {
    for (let n = 0; n < input.length; n++) output[n] = this.step(input[n]!);
  }
}

/**
 * The same cascade run independently on `channelCount` channels (one state per channel),
 * for multi-lead live filtering without one object per lead.
 */
export class SosFilterBank {
  readonly sos: Sos;
  readonly channelCount: number;
  private readonly state: Float64Array;
  private readonly statePerChannel: number;

  constructor(sos: Sos, channelCount: number) {
    this.sos = sos;
    this.channelCount = channelCount;
    this.statePerChannel = (sos.length / SOS_STRIDE) * 2;
    this.state = new Float64Array(this.statePerChannel * channelCount);
  }

  /** Clears every channel's state; with `x0`, steady state for constant input `x0[channel]`. */
  reset(x0?: Samples): void {
    if (x0 === undefined) {
      this.state.fill(0);
      return;
    }
    for (let c = 0; c < this.channelCount; c++)
      steadyState(this.sos, x0[c] ?? 0, this.state, c * this.statePerChannel);
  }

  /** Filters one sample of `channel`. */
  step(channel: number, input: number): number {
    const sos = this.sos;
    const z = this.state;
    let x = input;
    for (let i = 0, s = channel * this.statePerChannel; i < sos.length; i += SOS_STRIDE, s += 2) {
      const y = sos[i]! * x + z[s]!;
      z[s] = sos[i + 1]! * x - sos[i + 3]! * y + z[s + 1]!;
      z[s + 1] = sos[i + 2]! * x - sos[i + 4]! * y;
      x = y;
    }
    return x;
  }

  /** Filters one frame (one sample per channel) from `input` into `output` (may alias). */
  stepFrame(input: Samples, output: Float64Array | Float32Array): void {
    for (let c = 0; c < this.channelCount; c++) output[c] = this.step(c, input[c]!);
  }
}

/**
 * Replaces non-finite samples (NaN, ±Infinity: a dropped or invalid sample) by the lead's
 * last finite value, so one bad sample cannot poison a recursive filter's state forever.
 */
export class FiniteGuard {
  private readonly last: Float64Array;
  private readonly out: Float64Array;

  constructor(channelCount: number) {
    this.last = new Float64Array(channelCount);
    this.out = new Float64Array(channelCount);
  }

  /** The frame with non-finite values replaced (an internal buffer, valid until the next call). */
  apply(frame: Samples): Float64Array {
    for (let c = 0; c < this.out.length; c++) {
      const x = frame[c]!;
      if (Number.isFinite(x)) this.last[c] = x;
      this.out[c] = this.last[c]!;
    }
    return this.out;
  }
}

/** One causal pass over `input`; `initial: 'steady'` starts in steady state for the first sample. */
export function sosFilter(sos: Sos, input: Samples, initial: 'zero' | 'steady' = 'zero'): Float64Array {
  const filter = new SosFilter(sos);
  if (initial === 'steady' && input.length > 0) filter.reset(input[0]);
  const out = new Float64Array(input.length);
  filter.process(input, out);
  return out;
}

/**
 * Zero-phase filtering (forward then backward pass, as `scipy.signal.sosfiltfilt`): no
 * delay at any frequency, magnitude response squared. The ends are extended by odd
 * reflection of `padSamples` samples (default: 3 × section count × 2, raise it for very
 * low cut-offs) and each pass starts in steady state, so edges carry no step transient.
 */
export function filtfilt(sos: Sos, input: Samples, padSamples?: number): Float64Array {
  const n = input.length;
  if (n === 0) return new Float64Array(0);
  const pad = Math.max(0, Math.min(n - 1, Math.round(padSamples ?? 3 * (sos.length / SOS_STRIDE) * 2)));
  const ext = new Float64Array(n + 2 * pad);
  const first = input[0]!;
  const last = input[n - 1]!;
  for (let i = 0; i < pad; i++) ext[i] = 2 * first - input[pad - i]!;
  for (let i = 0; i < n; i++) ext[pad + i] = input[i]!;
  for (let i = 0; i < pad; i++) ext[pad + n + i] = 2 * last - input[n - 2 - i]!;
  const filter = new SosFilter(sos);
  filter.reset(ext[0]);
  filter.process(ext, ext);
  ext.reverse();
  filter.reset(ext[0]);
  filter.process(ext, ext);
  ext.reverse();
  return ext.slice(pad, pad + n);
}
