/**
 * `npm run bench -- qrs-wide [--seeds 1,2,3,4,5,6] [--rates 128,360] [--duration 180]`
 *
 * QRS detection on synthetic strips of wide QRS complexes (main/dsp/synthetic-wide.ts): atrial
 * fibrillation with bundle-branch block (`af-bbb`), atrial fibrillation with Ashman beats and
 * PVCs (`af-aberrant-pvc`), multiform ventricular ectopy with couplets and salvos
 * (`multiform-pvc`) — the rhythms where a 5–15 Hz detector misses beats on records we do not
 * hold — each clean and with NST-type muscle (ma) and electrode-motion (em) noise at 24 and
 * 18 dB, at each rate, on lead II alone, on II + V1 fused, and on II + V2 + V5 fused (the live
 * pipeline's detection leads). ±150 ms matching, whole strip. A development aid, not a clinical
 * figure: generator and rules were written by the same team, so it guards against regressions
 * rather than measuring accuracy on unseen patients. Detail lines per pattern × noise × rate;
 * headline: gross Se / +P for each lead set (`seFusedPct`, `ppvFusedPct`: II + V2 + V5).
 */
import { WIDE_PATTERNS, wideRhythm } from '../main/dsp/synthetic-wide.js';
import { runStripBenchmark } from './_strip-scores.js';

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  await runStripBenchmark(args, '128,360', 'qrs-wide', WIDE_PATTERNS, wideRhythm);
}
