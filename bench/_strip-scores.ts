/**
 * The synthetic-strip QRS benchmarks (`qrs-wide`, `qrs-block`): strips with exact beat labels,
 * each case at each rate over several seeds, scored on lead II alone and on II + V1 fused
 * (±150 ms matching, whole strip); a detail line per case and rate, a gross line, and the headline
 * (gross Se / +P for one and two leads).
 */
import { loadavg } from 'node:os';
import { detectQrs } from '../main/dsp/qrs.js';
import { parseOptions, printHeadline, rateList, round2 } from './_common.js';
import { addScores, offsetsBeyond, ppvPct, scoreBeats, sensitivityPct, type BeatScore } from './_scoring.js';
import { STRESS_NOISE_SETTINGS, type StressNoise } from '../main/dsp/synthetic-noise.js';

/** A strip: its leads (II, then V1) and its labelled beats. */
export interface LabelledStrip {
  readonly leads: readonly Float64Array[];
  readonly beats: readonly { readonly sample: number }[];
}

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
  const all: BeatScore[][] = [[], []];
  for (const c of cases) {
    for (const fs of rates) {
      const byLeads: BeatScore[][] = [[], []];
      for (const seed of seeds) {
        const strip = c.strip(seed, fs, durationS);
        const truth = strip.beats.map((b) => b.sample);
        for (const leads of [1, 2]) {
          byLeads[leads - 1]!.push(scoreBeats(truth, detectQrs(strip.leads.slice(0, leads), fs), fs));
        }
      }
      const [one, two] = byLeads.map(addScores) as [BeatScore, BeatScore];
      all[0]!.push(one);
      all[1]!.push(two);
      console.log(`${c.label} ${fs} Hz: II ${fmt(one)} | II+V1 ${fmt(two)}`);
    }
  }
  const [one, two] = all.map(addScores) as [BeatScore, BeatScore];
  console.log(`gross: II ${fmt(one)} | II+V1 ${fmt(two)}`);
  await Promise.resolve();
  printHeadline({
    strips: cases.length * rates.length * seeds.length,
    sePct: round2(sensitivityPct(one)),
    ppvPct: round2(ppvPct(one)),
    se2LeadPct: round2(sensitivityPct(two)),
    ppv2LeadPct: round2(ppvPct(two)),
  });
}
