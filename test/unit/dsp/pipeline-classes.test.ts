import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWfdbRecord } from '../../../main/devices/record-files.js';
import { classifyRecordBeats } from '../../../main/dsp/beat-record.js';
import type { BeatClass } from '../../../main/dsp/hrv.js';
import { LivePipeline } from '../../../main/dsp/pipeline.js';

describe('live beat classes', () => {
  const mitdb = join(process.env.PULSEWATCH_DATA ?? '../shared/data', 'mitdb');
  it.skipIf(!existsSync(join(mitdb, '119.hea')))(
    'are the classes the benchmark gives the same beats (MIT-BIH 119, first 5 minutes, MLII and V1)',
    () => {
      const record = loadWfdbRecord(mitdb, '119');
      const fs = 360;
      const length = 5 * 60 * fs;
      const [mlii, v1] = record.signals.map((s) => Float64Array.from(s.subarray(0, length)));
      // acquired I = 0, so the derived II is MLII; the record's second lead goes in as V1
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
      expect(live.length).toBeGreaterThan(300);
      const offline = classifyRecordBeats(
        [mlii!, v1!],
        live.map((b) => b.index),
        fs,
      );
      // same classifier on the same causally filtered signal: every class agrees
      expect(live.map((b) => b.beatClass)).toEqual(offline.map((c) => c.beatClass));
      // and the record's PVCs are there
      expect(live.filter((b) => b.beatClass === 'V').length).toBeGreaterThan(50);
    },
  );
});
