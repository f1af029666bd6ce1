/**
 * Simulated cardiac-arrest rhythms and ventricular tachycardia for the ECG-12 simulator, so that
 * staff and IT can see the gateway's alarms (ventricular flutter/fibrillation, asystole,
 * ventricular tachycardia) come and go without a patient in arrest: episodes pasted over any
 * sample source at given times after the unit starts sending (each START begins a run at set 0,
 * so each run replays them).
 * - `vf`: disorganised fibrillation, `flutter`: 4–7 Hz flutter waves (main/dsp/synthetic-vf.ts,
 *   each channel its own wave and gain, as the arrhythmia differs between leads);
 * - `vt`: monomorphic ventricular tachycardia at 140–180/min (main/dsp/synthetic-vt.ts): broad
 *   complexes of one focus, a ventricular run for the gateway;
 * - `asystole`: the line flat where the episode began, with a few µV of noise (an amplifier's);
 * - `leadoff`: every electrode off, as when the cable or the electrodes are pulled: the unit
 *   reports them off in its SAMPLES and STATUS frames (`electrodesOffMask`) and the inputs float
 *   (mains hum and noise). It may overlap a rhythm episode (electrodes knocked off during VF).
 * Spec syntax (`--episodes`): `KIND@START+DURATION[,…]` in seconds, e.g. `vf@30+20,asystole@70+8`.
 */
import { syntheticVfWave } from '../../../dsp/synthetic-vf.js';
import { syntheticVtWave } from '../../../dsp/synthetic-vt.js';
import { CHANNEL_COUNT } from '../protocol.js';
import type { SampleSource } from './record-source.js';
import { unitRandom } from './sim-random.js';

/** Rhythms the simulator can play, and lead-offs. */
export const SIM_EPISODE_KINDS = ['vf', 'flutter', 'vt', 'asystole', 'leadoff'] as const;
export type SimEpisodeKind = (typeof SIM_EPISODE_KINDS)[number];

/** One episode: what, from when (seconds after the run starts), for how long. */
export interface SimEpisode {
  readonly kind: SimEpisodeKind;
  readonly startS: number;
  readonly durationS: number;
}

/** A spec that cannot be played. */
export class SimEpisodeError extends Error {
  readonly code = 'BAD_EPISODE_SPEC';
  constructor(message: string) {
    super(message);
    this.name = 'SimEpisodeError';
  }
}

const MAX_EPISODES = 20;
const MIN_DURATION_S = 1;
const MAX_DURATION_S = 600;
/** Cross-fade at each end of an episode, seconds. */
const FADE_S = 0.04;
/** Amplifier noise on a flat line, µV (standard deviation). */
const FLAT_NOISE_MICROVOLTS = 4;
/** A floating input's mains hum (50 Hz) and noise (standard deviation), µV. */
const FLOATING_HUM_MICROVOLTS = 300;
const FLOATING_NOISE_MICROVOLTS = 30;
/** Every electrode off (RA, LA, LL, V1–V6: the protocol's lead-off bits 0–8). */
const ALL_ELECTRODES_OFF = 0x1ff;
const DESCRIBE: Record<SimEpisodeKind, string> = {
  vf: 'ventricular fibrillation',
  flutter: 'ventricular flutter',
  vt: 'ventricular tachycardia',
  asystole: 'asystole',
  leadoff: 'every electrode off',
};

/** Parses `KIND@START+DURATION[,…]` (seconds); throws {@link SimEpisodeError} saying what is wrong. */
export function parseEpisodes(spec: string): SimEpisode[] {
  const parts = spec.split(',').map((p) => p.trim());
  if (parts.length > MAX_EPISODES)
    throw new SimEpisodeError(`at most ${MAX_EPISODES} episodes, got ${parts.length}`);
  const episodes = parts.map((part) => {
    const m = /^([a-z]+)@(\d+(?:\.\d+)?)\+(\d+(?:\.\d+)?)$/.exec(part);
    if (m === null)
      throw new SimEpisodeError(`"${part}" is not KIND@START+DURATION (seconds), e.g. vf@30+20`);
    const kind = m[1] as SimEpisodeKind;
    if (!SIM_EPISODE_KINDS.includes(kind))
      throw new SimEpisodeError(
        `unknown rhythm "${m[1]}" in "${part}": one of ${SIM_EPISODE_KINDS.join(', ')}`,
      );
    const [startS, durationS] = [Number(m[2]), Number(m[3])];
    if (durationS < MIN_DURATION_S || durationS > MAX_DURATION_S)
      throw new SimEpisodeError(`"${part}": a duration is ${MIN_DURATION_S}–${MAX_DURATION_S} s`);
    return { kind, startS, durationS };
  });
  episodes.sort((a, b) => a.startS - b.startS);
  // rhythms follow one another, and so do lead-offs; a lead-off may fall in a rhythm
  for (const family of [episodes.filter((e) => !isLeadOff(e)), episodes.filter(isLeadOff)]) {
    for (let i = 1; i < family.length; i++) {
      const [a, b] = [family[i - 1]!, family[i]!];
      if (b.startS < a.startS + a.durationS)
        throw new SimEpisodeError(
          `episodes overlap: ${a.kind}@${a.startS}+${a.durationS} and ${b.kind}@${b.startS}`,
        );
    }
  }
  return episodes;
}

/** Whether `e` is a lead-off rather than a rhythm. */
function isLeadOff(e: SimEpisode): boolean {
  return e.kind === 'leadoff';
}

