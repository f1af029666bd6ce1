/**
 * Synthetic ventricular flutter and fibrillation for validating the VF detector, in the style of
 * ECGSYN (McSharry et al., IEEE TBME 50(3):289–294, 2003): a phase θ advancing at ω = 2πf(t) and
 * the signal a sum of Gaussian terms in θ.
 * - **Flutter**: one wide positive and one wide negative term per cycle (QRS and T merged into a
 *   sine-like wave, as in ventricular flutter), f drawn in 4–7 Hz (240–420/min) with a slow
 *   random drift of a few per cent and a slowly varying amplitude.
 * - **Fibrillation**: 3–5 such oscillators at 3–9 Hz (the dominant-frequency range of human VF,
 *   e.g. Clayton et al., Circulation 91:2454, 1995) with frequencies and amplitudes each
 *   wandering independently (random walks with a 0.3–0.5-s time constant), so the sum is
 *   disorganised: irregular in rate, amplitude and shape.
 * Episodes are pasted over a sinus record with 40-ms cross-fades; the reference beats inside
 * them are removed. Deterministic from the seed.
 */
import { SeededRandom } from './synthetic-prng.js';

/** Kind of ventricular arrhythmia to synthesise. */
export type SyntheticVfKind = 'flutter' | 'fibrillation';

/** One episode to paste: where, how long, what. */
export interface SyntheticVfEpisode {
  readonly kind: SyntheticVfKind;
  readonly startSample: number;
  readonly endSample: number;
  /** Peak amplitude, µV (default 600 for flutter, 400 for fibrillation). */
  readonly amplitudeMicrovolts?: number;
}

interface Oscillator {
  frequencyHz: number;
  centreHz: number;
  amplitude: number;
  phase: number;
}

/** One lead of an episode, µV, `length` samples. */
export function syntheticVfWave(
  kind: SyntheticVfKind,
  length: number,
  sampleRateHz: number,
  seed: number,
  amplitudeMicrovolts = kind === 'flutter' ? 600 : 400,
): Float64Array {
  const rng = new SeededRandom(seed);
  const count = kind === 'flutter' ? 1 : 3 + Math.floor(rng.uniform() * 3);
  const oscillators: Oscillator[] = Array.from({ length: count }, () => {
    const centreHz = kind === 'flutter' ? 4 + 3 * rng.uniform() : 3 + 6 * rng.uniform();
    return { frequencyHz: centreHz, centreHz, amplitude: 1, phase: 2 * Math.PI * rng.uniform() };
  });
  const dt = 1 / sampleRateHz;
  const tau = kind === 'flutter' ? 2 : 0.3 + 0.2 * rng.uniform();
  const drift = kind === 'flutter' ? 0.03 : 0.25;
  const out = new Float64Array(length);
  let peak = 0;
  for (let i = 0; i < length; i++) {
    let v = 0;
    for (const o of oscillators) {
      // Ornstein–Uhlenbeck wander of frequency and amplitude around their centres
      const a = Math.exp(-dt / tau);
      const s = Math.sqrt(1 - a * a);
      o.frequencyHz = o.centreHz + a * (o.frequencyHz - o.centreHz) + s * drift * o.centreHz * rng.gaussian();
      o.amplitude = 1 + a * (o.amplitude - 1) + s * (kind === 'flutter' ? 0.15 : 0.5) * rng.gaussian();
      o.phase += 2 * Math.PI * Math.max(0.5, o.frequencyHz) * dt;
      const theta = Math.atan2(Math.sin(o.phase), Math.cos(o.phase));
      // ECGSYN kernel: wide positive term at 0, wide negative term at ±π
      const back = theta > 0 ? theta - Math.PI : theta + Math.PI;
      v +=
        Math.max(0, o.amplitude) *
        (Math.exp(-(theta * theta) / (2 * 0.7 * 0.7)) - Math.exp(-(back * back) / (2 * 0.8 * 0.8)));
    }
    out[i] = v;
    peak = Math.max(peak, Math.abs(v));
  }
  const scale = peak > 0 ? amplitudeMicrovolts / peak : 0;
  for (let i = 0; i < length; i++) out[i] = out[i]! * scale;
  return out;
}

/**
 * Pastes `episodes` over `leads` (µV, modified in place; each lead gets its own wave and gain)
 * and returns the beats outside the episodes.
 */
export function pasteVfEpisodes<B extends { readonly sampleIndex: number }>(
  leads: Float64Array[],
  beats: readonly B[],
  episodes: readonly SyntheticVfEpisode[],
  sampleRateHz: number,
  seed: number,
): B[] {
  const fade = Math.max(1, Math.round(0.04 * sampleRateHz));
  episodes.forEach((episode, e) => {
    const length = episode.endSample - episode.startSample + 1;
    leads.forEach((lead, l) => {
      const gain = 0.6 + (0.8 * ((l * 7 + e * 3) % 5)) / 4;
      const wave = syntheticVfWave(
        episode.kind,
        length,
        sampleRateHz,
        seed * 1009 + e * 31 + l,
        (episode.amplitudeMicrovolts ?? (episode.kind === 'flutter' ? 600 : 400)) * gain,
      );
      for (let i = 0; i < length; i++) {
        const at = episode.startSample + i;
        if (at < 0 || at >= lead.length) continue;
        const w = Math.min(1, (i + 1) / fade, (length - i) / fade);
        lead[at] = (1 - w) * lead[at]! + w * wave[i]!;
      }
    });
  });
  return beats.filter(
    (b) => !episodes.some((e) => b.sampleIndex >= e.startSample && b.sampleIndex <= e.endSample),
  );
}
