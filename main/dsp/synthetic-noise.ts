/**
 * The three noise types of the MIT-BIH Noise Stress Test Database (Moody, Muldrow & Mark, "A noise
 * stress test for arrhythmia detectors", Computers in Cardiology 11:381–384, 1984), synthesised
 * from their published character because the recordings are not at hand. Each is unit-power
 * (mean square 1) so a caller scales it to an SNR.
 * - **bw, baseline wander**: respiration and slow electrode drift, energy below ≈ 1 Hz (Moody et
 *   al. 1984; Friesen et al., IEEE TBME 37(1):85–98, 1990, model respiration as a 0.333-Hz
 *   sinusoid): a respiratory sinusoid at 0.15–0.4 Hz with slowly varying amplitude and rate, plus
 *   a random walk low-passed at 0.5 Hz (the 1/f² drift).
 * - **ma, muscle artefact**: EMG, broadband and overlapping the QRS band (Moody et al. 1984;
 *   Friesen et al. 1990 model it as zero-mean Gaussian noise): Gaussian noise band-passed
 *   5–100 Hz, amplitude-modulated by contraction bursts of 0.2–2 s (log-normal lengths) on a 30 %
 *   tonic floor. Below 222 Hz, where the band does not fit under 0.45 × the rate, it is made at the
 *   NST's 360 Hz, unit power there, and resampled: the same noise as a unit sampling at the lower
 *   rate records it, its part above the unit's anti-aliasing cut-off gone. (Made at the lower rate
 *   and scaled to unit power there, the whole power fell in 5–36 Hz at 80 Hz, the QRS band, about
 *   5 dB more of it than the stated SNR puts there.)
 * - **em, electrode motion**: the hardest for detectors because it mimics beats (Moody et al.
 *   1984): baseline steps and transients from skin stretch — events arriving as a Poisson process
 *   (0.8/s), each an exponentially decaying step (Friesen et al. 1990: transient baseline changes
 *   with 100–500-ms decay) of random sign and log-normal size — plus 1–10 Hz band-limited noise
 *   bursts during the events.
 * Deterministic from the seed.
 */
import { butterworthHighpass, butterworthLowpass, cascade } from './filters-design.js';
import { sosFilter } from './filters.js';
import { resample } from './resample.js';
import { SeededRandom } from './synthetic-prng.js';

/** Noise type, named as in the NST database. */
export type NoiseKind = 'bw' | 'ma' | 'em';

/** Scales `x` in place to mean square 1. */
function normalise(x: Float64Array): Float64Array {
  let mean = 0;
  for (const v of x) mean += v;
  mean /= Math.max(1, x.length);
  let power = 0;
  for (let i = 0; i < x.length; i++) {
    x[i] = x[i]! - mean;
    power += x[i]! * x[i]!;
  }
  const scale = power > 0 ? Math.sqrt(x.length / power) : 0;
  for (let i = 0; i < x.length; i++) x[i] = x[i]! * scale;
  return x;
}

function gaussianNoise(rng: SeededRandom, length: number): Float64Array {
  return Float64Array.from({ length }, () => rng.gaussian());
}

function baselineWander(rng: SeededRandom, length: number, fs: number): Float64Array {
  const walk = new Float64Array(length);
  let w = 0;
  for (let i = 0; i < length; i++) walk[i] = w += rng.gaussian();
  const drift = sosFilter(butterworthLowpass(2, 0.5, fs), walk, 'steady');
  normalise(drift);
  const out = new Float64Array(length);
  let phase = 2 * Math.PI * rng.uniform();
  let rateHz = 0.15 + 0.25 * rng.uniform();
  let amplitude = 1;
  const dt = 1 / fs;
  for (let i = 0; i < length; i++) {
    rateHz += 0.002 * Math.sqrt(dt) * rng.gaussian();
    rateHz = Math.min(0.4, Math.max(0.15, rateHz));
    amplitude = Math.max(0.3, amplitude + 0.3 * Math.sqrt(dt) * rng.gaussian());
    phase += 2 * Math.PI * rateHz * dt;
    out[i] = amplitude * Math.sin(phase) + 0.7 * drift[i]!;
  }
  return normalise(out);
}

/** Top of the muscle noise's band, Hz. */
const MUSCLE_TOP_HZ = 100;
/** The rate muscle noise is made at when the band does not fit under a slower one (the NST's), Hz. */
const MUSCLE_REFERENCE_HZ = 360;

function muscle(rng: SeededRandom, length: number, fs: number): Float64Array {
  if (0.45 * fs >= MUSCLE_TOP_HZ) return muscleAt(rng, length, fs);
  const referenceLength = Math.ceil((length * MUSCLE_REFERENCE_HZ) / fs) + 1;
  const whole = muscleAt(rng, referenceLength, MUSCLE_REFERENCE_HZ);
  return resample(whole, MUSCLE_REFERENCE_HZ, fs).slice(0, length);
}

