/**
 * Synthetic 8-channel (I, II, V1–V6) ECG for demo mode, the ECG-12 simulator and tests: deterministic
 * from a seed, streamable sample by sample or in blocks (the same samples either way), with the time
 * and class of every beat known exactly.
 *
 * Model: the z-equation of ECGSYN (McSharry, Clifford, Tarassenko, Smith, IEEE TBME 50(3):289–294, 2003),
 *   dz/dt = −Σᵢ aᵢ ω Δθᵢ exp(−Δθᵢ² / 2bᵢ²) − (z − z₀),
 * one z per lead with that lead's amplitudes, integrated by RK4 (steps ≤ 0.5 ms). ECGSYN's (x, y) limit
 * cycle only supplies the phase θ advancing at ω = 2π/RR; here each beat carries its own phase, zero at
 * its R time, so beat times are exact and ectopic beats keep their own morphology: P and T terms run on
 * a time scale of √RR s (so QT follows the rate roughly as Bazett's law has it), Q, R, S on 1 s (QRS width
 * independent of rate, as in life). The RR process and ectopic timing: synthetic-rr.ts; wave tables:
 * synthetic-waves.ts. Noise added after the model: baseline wander (respiration at 0.25 Hz plus a slow
 * random walk, τ = 3 s), mains (50 or 60 Hz), and white muscle (EMG) noise, each with its own amplitude.
 *
 * Derive the 12 leads from the 8 channels with `deriveLeads` / `deriveFrame` (leads.ts).
 */
import { SeededRandom } from './synthetic-prng.js';
import { BeatPlanner, RrProcess, type PlannedBeat } from './synthetic-rr.js';
import { waveTableFor, type SyntheticBeatClass } from './synthetic-waves.js';

export type { SyntheticBeatClass } from './synthetic-waves.js';

/** Channels produced, in order. */
export const SYNTHETIC_CHANNELS = ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as const;

/** ECG-12 unit's default scale: nanovolts per count. */
export const DEFAULT_LSB_NANOVOLTS = 476.84;

/** Noise amplitudes, µV (0 = off). */
export interface SyntheticNoiseOptions {
  /** Peak amplitude of the respiratory baseline wander; the random walk adds half that as SD. */
  readonly baselineWanderMicrovolts: number;
  /** Mains frequency, Hz. */
  readonly mainsHz: 50 | 60;
  /** Peak mains amplitude. */
  readonly mainsMicrovolts: number;
  /** RMS of the white muscle noise. */
  readonly emgMicrovolts: number;
}

/** Generator settings; every field has a default. */
export interface SyntheticEcgOptions {
  /** Seed of every random choice (RR process, ectopic beats, noise). Default 1. */
  readonly seed: number;
  /** Output rate, Hz. Default 500. */
  readonly sampleRateHz: number;
  /** Mean sinus rate, bpm. Default 70. */
  readonly heartRateBpm: number;
  /** SD of sinus RR intervals, ms. Default 20. */
  readonly rrStdMs: number;
  /** LF/HF ratio of the RR spectrum. Default 0.5 (ECGSYN). */
  readonly lfHfRatio: number;
  /** Probability per beat of a PVC / PAC. Default 0. */
  readonly pvcProbability: number;
  readonly pacProbability: number;
  /** Beat numbers (0-based) forced to a class. Default none. */
  readonly forcedClasses: Readonly<Record<number, SyntheticBeatClass>>;
  /** Noise. Default: none. */
  readonly noise: SyntheticNoiseOptions;
  /** Count scale, nV per count. Default {@link DEFAULT_LSB_NANOVOLTS}. */
  readonly lsbNanovolts: number;
}

/** A generated beat: R-wave sample index (exact), its time from the first sample (ms), and class. */
export interface SyntheticBeat {
  readonly sampleIndex: number;
  readonly timeMs: number;
  readonly beatClass: SyntheticBeatClass;
}

/** A block of output. */
export interface SyntheticBlock {
  /** Index of the block's first sample since the generator started. */
  readonly startSample: number;
  /** Per channel (SYNTHETIC_CHANNELS order), µV. */
  readonly microvolts: Float64Array[];
  /** Per channel, device counts: round(µV × 1000 / lsbNanovolts). */
  readonly counts: Int32Array[];
  /** Beats whose R wave falls in this block. */
  readonly beats: SyntheticBeat[];
}

/** Invalid generator settings (stable `code`). */
export class SyntheticEcgError extends Error {
  readonly code = 'SYNTHETIC_OPTIONS';
  constructor(message: string) {
    super(message);
    this.name = 'SyntheticEcgError';
  }
}

const DEFAULTS: SyntheticEcgOptions = {
  seed: 1,
  sampleRateHz: 500,
  heartRateBpm: 70,
  rrStdMs: 20,
  lfHfRatio: 0.5,
  pvcProbability: 0,
  pacProbability: 0,
  forcedClasses: {},
  noise: { baselineWanderMicrovolts: 0, mainsHz: 50, mainsMicrovolts: 0, emgMicrovolts: 0 },
  lsbNanovolts: DEFAULT_LSB_NANOVOLTS,
};

