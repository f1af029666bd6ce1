import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWfdbRecord } from '../../../main/devices/record-files.js';
import { classifyRecordBeats } from '../../../main/dsp/beat-record.js';
import type { BeatClass } from '../../../main/dsp/hrv.js';
import { LivePipeline } from '../../../main/dsp/pipeline.js';

describe('live beat classes revised one beat later', () => {
  const mitdb = join(process.env.PULSEWATCH_DATA ?? '../shared/data', 'mitdb');
  it.skipIf(!existsSync(join(mitdb, '113.hea')))(
    'reach the live stream as the benchmark gives them (MIT-BIH 113, first 9 minutes, aberrated APCs)',
    () => {
      const record = loadWfdbRecord(mitdb, '113');
      const fs = 360;
      const length = 9 * 60 * fs;
      const [mlii, v1] = record.signals.map((s) => Float64Array.from(s.subarray(0, length)));
      const live: { index: number; beatClass: BeatClass }[] = [];
      const pipeline = new LivePipeline(
        { sampleRateHz: fs, microvoltsPerUnit: 5, mainsHz: 60, detectionLeads: ['II', 'V1'] },
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
        fs,
      );
      expect(live.map((b) => b.beatClass)).toEqual(offline.map((c) => c.beatClass));
      // the record's aberrated APCs at 142053, 146714 and 183022 ('a'), revised from V by the beat after
      const near = (sample: number): BeatClass | undefined =>
        live.find((b) => Math.abs(b.index - sample) < 30)?.beatClass;
      expect([142053, 146714, 183022].map(near)).toEqual(['S', 'S', 'S']);
      expect(offline.some((c) => c.revises !== undefined)).toBe(true);
    },
  );
});