/** `vf@30+20` → "ventricular fibrillation at 30–50 s". */
function describeEpisodes(episodes: readonly SimEpisode[]): string {
  return episodes.map((e) => `${DESCRIBE[e.kind]} at ${e.startS}–${e.startS + e.durationS} s`).join(', ');
}

/** One episode in sets, with its per-channel waves (µV) or flat levels (counts). */
interface Placed {
  readonly episode: SimEpisode;
  readonly from: number;
  readonly to: number;
  waves?: Float64Array[];
  flat?: Float64Array;
}

/**
 * `source` with `episodes` pasted over it (ECG-12 counts at `lsbNanovolts` per count).
 * Deterministic from `seed`, like the sources it wraps.
 */
export function withEpisodes(
  source: SampleSource,
  lsbNanovolts: number,
  episodes: readonly SimEpisode[],
  seed = 1,
): SampleSource {
  if (episodes.length === 0) return source;
  const rate = source.rateHz;
  const fade = Math.max(1, Math.round(FADE_S * rate));
  const countsPerMicrovolt = 1000 / lsbNanovolts;
  const all: Placed[] = episodes.map((episode) => ({
    episode,
    from: Math.round(episode.startS * rate),
    to: Math.round((episode.startS + episode.durationS) * rate),
  }));
  const placed = all.filter((p) => !isLeadOff(p.episode));
  const off = all.filter((p) => isLeadOff(p.episode));
  const offAt = (index: number): boolean => off.some((e) => index >= e.from && index < e.to);
  return {
    name: `${source.name} with ${describeEpisodes(episodes)}`,
    rateHz: rate,
    // the episodes are timed from the start of a run; sets repeat only if the source does
    periodSets: Number.POSITIVE_INFINITY,
    electrodesOffMask: (index) =>
      offAt(index) ? ALL_ELECTRODES_OFF : (source.electrodesOffMask?.(index) ?? 0),
    fill(index, out, offset) {
      source.fill(index, out, offset);
      if (offAt(index)) {
        for (let ch = 0; ch < CHANNEL_COUNT; ch++) {
          const hum = FLOATING_HUM_MICROVOLTS * Math.sin((2 * Math.PI * 50 * index) / rate + ch);
          const noise = FLOATING_NOISE_MICROVOLTS * noiseAt(index, ch, seed + 1);
          out[offset + ch] = Math.round((hum + noise) * countsPerMicrovolt);
        }
        return;
      }
      const p = placed.find((e) => index >= e.from && index < e.to);
      // only the episode being played keeps its waves (10 min of 8 channels at 500 Hz is 19 MB)
      for (const e of placed) if (e !== p) e.waves = undefined;
      if (p === undefined) return;
      const i = index - p.from;
      const w = Math.min(1, (i + 1) / fade, (p.to - index) / fade);
      for (let ch = 0; ch < CHANNEL_COUNT; ch++) {
        const target =
          p.episode.kind === 'asystole'
            ? flatLevel(p, source, ch) + FLAT_NOISE_MICROVOLTS * countsPerMicrovolt * noiseAt(index, ch, seed)
            : wave(p, rate, seed, ch)[i]! * countsPerMicrovolt;
        out[offset + ch] = Math.round((1 - w) * out[offset + ch]! + w * target);
      }
    },
  };
}

/**
 * Noise of unit standard deviation for set `index`, channel `channel` (three uniforms summed),
 * hashed from the set (sim-random.ts), so it does not depend on the order sets are asked for.
 */
function noiseAt(index: number, channel: number, seed: number): number {
  const u = (k: number) => unitRandom(seed, index, channel * 3 + k);
  return 2 * (u(0) + u(1) + u(2) - 1.5);
}

/** The waves of a VF, flutter or VT episode, made on first use. */
function wave(p: Placed, rateHz: number, seed: number, channel: number): Float64Array {
  if (p.episode.kind === 'vt')
    p.waves ??= Array.from({ length: CHANNEL_COUNT }, (_, ch) =>
      syntheticVtWave(p.to - p.from, rateHz, seed * 1009 + p.from, ch),
    );
  p.waves ??= Array.from({ length: CHANNEL_COUNT }, (_, ch) =>
    syntheticVfWave(
      p.episode.kind === 'flutter' ? 'flutter' : 'fibrillation',
      p.to - p.from,
      rateHz,
      seed * 1009 + p.from + ch,
      (p.episode.kind === 'flutter' ? 600 : 400) * (0.6 + (0.8 * ((ch * 7) % 5)) / 4),
    ),
  );
  return p.waves[channel]!;
}

/**
 * The source's baseline on `channel` where an asystole episode begins: its mean over the second
 * before (a beat or two, so not the level of an R peak), counts.
 */
function flatLevel(p: Placed, source: SampleSource, channel: number): number {
  if (p.flat === undefined) {
    const sums = new Float64Array(CHANNEL_COUNT);
    const set = new Int32Array(CHANNEL_COUNT);
    const first = Math.max(0, p.from - Math.round(source.rateHz));
    for (let k = first; k <= p.from; k++) {
      source.fill(k, set, 0);
      for (let ch = 0; ch < CHANNEL_COUNT; ch++) sums[ch] = sums[ch]! + set[ch]!;
    }
    p.flat = sums.map((sum) => sum / (p.from - first + 1));
  }
  return p.flat[channel]!;
}
