import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCounts, LSB_NANOVOLTS } from '../../../bench/_ludb.js';
import { deriveLeads, STANDARD_LEADS } from '../../../main/dsp/leads.js';
import { measureRecording, type Measured } from '../../../main/dsp/measure.js';
import { LivePipeline } from '../../../main/dsp/pipeline.js';
import { detectQrs } from '../../../main/dsp/qrs.js';
import { intervalsTooCoarseAt } from '../../../main/dsp/rate-limits.js';
import { resample } from '../../../main/dsp/resample.js';

const ludb = join(process.env.PULSEWATCH_DATA ?? '../shared/data', 'ludb', 'data');
const FS = 80;
const UV_PER_COUNT = LSB_NANOVOLTS / 1000;

/** The live pipeline's beats on a record's 8 acquired channels (ECG-12 counts) at 80 Hz. */
function liveBeats(counts: Float64Array[]): number[] {
  const beats: number[] = [];
  const pipeline = new LivePipeline({ sampleRateHz: FS, microvoltsPerUnit: UV_PER_COUNT }, (i) =>
    beats.push(i),
  );
  const frame = new Float64Array(8);
  for (let n = 0; n < counts[0]!.length; n++) {
    for (let c = 0; c < 8; c++) frame[c] = counts[c]![n]!;
    pipeline.push(frame);
  }
  pipeline.flush();
  return beats;
}

const value = (m: Measured): number | null => m.value;

describe('live pipeline at 80 Hz on real 12-lead records (LUDB 1–30, resampled from 500 Hz)', () => {
  it.skipIf(!existsSync(join(ludb, '1.hea')))(
    'finds the beats the benchmark finds and yields the same PR, QRS and QT (within one sample)',
    () => {
      let sameCount = 0;
      for (let record = 1; record <= 30; record++) {
        const counts = loadCounts(ludb, String(record)).map((c) => resample(c, 500, FS));
        const leads = deriveLeads(counts.map((c) => Float64Array.from(c, (v) => v * UV_PER_COUNT)));
        const live = liveBeats(counts);
        const bench = Array.from(detectQrs(leads, FS));
        if (live.length === bench.length) sameCount++;
        const measure = (beats: number[]) =>
          measureRecording({
            leadsMicrovolts: leads,
            leadNames: STANDARD_LEADS,
            beatSamples: beats,
            sampleRateHz: FS,
          });
        const a = measure(live);
        const b = measure(bench);
        for (const key of ['prMs', 'qrsMs', 'qtMs'] as const) {
          const x = value(a[key]);
          const y = value(b[key]);
          expect(x === null).toBe(y === null);
          if (x !== null && y !== null) expect(Math.abs(x - y)).toBeLessThanOrEqual(1000 / FS);
        }
      }
      expect(sameCount).toBeGreaterThanOrEqual(29);
    },
  );

  it('names QRS and QT as too coarse at 80 Hz, nothing at 128 Hz and above', () => {
    expect(intervalsTooCoarseAt(80)).toEqual(['qrsMs', 'qtMs']);
    expect(intervalsTooCoarseAt(128)).toEqual([]);
    expect(intervalsTooCoarseAt(500)).toEqual([]);
  });
});
