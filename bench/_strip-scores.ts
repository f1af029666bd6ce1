/**
 * The synthetic-strip QRS benchmarks (`qrs-wide`, `qrs-block`): strips with exact beat labels,
 * each case at each rate over several seeds, scored on lead II alone, on II + V1 fused, and — for
 * strips that draw them — on the live pipeline's detection leads fused (II, V2, V5:
 * pipeline.ts `DEFAULT_DETECTION_LEADS`) (±150 ms matching, whole strip); a detail line per case
 * and rate, a gross line, the false beats within and after each strip's first minute (a wrong
 * start — training on P waves or noise — shows in the first; a detector that stays trapped, in
 * the second), and the headline (gross Se / +P for each lead set).
 */
import { loadavg } from 'node:os';
import { detectQrs } from '../main/dsp/qrs.js';
import { parseOptions, printHeadline, rateList, round2 } from './_common.js';
import { addScores, offsetsBeyond, ppvPct, scoreBeats, sensitivityPct, type BeatScore } from './_scoring.js';
import { STRESS_NOISE_SETTINGS, type StressNoise } from '../main/dsp/synthetic-noise.js';

/** The stretch of each strip after which its false beats are counted apart, s (a wrong start's reach). */
const FIRST_MINUTE_S = 60;

/** A strip: its leads (II, then V1) and its labelled beats. */
export interface LabelledStrip {
  readonly leads: readonly Float64Array[];
  readonly beats: readonly { readonly sample: number }[];
  /** V2 and V5, when the strip draws them: with II, the live pipeline's detection leads. */
  readonly chest?: readonly [Float64Array, Float64Array];
}

/** The lead sets scored: their label and the leads they take from a strip (undefined: not drawn). */
const LEAD_SETS: readonly {
  readonly label: string;
  readonly leads: (strip: LabelledStrip) => readonly Float64Array[] | undefined;
}[] = [
  { label: 'II', leads: (strip) => strip.leads.slice(0, 1) },
  { label: 'II+V1', leads: (strip) => strip.leads.slice(0, 2) },
  { label: 'II+V2+V5', leads: (strip) => strip.chest && [strip.leads[0]!, ...strip.chest] },
];

/** What a benchmark's strip generator is given: a pattern, seed, rate, length and the noise to add. */
export interface StripRequest<P extends string> {
  readonly pattern: P;
  readonly seed: number;
  readonly sampleRateHz: number;
  readonly durationS: number;
  /** NST-type noise to add; undefined: the strip clean. */
  readonly noise: StressNoise | undefined;
}

/** Missed and false beats, Se, +P, and the marks more than 50 ms off. */
function fmt(s: BeatScore): string {
  return `FN ${s.fn} FP ${s.fp} Se ${sensitivityPct(s).toFixed(2)} +P ${ppvPct(s).toFixed(2)} marked > 50 ms ${offsetsBeyond(s, 50)}`;
}

/**
 * Runs the synthetic-strip benchmark `name` on each of `patterns` clean and with each of
 * {@link STRESS_NOISE_SETTINGS}, the strips from `strip`: `--seeds` (default 1–6), `--rates`
 * (default `defaultRates`), `--duration` (s, default 180).
 */
export async function runStripBenchmark<P extends string>(
  args: string[],
  defaultRates: string,
  name: string,
  patterns: readonly P[],
  strip: (request: StripRequest<P>) => LabelledStrip,
): Promise<void> {
  const cases = patterns.flatMap((pattern) =>
    STRESS_NOISE_SETTINGS.map((noise) => ({
      label: `${pattern} ${noise === undefined ? 'clean' : `${noise.kind} ${noise.snrDb} dB`}`,
      strip: (seed: number, sampleRateHz: number, durationS: number) =>
        strip({ pattern, seed, sampleRateHz, durationS, noise }),
    })),
  );
  const header = `${name}: ${patterns.length} patterns x ${STRESS_NOISE_SETTINGS.length} noise settings`;
  const options = parseOptions(args);
  const seedText = options.get('seeds') ?? '1,2,3,4,5,6';
  const seeds = seedText.split(',').map(Number);
  if (seeds.some((s) => !Number.isInteger(s)))
    throw new Error(`--seeds takes whole numbers separated by commas (e.g. 1,2,3), not "${seedText}"`);
  const rates = rateList(options, defaultRates);
  const durationS = Number(options.get('duration') ?? 180);
  if (!(durationS >= 10))
    throw new Error(`--duration takes seconds, at least 10, not "${options.get('duration')}"`);
  const load = loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  console.log(
    `${header} x rates ${rates.join(',')} x seeds ${seeds.join(',')}, ${durationS} s each; loadavg ${load}`,
  );
  const all: BeatScore[][] = LEAD_SETS.map(() => []);
  // false beats after each strip's first minute, per lead set: how long a wrong start lasts
  const late = LEAD_SETS.map(() => ({ within: 0, after: 0 }));
  for (const c of cases) {
    for (const fs of rates) {
      const bySet: BeatScore[][] = LEAD_SETS.map(() => []);
      for (const seed of seeds) {
        const strip = c.strip(seed, fs, durationS);
        const truth = strip.beats.map((b) => b.sample);
        LEAD_SETS.forEach((set, k) => {
          const leads = set.leads(strip);
          if (leads === undefined) return;
          const found = detectQrs(leads, fs);
          const score = scoreBeats(truth, found, fs);
          bySet[k]!.push(score);
          const split = FIRST_MINUTE_S * fs;
          const part = (keep: (sample: number) => boolean): number =>
            scoreBeats(truth.filter(keep), found.filter(keep), fs).fp;
          late[k]!.within += part((sample) => sample < split);
          late[k]!.after += part((sample) => sample >= split);
        });
      }
      const line = LEAD_SETS.flatMap((set, k) => {
        if (bySet[k]!.length === 0) return [];
        const score = addScores(bySet[k]!);
        all[k]!.push(score);
        return [`${set.label} ${fmt(score)}`];
      });
      console.log(`${c.label} ${fs} Hz: ${line.join(' | ')}`);
    }
  }
  const gross = LEAD_SETS.map((_, k) => (all[k]!.length === 0 ? undefined : addScores(all[k]!)));
  console.log(
    `gross: ${LEAD_SETS.flatMap((set, k) => (gross[k] === undefined ? [] : [`${set.label} ${fmt(gross[k])}`])).join(' | ')}`,
  );
  console.log(
    `false beats in each strip's first minute / after it: ${LEAD_SETS.flatMap((set, k) => (gross[k] === undefined ? [] : [`${set.label} ${late[k]!.within} / ${late[k]!.after}`])).join(' | ')}`,
  );
  const [one, two, fused] = gross as [BeatScore, BeatScore, BeatScore | undefined];
  await Promise.resolve();
  printHeadline({
    strips: cases.length * rates.length * seeds.length,
    sePct: round2(sensitivityPct(one)),
    ppvPct: round2(ppvPct(one)),
    se2LeadPct: round2(sensitivityPct(two)),
    ppv2LeadPct: round2(ppvPct(two)),
    ...(fused === undefined
      ? {}
      : { seFusedPct: round2(sensitivityPct(fused)), ppvFusedPct: round2(ppvPct(fused)) }),
  });
}
