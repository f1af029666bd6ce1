import { describe, expect, it } from 'vitest';
import {
  butterworthHighpass,
  butterworthLowpass,
  FilterDesignError,
  isStable,
  notch,
  sosGainDb,
} from '../../../main/dsp/filters-design.js';
import { filtfilt, sosFilter, SosFilter, SosFilterBank } from '../../../main/dsp/filters.js';
import {
  designEcgFilter,
  designMainsNotch,
  ecgFilterLatencyMs,
  filterEcgZeroPhase,
  LiveEcgFilter,
  MEASUREMENT_FILTER_DEFAULTS,
} from '../../../main/dsp/filters-ecg.js';

const RATES = [80, 128, 250, 360, 500, 1000];

function sine(frequencyHz: number, sampleRateHz: number, seconds: number, phase = 0): Float64Array {
  const n = Math.round(seconds * sampleRateHz);
  return Float64Array.from({ length: n }, (_, i) =>
    Math.sin((2 * Math.PI * frequencyHz * i) / sampleRateHz + phase),
  );
}

function rms(x: Float64Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / (to - from));
}

function gaussianPulse(n: number, center: number, sigmaSamples: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => Math.exp(-(((i - center) / sigmaSamples) ** 2) / 2));
}

function argMax(x: Float64Array): number {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (x[i]! > x[best]!) best = i;
  return best;
}

describe('Butterworth design', () => {
  it.each(RATES)('is -3 dB at the cut-off, unity at DC and stable at %d Hz', (fs) => {
    for (const order of [1, 2, 3, 4]) {
      const lp = butterworthLowpass(order, 0.2 * fs, fs);
      const hp = butterworthHighpass(order, 0.5, fs);
      expect(sosGainDb(lp, 0.2 * fs, fs)).toBeCloseTo(-3.01, 1);
      expect(sosGainDb(lp, 1e-6, fs)).toBeCloseTo(0, 6);
      expect(sosGainDb(hp, 0.5, fs)).toBeCloseTo(-3.01, 1);
      expect(sosGainDb(hp, 0.45 * fs, fs)).toBeCloseTo(0, 2);
      expect(isStable(lp) && isStable(hp)).toBe(true);
    }
  });

  it('rejects cut-offs outside (0, Nyquist) with a named error', () => {
    expect(() => butterworthLowpass(2, 40, 80)).toThrow(FilterDesignError);
    expect(() => butterworthHighpass(2, 0, 500)).toThrow(/cutoff 0 Hz/);
    expect(() => notch(50, 0)).toThrow(FilterDesignError);
  });

  it('measured sine gain of the running filter matches the designed response', () => {
    const fs = 250;
    const sos = butterworthLowpass(4, 40, fs);
    for (const f of [10, 40, 60]) {
      const y = sosFilter(sos, sine(f, fs, 4));
      const measuredDb = 20 * Math.log10(rms(y, fs * 2) / Math.SQRT1_2);
      expect(measuredDb).toBeCloseTo(sosGainDb(sos, f, fs), 1);
    }
  });
});

