/**
 * `npm run bench -- qrs-block [--seeds 1,2,3,4,5,6] [--rates 80,128,250,360] [--duration 180]`
 *
 * QRS detection in atrioventricular block (main/dsp/synthetic-block.ts): 2:1 block, and complete
 * block with a junctional (narrow) or a ventricular (wide) escape rhythm — slow ventricular rates
 * with P waves that no QRS follows, which a detector must not count (a heart rate doubled in
 * complete block hides the bradycardia). Each clean and with NST-type muscle (ma) and
 * electrode-motion (em) noise at 24 and 18 dB (against the strip's QRS; noise can hide the P
 * waves' shape, by which the detector's training tells them from beats), at each rate, on lead II
 * alone, on II + V1 fused, and on II + V2 + V5 fused (the live pipeline's detection leads); ±150 ms
 * matching, whole strip. A development aid like `qrs-wide`: generator and rules were written by the
 * same team. Detail lines per pattern × noise × rate; headline: gross Se / +P for each lead set
 * (`seFusedPct`, `ppvFusedPct`: II + V2 + V5).
 */
import { avBlockRhythm, BLOCK_PATTERNS } from '../main/dsp/synthetic-block.js';
import { runStripBenchmark } from './_strip-scores.js';

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  await runStripBenchmark(args, '80,128,250,360', 'qrs-block', BLOCK_PATTERNS, avBlockRhythm);
}
