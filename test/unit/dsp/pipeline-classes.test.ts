import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWfdbRecord } from '../../../main/devices/record-files.js';
import type { ClassifiedBeat } from '../../../main/dsp/beat-result.js';
import { classifyRecordBeats } from '../../../main/dsp/beat-record.js';
import type { BeatClass } from '../../../main/dsp/hrv.js';
import { LivePipeline } from '../../../main/dsp/pipeline.js';

const mitdb = join(process.env.PULSEWATCH_DATA ?? '../shared/data', 'mitdb');
const FS = 360;

/**
 * The first `minutes` of MIT-BIH `record` through the live pipeline (acquired I = 0, so the derived
 * II is MLII; the record's second lead goes in as V1), and the same beats classified offline.
 */
function liveAndOffline(
  record: string,
  minutes: number,
): { live: { index: number; beatClass: BeatClass }[]; offline: ClassifiedBeat[] } {
  const length = minutes * 60 * FS;
  const [mlii, v1] = loadWfdbRecord(mitdb, record).signals.map((s) =>
    Float64Array.from(s.subarray(0, length)),
  );
  const live: { index: number; beatClass: BeatClass }[] = [];
  const pipeline = new LivePipeline(
    { sampleRateHz: FS, microvoltsPerUnit: 5, mainsHz: 60, detectionLeads: ['II', 'V1'] },
    (index, beatClass) => live.push({ index, beatClass }),
  );
  const frame = new Float64Array(8);
  for (let n = 0; n < length; n++) {
    frame[1] = mlii![n]!;
    frame[2] = v1![n]!;
    pipeline.push(frame);
  }
  pipeline.flush();
  const offline = classifyRecordBeats(
    [mlii!, v1!],
    live.map((b) => b.index),
    FS,
  );
  return { live, offline };
}

describe('live beat classes', () => {
  it.skipIf(!existsSync(join(mitdb, '119.hea')))(
    'are the classes the benchmark gives the same beats (MIT-BIH 119, first 5 minutes, MLII and V1)',
    () => {
      const { live, offline } = liveAndOffline('119', 5);
      expect(live.length).toBeGreaterThan(300);
      // same classifier on the same causally filtered signal: every class agrees
      expect(live.map((b) => b.beatClass)).toEqual(offline.map((c) => c.beatClass));
      // and the record's PVCs are there
      expect(live.filter((b) => b.beatClass === 'V').length).toBeGreaterThan(50);
    },
  );

  it.skipIf(!existsSync(join(mitdb, '113.hea')))(
    'revised one beat later reach the live stream as the benchmark gives them (MIT-BIH 113, first 9 minutes, aberrated APCs)',
    () => {
      const { live, offline } = liveAndOffline('113', 9);
      expect(live.map((b) => b.beatClass)).toEqual(offline.map((c) => c.beatClass));
      // the record's aberrated APCs at 142053, 146714 and 183022 ('a'), revised from V by the beat after
      const near = (sample: number): BeatClass | undefined =>
        live.find((b) => Math.abs(b.index - sample) < 30)?.beatClass;
      expect([142053, 146714, 183022].map(near)).toEqual(['S', 'S', 'S']);
      expect(offline.some((c) => c.revises !== undefined)).toBe(true);
    },
  );
});