describe('ECG chains', () => {
  it.each(RATES)('live chain at %d Hz: stable, flat within 0.5 dB over 1-25 Hz, latency stated', (fs) => {
    const sos = designEcgFilter({ sampleRateHz: fs, mainsHz: 50 });
    expect(isStable(sos)).toBe(true);
    for (const f of [1, 2, 5, 10, 15, 20, 25]) expect(Math.abs(sosGainDb(sos, f, fs))).toBeLessThan(0.5);
    const latency = ecgFilterLatencyMs({ sampleRateHz: fs });
    expect(latency).toBeGreaterThan(0);
    expect(latency).toBeLessThan(15);
  });

  it.each(RATES)('impulse response at %d Hz is finite and decays to nothing within 10 s', (fs) => {
    const impulse = new Float64Array(20 * fs);
    impulse[0] = 1;
    const h = sosFilter(designEcgFilter({ sampleRateHz: fs, mainsHz: 60 }), impulse);
    expect(h.every(Number.isFinite)).toBe(true);
    let tail = 0;
    for (let i = 10 * fs; i < h.length; i++) tail = Math.max(tail, Math.abs(h[i]!));
    expect(tail).toBeLessThan(1e-6);
  });

  it.each(RATES)('step response at %d Hz: baseline removal returns to zero', (fs) => {
    const step = new Float64Array(10 * fs).fill(1000);
    const y = sosFilter(designEcgFilter({ sampleRateHz: fs }), step);
    expect(Math.abs(y[y.length - 1]!)).toBeLessThan(1);
    // the low-pass alone passes a step unchanged (unity DC gain)
    const lp = sosFilter(butterworthLowpass(4, Math.min(40, 0.45 * fs), fs), step);
    expect(lp[lp.length - 1]!).toBeCloseTo(1000, 6);
  });

  it.each([
    [128, 50],
    [128, 60],
    [250, 50],
    [250, 60],
    [360, 60],
    [500, 50],
    [1000, 60],
  ] as const)('notch at %d Hz removes %d Hz mains by at least 40 dB', (fs, mains) => {
    const sos = designEcgFilter({ sampleRateHz: fs, mainsHz: mains, lowpassHz: 0 });
    expect(sosGainDb(sos, mains, fs)).toBeLessThan(-40);
    // measured on a running sine, after the notch's settling
    const y = sosFilter(sos, sine(mains, fs, 6));
    expect(rms(y, 4 * fs)).toBeLessThan(0.01 * Math.SQRT1_2);
    // and flat a few Hz away
    expect(Math.abs(sosGainDb(sos, mains - 5, fs))).toBeLessThan(0.5);
  });

  it('applies the notch only where mains is below Nyquist', () => {
    expect(designMainsNotch(80, 50)).toBeUndefined();
    expect(designMainsNotch(80, 60)).toBeUndefined();
    expect(designMainsNotch(100, 50)).toBeUndefined();
    expect(designMainsNotch(128, 60)).toBeDefined();
    expect(designMainsNotch(500, 'off')).toBeUndefined();
  });

  it.each(RATES)('zero-phase measurement filter at %d Hz does not move a QRS-like pulse', (fs) => {
    const n = 6 * fs;
    const center = 3 * fs + 7;
    const pulse = gaussianPulse(n, center, 0.012 * fs);
    const zero = filterEcgZeroPhase(pulse, { sampleRateHz: fs, mainsHz: 50 });
    expect(argMax(zero)).toBe(center);
    const live = sosFilter(designEcgFilter({ sampleRateHz: fs, mainsHz: 50 }), pulse);
    // the causal chain delays it (by about its stated latency, under one sample at 80 Hz)
    expect(argMax(live)).toBeGreaterThanOrEqual(center);
    if (fs >= 250) expect(argMax(live)).toBeGreaterThan(center);
  });

  it('zero-phase filtering keeps a passband sine in phase and amplitude', () => {
    const fs = 500;
    const x = sine(8, fs, 10, 0.3);
    const y = filterEcgZeroPhase(x, { sampleRateHz: fs, ...MEASUREMENT_FILTER_DEFAULTS });
    let maxError = 0;
    // away from the edges, where the 0.67 Hz high-pass's padding transient has died out
    for (let i = 2 * fs; i < x.length - 2 * fs; i++) maxError = Math.max(maxError, Math.abs(y[i]! - x[i]!));
    expect(maxError).toBeLessThan(0.01);
  });

  it('filtfilt of a constant removes it entirely with a high-pass and keeps it with a low-pass', () => {
    const x = new Float64Array(2000).fill(5);
    const hp = filtfilt(butterworthHighpass(2, 0.5, 250), x, 1500);
    const lp = filtfilt(butterworthLowpass(2, 20, 250), x);
    expect(Math.max(...hp.map(Math.abs))).toBeLessThan(1e-9);
    expect(Math.max(...lp.map((v) => Math.abs(v - 5)))).toBeLessThan(1e-9);
  });
});

describe('streaming state', () => {
  it('a filter bank gives each channel exactly what a single filter gives', () => {
    const sos = designEcgFilter({ sampleRateHz: 500 });
    const a = sine(7, 500, 2);
    const b = sine(23, 500, 2, 1);
    const bank = new SosFilterBank(sos, 2);
    const single = new SosFilter(sos);
    const frame = new Float64Array(2);
    for (let i = 0; i < a.length; i++) {
      frame[0] = a[i]!;
      frame[1] = b[i]!;
      bank.stepFrame(frame, frame);
      expect(frame[0]).toBe(single.step(a[i]!));
    }
  });

  it('the live filter starts in steady state: a constant offset produces no swing', () => {
    const live = new LiveEcgFilter({ sampleRateHz: 500 }, 3);
    const out = new Float64Array(3);
    let max = 0;
    for (let i = 0; i < 2000; i++) {
      live.stepFrame([1000, -2000, 30], out);
      max = Math.max(max, ...Array.from(out, Math.abs));
    }
    expect(max).toBeLessThan(1e-6);
  });

  it('holds the last finite value over a NaN or Infinity sample instead of being poisoned', () => {
    const live = new LiveEcgFilter({ sampleRateHz: 250 }, 1);
    const out = new Float64Array(1);
    const x = sine(10, 250, 2);
    x[100] = NaN;
    x[200] = Infinity;
    for (const v of x) {
      live.stepFrame([v], out);
      expect(Number.isFinite(out[0])).toBe(true);
    }
  });
});