function validate(o: SyntheticEcgOptions): void {
  const bad = (name: string, value: number): never => {
    throw new SyntheticEcgError(`${name} out of range: ${value}`);
  };
  if (!(o.sampleRateHz >= 50 && o.sampleRateHz <= 10_000)) bad('sampleRateHz', o.sampleRateHz);
  if (!(o.heartRateBpm >= 20 && o.heartRateBpm <= 250)) bad('heartRateBpm', o.heartRateBpm);
  if (!(o.rrStdMs >= 0 && o.rrStdMs <= 300)) bad('rrStdMs', o.rrStdMs);
  if (!(o.lfHfRatio > 0)) bad('lfHfRatio', o.lfHfRatio);
  if (!(o.pvcProbability >= 0 && o.pacProbability >= 0 && o.pvcProbability + o.pacProbability <= 1)) {
    bad('pvcProbability + pacProbability', o.pvcProbability + o.pacProbability);
  }
  if (!(o.lsbNanovolts > 0)) bad('lsbNanovolts', o.lsbNanovolts);
}

/** One wave of one beat, ready to evaluate: centre time, width and per-lead coefficient. */
interface ActiveWave {
  readonly centreS: number;
  /** Phase per second (ω), rad/s. */
  readonly omega: number;
  readonly widthRad: number;
  /** Per lead: peak / b² (the model's aᵢ), mV. */
  readonly coefficient: Float64Array;
}

const LEADS = SYNTHETIC_CHANNELS.length;
const RELAXATION_PER_S = 1;
const WANDER_TAU_S = 3;
const RESPIRATION_HZ = 0.25;

/** The generator (stateful; one instance per stream). */
export class SyntheticEcg {
  readonly options: SyntheticEcgOptions;
  private readonly planner: BeatPlanner;
  private readonly rr: RrProcess;
  private readonly noiseRandom: SeededRandom;
  private readonly pending: PlannedBeat[] = [];
  private waves: ActiveWave[] = [];
  private readonly z = new Float64Array(LEADS);
  private readonly k = [
    new Float64Array(LEADS),
    new Float64Array(LEADS),
    new Float64Array(LEADS),
    new Float64Array(LEADS),
  ];
  private readonly tmp = new Float64Array(LEADS);
  private readonly countFrame = new Float64Array(LEADS);
  private readonly walk = new Float64Array(LEADS);
  private readonly leadPhase = new Float64Array(LEADS);
  private readonly substeps: number;
  private sample = 0;
  private plannedUntilS = -Infinity;

  constructor(options: Partial<SyntheticEcgOptions> = {}) {
    this.options = { ...DEFAULTS, ...options, noise: { ...DEFAULTS.noise, ...options.noise } };
    validate(this.options);
    const beatRandom = new SeededRandom(this.options.seed);
    this.rr = new RrProcess(this.options, beatRandom);
    this.planner = new BeatPlanner(this.rr, this.options, beatRandom);
    this.noiseRandom = new SeededRandom((this.options.seed ^ 0x5bd1e995) >>> 0);
    for (let l = 0; l < LEADS; l++) this.leadPhase[l] = 2 * Math.PI * this.noiseRandom.uniform();
    this.substeps = Math.max(1, Math.ceil(2000 / this.options.sampleRateHz));
  }

  /** Samples produced so far. */
  get samplesProduced(): number {
    return this.sample;
  }

  /**
   * Produces the next sample of every channel into `outMicrovolts` (length ≥ 8, µV) and returns the beat
   * whose R wave is at this sample, if any.
   */
  step(outMicrovolts: Float64Array): SyntheticBeat | undefined {
    const fs = this.options.sampleRateHz;
    const tS = this.sample / fs;
    this.plan(tS);
    let beat: SyntheticBeat | undefined;
    const head = this.pending[0];
    if (head !== undefined && head.sampleIndex === this.sample) {
      this.pending.shift();
      beat = {
        sampleIndex: head.sampleIndex,
        timeMs: (head.sampleIndex * 1000) / fs,
        beatClass: head.beatClass,
      };
    }
    this.addNoise(tS, outMicrovolts);
    this.integrate(tS, 1 / fs);
    this.sample++;
    return beat;
  }

  /**
   * Like {@link step}, but writes device counts (round(µV × 1000 / lsbNanovolts)) into `outCounts`
   * (length ≥ 8) — what the ECG-12 simulator puts on the wire.
   */
  stepCounts(outCounts: Int32Array): SyntheticBeat | undefined {
    const beat = this.step(this.countFrame);
    const scale = 1000 / this.options.lsbNanovolts;
    for (let l = 0; l < LEADS; l++) outCounts[l] = Math.round(this.countFrame[l]! * scale);
    return beat;
  }

