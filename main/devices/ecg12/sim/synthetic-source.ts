/**
 * A simulator sample source backed by the signal pipeline's synthetic ECG (`main/dsp/synthetic.ts`):
 * deterministic from the seed, never repeating. The generator is sequential; sets are kept in a
 * ring of recent history, and asking for an index older than the ring restarts the generator from
 * its seed (the simulator restarts at index 0 with every START), so set `index` is always the same.
 */
import { SyntheticEcg, type SyntheticEcgOptions } from '../../../dsp/synthetic.js';
import { CHANNEL_COUNT } from '../protocol.js';
import type { SampleSource } from './record-source.js';

const HISTORY_SETS = 4096;

/** A synthetic source at `rateHz`; `options` go to the generator (seed, heart rate, noise…). */
export function syntheticSource(
  rateHz: number,
  lsbNanovolts: number,
  options: Partial<Omit<SyntheticEcgOptions, 'sampleRateHz' | 'lsbNanovolts'>> = {},
): SampleSource {
  const history = new Int32Array(HISTORY_SETS * CHANNEL_COUNT);
  const microvolts = new Float64Array(CHANNEL_COUNT);
  const countsPerMicrovolt = 1000 / lsbNanovolts;
  let generator = new SyntheticEcg({ ...options, sampleRateHz: rateHz, lsbNanovolts });
  let produced = 0;
  return {
    name: `synthetic ECG (seed ${options.seed ?? 1}, ${options.heartRateBpm ?? 70} bpm) @ ${rateHz} Hz`,
    rateHz,
    periodSets: Number.POSITIVE_INFINITY,
    fill(index, out, offset) {
      if (index < produced - HISTORY_SETS) {
        generator = new SyntheticEcg({ ...options, sampleRateHz: rateHz, lsbNanovolts });
        produced = 0;
      }
      while (produced <= index) {
        generator.step(microvolts);
        const at = (produced % HISTORY_SETS) * CHANNEL_COUNT;
        for (let ch = 0; ch < CHANNEL_COUNT; ch++)
          history[at + ch] = Math.round(microvolts[ch]! * countsPerMicrovolt);
        produced++;
      }
      const from = (index % HISTORY_SETS) * CHANNEL_COUNT;
      for (let ch = 0; ch < CHANNEL_COUNT; ch++) out[offset + ch] = history[from + ch]!;
    },
  };
}
