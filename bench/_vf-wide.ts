/**
 * False VF episodes on beating rhythms that imitate flutter/fibrillation, for `bench vf`: every
 * pattern of synthetic-wide.ts (atrial fibrillation with left bundle-branch block, with Ashman
 * beats and PVCs, multiform ventricular ectopy; clean and with NST muscle and electrode-motion
 * noise at 24 and 18 dB, as `bench qrs-wide` plays them) and the atrial-fibrillation patterns of
 * synthetic-atrial.ts ('atrial-fibrillation', 'paroxysmal-af', 'aberrated'), through the live
 * pipeline at each rate. Wide complexes are nearly sinusoidal, so these are the classic false
 * positives of VF detectors; none of these strips holds VF, so every episode is false.
 */
import { atrialRhythm, type AtrialPattern } from '../main/dsp/synthetic-atrial.js';
import { STRESS_NOISE_SETTINGS } from '../main/dsp/synthetic-noise.js';
import { WIDE_PATTERNS, wideRhythm } from '../main/dsp/synthetic-wide.js';
import { holterAsAcquired, playLive } from './_vf-live.js';

const ATRIAL: readonly AtrialPattern[] = ['atrial-fibrillation', 'paroxysmal-af', 'aberrated'];

/** False VF episodes on the imitating strips. */
export interface WideFalseFigures {
  readonly strips: number;
  readonly hours: number;
  readonly falseVf: number;
  /** One line per false episode: strip and onset. */
  readonly where: string[];
}

/** Plays one two-lead strip (II, V1 in µV) through the live pipeline: its VF episodes' onsets, s. */
function falseOnsetsS(leads: readonly Float64Array[], fs: number): number[] {
  const { channels, detectionLeads } = holterAsAcquired(leads);
  return playLive(channels, fs, 1, detectionLeads).vf.map((e) => e.startSample / fs);
}

/** Runs every strip at every rate; `seeds` strips of `durationS` per pattern, noise and rate. */
export function wideFalseVf(
  rates: readonly number[],
  seeds: readonly number[],
  durationS: number,
): WideFalseFigures {
  let strips = 0;
  let falseVf = 0;
  const where: string[] = [];
  const count = (label: string, leads: readonly Float64Array[], fs: number): void => {
    strips++;
    const onsets = falseOnsetsS(leads, fs);
    falseVf += onsets.length;
    for (const s of onsets) where.push(`${label} at ${s.toFixed(1)} s`);
  };
  for (const fs of rates) {
    for (const seed of seeds) {
      for (const pattern of WIDE_PATTERNS) {
        for (const noise of STRESS_NOISE_SETTINGS) {
          const strip = wideRhythm({ pattern, seed, sampleRateHz: fs, durationS, noise });
          const label = noise === undefined ? 'clean' : `${noise.kind} ${noise.snrDb} dB`;
          count(`${pattern} ${label} seed ${seed} ${fs} Hz`, strip.leads, fs);
        }
      }
      for (const pattern of ATRIAL) {
        const strip = atrialRhythm({ pattern, seed, sampleRateHz: fs, durationS });
        count(`${pattern} seed ${seed} ${fs} Hz`, strip.leads, fs);
      }
    }
  }
  return { strips, hours: (strips * durationS) / 3600, falseVf, where };
}
