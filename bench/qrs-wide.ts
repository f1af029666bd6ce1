/**
 * `npm run bench -- qrs-wide [--seeds 1,2,3,4,5,6] [--rates 128,360] [--duration 180]`
 *
 * QRS detection on synthetic strips of wide QRS complexes (main/dsp/synthetic-wide.ts): atrial
 * fibrillation with bundle-branch block (`af-bbb`), atrial fibrillation with Ashman beats and
 * PVCs (`af-aberrant-pvc`), multiform ventricular ectopy with couplets and salvos
 * (`multiform-pvc`) — the rhythms where a 5–15 Hz detector misses beats on records we do not
 * hold — each clean and with NST-type muscle (ma) and electrode-motion (em) noise at 24 and
 * 18 dB, at each rate, on lead II alone and on II + V1 fused. ±150 ms matching, whole strip.
 * A development aid, not a clinical figure: generator and rules were written by the same team,
 * so it guards against regressions rather than measuring accuracy on unseen patients.
 * Detail lines per pattern × noise × rate; headline: gross Se / +P for one and two leads.
 */
import { loadavg } from 'node:os';
import { detectQrs } from '../main/dsp/qrs.js';
import { WIDE_NOISE_SETTINGS, WIDE_PATTERNS, wideRhythm } from '../main/dsp/synthetic-wide.js';
import { parseOptions, printHeadline, rateList } from './_common.js';
import { addScores, offsetsBeyond, ppvPct, scoreBeats, sensitivityPct, type BeatScore } from './_scoring.js';

const fmt = (s: BeatScore): string =>
  `FN ${s.fn} FP ${s.fp} Se ${sensitivityPct(s).toFixed(2)} +P ${ppvPct(s).toFixed(2)} marked > 50 ms ${offsetsBeyond(s, 50)}`;
const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const seeds = (options.get('seeds') ?? '1,2,3,4,5,6').split(',').map(Number);
  const rates = rateList(options, '128,360');
  const durationS = Number(options.get('duration') ?? 180);
  console.log(
    `qrs-wide: ${WIDE_PATTERNS.length} patterns x ${WIDE_NOISE_SETTINGS.length} noise settings x rates ${rates.join(',')} x ` +
      `seeds ${seeds.join(',')}, ${durationS} s each; loadavg ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
  );
  const all: BeatScore[][] = [[], []];
  for (const pattern of WIDE_PATTERNS) {
    for (const noise of WIDE_NOISE_SETTINGS) {
      for (const fs of rates) {
        const byLeads: BeatScore[][] = [[], []];
        for (const seed of seeds) {
          const strip = wideRhythm({ pattern, seed, sampleRateHz: fs, durationS, noise });
          const truth = strip.beats.map((b) => b.sample);
          for (const leads of [1, 2]) {
            const found = detectQrs(strip.leads.slice(0, leads), fs);
            byLeads[leads - 1]!.push(scoreBeats(truth, found, fs));
          }
        }
        const [one, two] = byLeads.map(addScores) as [BeatScore, BeatScore];
        all[0]!.push(one);
        all[1]!.push(two);
        const label = noise === undefined ? 'clean' : `${noise.kind} ${noise.snrDb} dB`;
        console.log(`${pattern} ${label} ${fs} Hz: II ${fmt(one)} | II+V1 ${fmt(two)}`);
      }
    }
  }
  const [one, two] = all.map(addScores) as [BeatScore, BeatScore];
  console.log(`gross: II ${fmt(one)} | II+V1 ${fmt(two)}`);
  await Promise.resolve();
  printHeadline({
    strips: WIDE_PATTERNS.length * WIDE_NOISE_SETTINGS.length * rates.length * seeds.length,
    sePct: round2(sensitivityPct(one)),
    ppvPct: round2(ppvPct(one)),
    se2LeadPct: round2(sensitivityPct(two)),
    ppv2LeadPct: round2(ppvPct(two)),
  });
}
