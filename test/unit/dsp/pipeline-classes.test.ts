import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWfdbRecord } from '../../../main/devices/record-files.js';
import { classifyRecordBeats } from '../../../main/dsp/beat-record.js';
import type { BeatClass } from '../../../main/dsp/hrv.js';
import { LivePipeline } from '../../../main/dsp/pipeline.js';
import { atrialRhythm } from '../../../main/dsp/synthetic-atrial.js';

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

  it('apply the revision of a held beat by the next RR as the benchmark does (synthetic APCs, II and V1)', () => {
    const strip = atrialRhythm({ pattern: 'bigeminy', seed: 4, durationS: 180 });
    const fs = strip.sampleRateHz;
    const [ii, v1] = strip.leads;
    const live: { index: number; beatClass: BeatClass }[] = [];
    const pipeline = new LivePipeline(
      { sampleRateHz: fs, microvoltsPerUnit: 1, mainsHz: 50, detectionLeads: ['II', 'V1'] },
      (index, beatClass) => live.push({ index, beatClass }),
    );
    const frame = new Float64Array(8);
    for (let n = 0; n < ii.length; n++) {
      frame[1] = ii[n]!;
      frame[2] = v1[n]!;
      pipeline.push(frame);
    }
    pipeline.flush();
    expect(live.length).toBeGreaterThan(0.9 * strip.beats.length);
    const offline = classifyRecordBeats(
      [ii, v1],
      live.map((b) => b.index),
      fs,
    );
    // some classes were revised by the next beat's RR, and the live ones are the revised ones
    expect(offline.some((c) => c.revisesPrevious !== undefined)).toBe(true);
    expect(live.map((b) => b.beatClass)).toEqual(offline.map((c) => c.beatClass));
    expect(live.filter((b) => b.beatClass === 'S').length).toBeGreaterThan(50);
  });
});
