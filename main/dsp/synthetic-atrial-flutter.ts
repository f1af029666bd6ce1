/**
 * Synthetic two-lead ECG (II and V1) of atrial flutter with variable AV block, between stretches
 * of sinus rhythm, with exact beat labels: every conducted beat is N (ANSI/AAMI EC57 counts the
 * beats of atrial flutter N; MIT-BIH marks the episodes "(AFL" in the rhythm annotations, as in
 * records 202 and 203, which we do not hold).
 *
 * Physiology (Chou's *Electrocardiography in Clinical Practice*, ch. 17; Marriott's *Practical
 * Electrocardiography*, "Atrial flutter"; Cosío, Arrhythm Electrophysiol Rev 6(2):55–62, 2017):
 * - typical (cavotricuspid-isthmus) flutter is a macro-re-entry around the tricuspid annulus at
 *   240–340 atrial cycles/min (cycle 180–250 ms), very regular (cycle-to-cycle change ≤ 2 %): in
 *   the inferior leads a continuous negative sawtooth — a slow downslope, a quicker upstroke, no
 *   isoelectric baseline — of 0.1–0.3 mV; in V1 discrete positive flutter waves;
 * - the AV node cannot conduct every impulse: untreated flutter conducts 2:1 (a ventricular rate
 *   near 150/min), and variable block mixes 2:1, 3:1 and 4:1 (multilevel block in the node), so
 *   every RR is a whole number of flutter cycles plus the change in the FR interval (flutter wave
 *   to R), which is longer after a shorter cycle (decremental AV conduction: 0.24–0.36 s);
 * - the QRS is the normally conducted one; there is no P wave of its own before a beat, only the
 *   flutter wave that conducted, at about the same FR interval each time.
 * Sinus stretches between flutter episodes use the sinus beats of synthetic-atrial.ts.
 */
import { type Beat, render, sinusBeat, type StripOptions } from './synthetic-atrial-render.js';
import type { AtrialRhythm } from './synthetic-atrial.js';
import { SeededRandom } from './synthetic-prng.js';

/** One flutter episode's waves: start, end, cycle (s) and amplitudes (µV) in II and V1. */
interface Episode {
  readonly fromS: number;
  readonly toS: number;
  readonly cycleS: number;
  readonly phaseS: number;
  readonly iiUv: number;
  readonly v1Uv: number;
}

/** AV conduction ratios of variable block and their shares (2:1 commonest, 3:1 least). */
const RATIOS: readonly (readonly [number, number])[] = [
  [2, 0.5],
  [3, 0.15],
  [4, 0.35],
];

function drawRatio(random: SeededRandom): number {
  let u = random.uniform();
  for (const [ratio, share] of RATIOS) {
    if (u < share) return ratio;
    u -= share;
  }
  return 4;
}

/**
 * Flutter wave in II at phase `phase` (0–1 within a cycle): a negative sawtooth (slow downslope
 * over 80 % of the cycle, upstroke over 20 %), of unit peak-to-peak size.
 */
export function sawtooth(phase: number): number {
  const x = phase - Math.floor(phase);
  return x < 0.8 ? 0.5 - x / 0.8 : -0.5 + (x - 0.8) / 0.2;
}

/** Discrete positive flutter wave in V1 (a Gaussian bump per cycle), unit height. */
function v1Wave(phase: number): number {
  const x = phase - Math.floor(phase) - 0.85;
  return Math.exp((-x * x) / (2 * 0.08 * 0.08));
}

/** Builds one labelled strip of sinus rhythm alternating with atrial flutter of variable block. */
export function atrialFlutterRhythm(options: StripOptions): AtrialRhythm {
  const fs = options.sampleRateHz ?? 360;
  const durationS = options.durationS ?? 300;
  const random = new SeededRandom(options.seed);
  const noise = options.noiseMicrovolts ?? 10 + 30 * random.uniform();
  const sinusRrS = 60 / (65 + 20 * random.uniform());
  const beats: Beat[] = [];
  const episodes: Episode[] = [];
  let t = 0.5;
  let flutter = random.uniform() < 0.5;
  while (t < durationS - 1) {
    const endS = Math.min(durationS, t + (flutter ? 60 + 60 * random.uniform() : 30 + 40 * random.uniform()));
    if (!flutter) {
      while (t < endS) {
        t += sinusRrS * (1 + 0.04 * Math.sin(2 * Math.PI * 0.25 * t) + 0.01 * random.gaussian());
        beats.push(sinusBeat(t));
      }
    } else {
      const cycleS = 60 / (240 + 100 * random.uniform());
      const episode = {
        fromS: t,
        toS: endS,
        cycleS,
        phaseS: t + 0.1,
        iiUv: 100 + 200 * random.uniform(),
        v1Uv: 50 + 100 * random.uniform(),
      };
      episodes.push(episode);
      // the flutter wave that conducts, counted from the episode's first; FR longer after a short cycle
      let wave = 2;
      while (true) {
        const ratio = drawRatio(random);
        wave += ratio;
        const frS = (ratio === 2 ? 0.3 : ratio === 3 ? 0.27 : 0.25) + 0.008 * random.gaussian();
        const rS = episode.phaseS + wave * cycleS + frS;
        if (rS >= endS) break;
        t = rS;
        beats.push({ rS, beatClass: 'N', p: null, prS: 0, conducted: true, retrograde: false });
      }
    }
    t = Math.max(t, endS - 0.2);
    flutter = !flutter;
  }
  const strip = render(beats, fs, durationS, random, noise);
  const [ii, v1] = strip.leads;
  for (const e of episodes) {
    for (let i = Math.round(e.fromS * fs); i < Math.min(ii.length, Math.round(e.toS * fs)); i++) {
      const phase = (i / fs - e.phaseS) / e.cycleS;
      ii[i] = ii[i]! + e.iiUv * sawtooth(phase);
      v1[i] = v1[i]! + e.v1Uv * v1Wave(phase);
    }
  }
  return {
    ...strip,
    flutter: episodes.map((e) => [Math.round(e.fromS * fs), Math.round(e.toS * fs)] as const),
  };
}