  /** Produces `sampleCount` samples: µV, counts and the beats inside the block. */
  nextBlock(sampleCount: number): SyntheticBlock {
    const startSample = this.sample;
    const microvolts = SYNTHETIC_CHANNELS.map(() => new Float64Array(sampleCount));
    const counts = SYNTHETIC_CHANNELS.map(() => new Int32Array(sampleCount));
    const beats: SyntheticBeat[] = [];
    const frame = new Float64Array(LEADS);
    const scale = 1000 / this.options.lsbNanovolts;
    for (let n = 0; n < sampleCount; n++) {
      const beat = this.step(frame);
      if (beat !== undefined) beats.push(beat);
      for (let l = 0; l < LEADS; l++) {
        microvolts[l]![n] = frame[l]!;
        counts[l]![n] = Math.round(frame[l]! * scale);
      }
    }
    return { startSample, microvolts, counts, beats };
  }

  /** Keeps beats planned 2 s ahead and the waves of beats within reach of time t. */
  private plan(tS: number): void {
    const fs = this.options.sampleRateHz;
    while (this.plannedUntilS < tS + 2) {
      const beat = this.planner.next();
      this.pending.push(beat);
      this.plannedUntilS = beat.sampleIndex / fs;
      this.addWaves(beat);
    }
    this.waves = this.waves.filter((w) => w.centreS + (6 * w.widthRad) / w.omega > tS - 0.01);
  }

  private addWaves(beat: PlannedBeat): void {
    const table = waveTableFor(beat.beatClass);
    const rS = beat.sampleIndex / this.options.sampleRateHz;
    const pqrstScaleS = Math.sqrt(this.rr.rrAtS(rS));
    for (let i = 0; i < 5; i++) {
      const timeScaleS = i === 0 || i === 4 ? pqrstScaleS : 1;
      const omega = (2 * Math.PI) / timeScaleS;
      const widthRad = table.widthRad[i]!;
      const coefficient = new Float64Array(LEADS);
      for (let l = 0; l < LEADS; l++) coefficient[l] = table.peakMillivolts[l]![i]! / (widthRad * widthRad);
      if (coefficient.every((c) => c === 0)) continue;
      this.waves.push({ centreS: rS + table.thetaRad[i]! / omega, omega, widthRad, coefficient });
    }
  }

  /** dz/dt at time t for state z, into out (mV/s). */
  private derivative(tS: number, z: Float64Array, out: Float64Array): void {
    for (let l = 0; l < LEADS; l++) out[l] = -RELAXATION_PER_S * z[l]!;
    for (const w of this.waves) {
      const dTheta = (tS - w.centreS) * w.omega;
      if (Math.abs(dTheta) > 6 * w.widthRad) continue;
      const g = w.omega * dTheta * Math.exp((-dTheta * dTheta) / (2 * w.widthRad * w.widthRad));
      for (let l = 0; l < LEADS; l++) out[l] = out[l]! - w.coefficient[l]! * g;
    }
  }

  /** RK4 from t over dt in `substeps` steps. */
  private integrate(tS: number, dtS: number): void {
    const h = dtS / this.substeps;
    const [k1, k2, k3, k4] = this.k as [Float64Array, Float64Array, Float64Array, Float64Array];
    const z = this.z;
    const tmp = this.tmp;
    for (let s = 0; s < this.substeps; s++) {
      const t = tS + s * h;
      this.derivative(t, z, k1);
      for (let l = 0; l < LEADS; l++) tmp[l] = z[l]! + (h / 2) * k1[l]!;
      this.derivative(t + h / 2, tmp, k2);
      for (let l = 0; l < LEADS; l++) tmp[l] = z[l]! + (h / 2) * k2[l]!;
      this.derivative(t + h / 2, tmp, k3);
      for (let l = 0; l < LEADS; l++) tmp[l] = z[l]! + h * k3[l]!;
      this.derivative(t + h, tmp, k4);
      for (let l = 0; l < LEADS; l++) z[l] = z[l]! + (h / 6) * (k1[l]! + 2 * k2[l]! + 2 * k3[l]! + k4[l]!);
    }
  }

  /** Writes z (as µV) plus noise at time t into out. */
  private addNoise(tS: number, out: Float64Array): void {
    const { baselineWanderMicrovolts: wander, mainsHz, mainsMicrovolts, emgMicrovolts } = this.options.noise;
    const decay = Math.exp(-1 / (this.options.sampleRateHz * WANDER_TAU_S));
    const drive = Math.sqrt(1 - decay * decay) * (wander / 2);
    for (let l = 0; l < LEADS; l++) {
      let v = this.z[l]! * 1000;
      if (wander > 0) {
        this.walk[l] = this.walk[l]! * decay + drive * this.noiseRandom.gaussian();
        v +=
          wander * (0.5 + l / (2 * LEADS)) * Math.sin(2 * Math.PI * RESPIRATION_HZ * tS + this.leadPhase[l]!);
        v += this.walk[l]!;
      }
      if (mainsMicrovolts > 0)
        v += mainsMicrovolts * Math.sin(2 * Math.PI * mainsHz * tS + this.leadPhase[l]!);
      if (emgMicrovolts > 0) v += emgMicrovolts * this.noiseRandom.gaussian();
      out[l] = v;
    }
  }
}