/** Muscle noise made at `fs`, whose 0.45 × fs is at least {@link MUSCLE_TOP_HZ}; unit power. */
function muscleAt(rng: SeededRandom, length: number, fs: number): Float64Array {
  const sos = cascade(butterworthHighpass(2, 5, fs), butterworthLowpass(4, MUSCLE_TOP_HZ, fs));
  const band = sosFilter(sos, gaussianNoise(rng, length));
  const envelope = new Float64Array(length).fill(0.3);
  for (let i = 0; i < length;) {
    i += Math.round(fs * (0.3 + 2 * rng.uniform()));
    const burst = Math.round(fs * Math.min(2, Math.max(0.2, Math.exp(Math.log(0.6) + 0.6 * rng.gaussian()))));
    const level = 0.7 + rng.uniform();
    for (let k = 0; k < burst && i + k < length; k++) {
      envelope[i + k] = Math.max(envelope[i + k]!, level * Math.sin((Math.PI * k) / burst));
    }
    i += burst;
  }
  const smooth = sosFilter(butterworthLowpass(1, 5, fs), envelope, 'steady');
  for (let i = 0; i < length; i++) band[i] = band[i]! * smooth[i]!;
  return normalise(band);
}

function electrodeMotion(rng: SeededRandom, length: number, fs: number): Float64Array {
  const out = new Float64Array(length);
  const bursts = new Float64Array(length);
  let t = 0;
  while (true) {
    t += -Math.log(1 - rng.uniform()) / 0.8; // Poisson arrivals, 0.8 per second
    const start = Math.round(t * fs);
    if (start >= length) break;
    const size = (rng.uniform() < 0.5 ? -1 : 1) * Math.exp(0.5 * rng.gaussian());
    const decayS = 0.1 + 0.4 * rng.uniform();
    const rise = Math.max(1, Math.round(fs * (0.01 + 0.04 * rng.uniform())));
    const span = Math.min(length - start, Math.round(5 * decayS * fs));
    for (let k = 0; k < span; k++) {
      const onset = k < rise ? k / rise : 1;
      out[start + k] = out[start + k]! + size * onset * Math.exp(-k / (decayS * fs));
      bursts[start + k] = Math.max(bursts[start + k]!, Math.exp(-k / (decayS * fs)));
    }
  }
  const band = sosFilter(
    cascade(butterworthHighpass(2, 1, fs), butterworthLowpass(2, 10, fs)),
    gaussianNoise(rng, length),
  );
  normalise(band);
  for (let i = 0; i < length; i++) out[i] = out[i]! + 0.5 * bursts[i]! * band[i]!;
  // steps decay toward the electrode's new offset, not to zero: keep a slow component
  return normalise(sosFilter(butterworthHighpass(1, 0.3, fs), out));
}

/** `length` samples of unit-power noise of `kind` at `sampleRateHz`. */
export function syntheticNoise(
  kind: NoiseKind,
  length: number,
  sampleRateHz: number,
  seed: number,
): Float64Array {
  const rng = new SeededRandom(seed);
  if (kind === 'bw') return baselineWander(rng, length, sampleRateHz);
  if (kind === 'ma') return muscle(rng, length, sampleRateHz);
  return electrodeMotion(rng, length, sampleRateHz);
}

/** Noise added at a signal-to-noise ratio: its NST type and the SNR, dB. */
export interface StressNoise {
  readonly kind: NoiseKind;
  readonly snrDb: number;
}

/**
 * The noise the synthetic-strip benchmarks play each pattern with (qrs-wide, qrs-block): none,
 * then muscle and electrode-motion noise at 24 and 18 dB, two of the NST's levels.
 */
export const STRESS_NOISE_SETTINGS: readonly (StressNoise | undefined)[] = [
  undefined,
  { kind: 'ma', snrDb: 24 },
  { kind: 'em', snrDb: 24 },
  { kind: 'ma', snrDb: 18 },
  { kind: 'em', snrDb: 18 },
];

/**
 * Adds `noise` to each lead in place at its SNR, the signal power taken as in Moody et al. 1984:
 * (QRS peak-to-peak)² / 8, with `peakToPeakUv[k]` the QRS's peak-to-peak amplitude on lead `k`;
 * lead `k`'s noise is {@link syntheticNoise} with seed `seed` × 7 + `k`.
 */
export function addStressNoise(
  leads: readonly Float64Array[],
  noise: StressNoise,
  sampleRateHz: number,
  seed: number,
  peakToPeakUv: readonly number[],
): void {
  leads.forEach((lead, k) => {
    const unit = syntheticNoise(noise.kind, lead.length, sampleRateHz, seed * 7 + k);
    const rms = stressNoiseRms(peakToPeakUv[k]!, noise.snrDb);
    for (let i = 0; i < lead.length; i++) lead[i] = lead[i]! + rms * unit[i]!;
  });
}

/**
 * RMS of unit-power noise scaled to `snrDb` against a QRS of `peakToPeak` (any unit; the result is
 * in the same): the signal power taken as in Moody et al. 1984, (QRS peak-to-peak)² / 8.
 */
export function stressNoiseRms(peakToPeak: number, snrDb: number): number {
  return Math.sqrt((peakToPeak * peakToPeak) / 8 / Math.pow(10, snrDb / 10));
}
