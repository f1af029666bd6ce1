/**
 * Synthetic records with rhythm episodes at exact places, for `bench vf`: an ECGSYN-style sinus
 * rhythm with PVCs (synthetic.ts), over which ventricular flutter or fibrillation
 * (synthetic-vf.ts) and asystole are pasted with 40-ms cross-fades.
 *
 * Asystole is ventricular standstill: the QRS complexes stop; in half the episodes the P waves go
 * on at the sinus rate (atrial activity without conduction, the common form after a sudden AV
 * block), in the others only a slow baseline remains. The P wave is a 110-ms Gaussian of
 * 60–150 µV, in the range of a normal P (≤ 0.25 mV, duration ≤ 120 ms; Surawicz & Knilans,
 * Chou's Electrocardiography, 6th ed., ch. 1).
 *
 * Every draw comes from the seed, so a record is the same in every run.
 */
import { SeededRandom } from '../main/dsp/synthetic-prng.js';
import { SyntheticEcg } from '../main/dsp/synthetic.js';
import { pasteVfEpisodes, type SyntheticVfEpisode } from '../main/dsp/synthetic-vf.js';
import type { SampleSpan } from './_scoring.js';

/** A synthetic episode: its kind and span (inclusive samples). */
export interface SyntheticEpisode extends SampleSpan {
  readonly kind: 'flutter' | 'fibrillation' | 'asystole';
  /** Peak amplitude of the VF wave before each lead's gain, µV (VF only). */
  readonly amplitudeMicrovolts?: number;
  /** Whether P waves go on during asystole. */
  readonly pWaves?: boolean;
}

/** A synthetic record: 8 acquired channels (I, II, V1–V6) in µV, its beats and episodes. */
export interface SyntheticEpisodeRecord {
  readonly sampleRateHz: number;
  readonly leads: Float64Array[];
  /** R peaks outside every episode. */
  readonly beats: number[];
  readonly episodes: SyntheticEpisode[];
}

/** Sinus before the first episode and between episodes, seconds (drawn in this range). */
const GAP_S = [30, 70] as const;
/** VF episode length, seconds. */
const VF_S = [8, 45] as const;
/** Asystole length, seconds (≥ 5: the alarm needs 4 s of silence). */
const ASYSTOLE_S = [5, 12] as const;

/** The episodes of one record of `seconds`: alternating flutter, fibrillation and asystole. */
function planEpisodes(rng: SeededRandom, seconds: number, fs: number): SyntheticEpisode[] {
  const kinds = ['flutter', 'fibrillation', 'asystole', 'fibrillation', 'flutter'] as const;
  const episodes: SyntheticEpisode[] = [];
  const draw = (range: readonly [number, number]): number => range[0] + (range[1] - range[0]) * rng.uniform();
  let t = draw(GAP_S);
  for (let k = 0; ; k++) {
    const kind = kinds[k % kinds.length]!;
    const length = kind === 'asystole' ? draw(ASYSTOLE_S) : draw(VF_S);
    if (t + length + GAP_S[0] > seconds) break;
    const span = { startSample: Math.round(t * fs), endSample: Math.round((t + length) * fs) };
    if (kind === 'asystole') episodes.push({ kind, ...span, pWaves: rng.uniform() < 0.5 });
    else {
      // fine fibrillation (≈ 150–250 µV) up to coarse waves, flutter 300–900 µV
      const amplitude = kind === 'flutter' ? 300 + 600 * rng.uniform() : 150 + 450 * rng.uniform();
      episodes.push({ kind, ...span, amplitudeMicrovolts: amplitude });
    }
    t += length + draw(GAP_S);
  }
  return episodes;
}

/** Replaces `span` of every lead by ventricular standstill (see the file comment). */
function pasteAsystole(
  leads: Float64Array[],
  episode: SyntheticEpisode,
  fs: number,
  heartRateBpm: number,
  rng: SeededRandom,
): void {
  const fade = Math.max(1, Math.round(0.04 * fs));
  const length = episode.endSample - episode.startSample + 1;
  const pEvery = Math.round((60 / heartRateBpm) * fs);
  const pSigma = 0.11 / 4;
  const phase = rng.uniform() * 2 * Math.PI;
  leads.forEach((lead, l) => {
    const pAmplitude = episode.pWaves ? (60 + 90 * rng.uniform()) * (l % 2 === 0 ? 0.7 : 1) : 0;
    for (let i = 0; i < length; i++) {
      const at = episode.startSample + i;
      if (at >= lead.length) break;
      const sinceP = ((i % pEvery) - pEvery / 2) / fs;
      const baseline = 15 * Math.sin((2 * Math.PI * 0.2 * at) / fs + phase + l);
      const p = pAmplitude * Math.exp(-(sinceP * sinceP) / (2 * pSigma * pSigma));
      const w = Math.min(1, (i + 1) / fade, (length - i) / fade);
      lead[at] = (1 - w) * lead[at]! + w * (baseline + p);
    }
  });
}

/** One synthetic record of `seconds` at `fs` with its episodes, from `seed`. */
export function syntheticEpisodeRecord(fs: number, seconds: number, seed: number): SyntheticEpisodeRecord {
  const rng = new SeededRandom(seed * 7919 + 17);
  const heartRateBpm = 60 + 40 * rng.uniform();
  const ecg = new SyntheticEcg({
    seed,
    sampleRateHz: fs,
    heartRateBpm,
    pvcProbability: 0.03 + 0.07 * rng.uniform(),
    noise: { baselineWanderMicrovolts: 50, mainsHz: 50, mainsMicrovolts: 0, emgMicrovolts: 10 },
  });
  const block = ecg.nextBlock(Math.round(fs * seconds));
  const leads = block.microvolts.map((c) => Float64Array.from(c));
  const episodes = planEpisodes(rng, seconds, fs);
  const vf: SyntheticVfEpisode[] = [];
  for (const e of episodes) {
    if (e.kind === 'asystole') pasteAsystole(leads, e, fs, heartRateBpm, rng);
    else
      vf.push({
        kind: e.kind,
        startSample: e.startSample,
        endSample: e.endSample,
        amplitudeMicrovolts: e.amplitudeMicrovolts,
      });
  }
  pasteVfEpisodes(leads, [], vf, fs, seed);
  const beats = block.beats
    .map((b) => b.sampleIndex)
    .filter((s) => !episodes.some((e) => s >= e.startSample && s <= e.endSample));
  return { sampleRateHz: fs, leads, beats, episodes };
}
