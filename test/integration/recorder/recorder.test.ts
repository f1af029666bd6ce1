/**
 * The recorder on a real gateway database and queue: sealing, gaps, crash recovery, the disk
 * quota, patients and watch streams. The ECG comes from the simulator's synthetic source, a
 * deterministic function of seed and index, so every decoded sample is checked against it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SampledChunk } from '../../../server-contract/codec/index.js';
import { sampleTimeMs } from '../../../server-contract/codec/index.js';
import type { QueueItem } from '../../../main/queue/types.js';
import { decodeItems, EcgRun, feed, RecorderRig, T0 } from './recorder-harness.js';
import { coverage } from './coverage.js';

let rig: RecorderRig;

beforeEach(() => {
  rig = new RecorderRig();
});

afterEach(() => {
  rig.close();
});

function startFor(studyCode = 'P001') {
  const patient = rig.recorder.patientSync.create({ studyCode });
  return rig.recorder.start({ patientId: patient.id, operatorName: 'Ana Silva' });
}

function checkSamples(chunks: SampledChunk[], run: EcgRun): number {
  let checked = 0;
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.header.sampleCount; i++) {
      const index = Math.round(((sampleTimeMs(chunk.header, i) - chunk.header.anchorMs) * run.rateHz) / 1000);
      const expected = run.expected(index);
      for (let c = 0; c < 8; c++) expect(chunk.samples[c]![i]).toBe(expected[c]);
      checked++;
    }
  }
  return checked;
}

function endBody(items: QueueItem[]) {
  const end = items.find((i) => i.route === 'recordings.end');
  expect(end).toBeDefined();
  return end!.body as { finalChunkCounts: Record<string, number>; summary: Record<string, unknown> };
}

describe('Recorder', () => {
  it('seals 130 s of ECG into contiguous 60-s chunks that decode to exactly what the unit sent', () => {
    startFor();
    const run = new EcgRun(T0);
    feed(rig, run, 130);
    const state = rig.recorder.stop();
    expect(state.state).toBe('ended');
    expect(state.endReason).toBe('stopped');

    const items = rig.drain();
    expect(items.slice(0, 2).map((i) => i.route)).toEqual(['patients.create', 'recordings.create']);
    const ecg = decodeItems(items, 'ecg') as SampledChunk[];
    expect(ecg.map((c) => [c.header.chunkIndex, c.header.firstSampleIndex, c.header.sampleCount])).toEqual([
      [0, 0, 30_000],
      [1, 30_000, 30_000],
      [2, 60_000, 5_000],
    ]);
    expect(ecg.every((c) => c.header.gaps.length === 0 && c.header.anchorMs === Math.round(T0))).toBe(true);
    expect(checkSamples(ecg, run)).toBe(65_000);

    const beats = decodeItems(items, 'beats').flatMap((c) => ('records' in c ? c.records : []));
    const { finalChunkCounts, summary } = endBody(items);
    expect(finalChunkCounts.ecg).toBe(3);
    expect(finalChunkCounts.beats).toBe(decodeItems(items, 'beats').length);
    expect(finalChunkCounts.measurements).toBeGreaterThanOrEqual(1);
    expect(summary.beats).toBe(beats.length);
    // the synthetic unit beats at 70 bpm
    expect(beats.length).toBeGreaterThan(140);
    expect(beats.length).toBeLessThan(160);
    expect(summary.meanHeartRateBpm).toBeGreaterThan(66);
    expect(summary.meanHeartRateBpm).toBeLessThan(74);
    expect(summary.gapCount).toBe(0);
  });

  it('keeps the beats the pipeline still holds when the recording stops', () => {
    startFor();
    feed(rig, new EcgRun(T0), 10);
    rig.recorder.stop();
    const beats = decodeItems(rig.drain(), 'beats').flatMap((c) => ('records' in c ? c.records : []));
    // 70 bpm for 10 s: about 11.7 beats; the VF decision holds the last ~4.5 s until the stop
    expect(beats.length).toBeGreaterThanOrEqual(10);
    expect(Math.max(...beats.map((b) => b.tMs))).toBeGreaterThan(T0 + 8_500);
  });

  it('records frames lost on the link as a gap inside the chunk, and a new run after an unplug as a gap event', () => {
    startFor();
    const run = new EcgRun(T0);
    feed(rig, run, 10);
    rig.recorder.inputs.ecgSamples(run.frame(5), { serial: 'ECG-SIM-0001', simulated: true });
    feed(rig, run, 5);
    const run2 = new EcgRun(T0 + 20_000);
    feed(rig, run2, 5);
    rig.recorder.stop();
    const items = rig.drain();
    const ecg = decodeItems(items, 'ecg') as SampledChunk[];
    expect(ecg).toHaveLength(2);
    expect(ecg[0]!.header.gaps).toEqual([{ atSample: 5_000, lengthSamples: 50, cause: 'frames_lost' }]);
    expect(ecg[1]!.header.anchorMs).toBe(T0 + 20_000);
    expect(checkSamples(ecg.slice(0, 1), run)).toBe(7_510);
    const events = decodeItems(items, 'events').flatMap((c) => ('records' in c ? c.records : []));
    const notes = events.filter((e) => e.kind === 'gap').map((e) => e.note);
    expect(notes).toEqual(['ecg: frames_lost', 'ecg: device_disconnected']);
    expect(coverage(items).uncoveredMs).toBe(0);
  });

  it('after a crash seals what was durable, waits interrupted, and a continued recording records the downtime', () => {
    const started = startFor();
    const run = new EcgRun(T0);
    feed(rig, run, 20.3); // the last 0.3 s is never flushed: lost with the process
    rig.newRecorder(); // the process restarted
    const interrupted = rig.recorder.current();
    expect(interrupted?.id).toBe(started.id);
    expect(interrupted?.state).toBe('interrupted');
    expect(rig.events('alarms.raised')).toContainEqual(
      expect.objectContaining({ code: 'recording_interrupted' }),
    );

    rig.clock.nowMs = T0 + 50_000;
    const resumed = rig.recorder.continue();
    expect(resumed.state).toBe('recording');
    const run2 = new EcgRun(T0 + 51_000);
    feed(rig, run2, 10);
    rig.recorder.stop();

    const items = rig.drain();
    const ecg = decodeItems(items, 'ecg') as SampledChunk[];
    expect(ecg.map((c) => c.header.chunkIndex)).toEqual([0, 1]);
    const durable = ecg[0]!.header.sampleCount;
    expect(durable).toBeGreaterThanOrEqual(10_000);
    expect(durable).toBeLessThan(10_150);
    expect(checkSamples(ecg.slice(0, 1), run)).toBe(durable);
    const events = decodeItems(items, 'events').flatMap((c) => ('records' in c ? c.records : []));
    expect(events.map((e) => e.note)).toContain('ecg: gateway_down');
    expect(coverage(items).uncoveredMs).toBe(0);
    const { finalChunkCounts } = endBody(items);
    expect(finalChunkCounts.ecg).toBe(2);
    // no chunk index twice, none missing
    for (const [stream, count] of Object.entries(finalChunkCounts)) {
      const indexes = items.filter((i) => i.stream === stream).map((i) => i.chunkIndex);
      expect(indexes).toEqual([...Array(count).keys()]);
    }
  });

  it('never reuses a chunk index across two crashes in a row (a chunk sealed after the last flush counts)', () => {
    startFor();
    const run = new EcgRun(T0);
    // 5 s with 5-s chunks: chunk 0 is sealed by the last frame, after the last flush
    rig.settings = { ...rig.settings, ecgChunkSeconds: 5 };
    rig.newRecorder();
    rig.recorder.stop();
    const { id } = startFor('P002');
    feed(rig, run, 5);
    rig.newRecorder();
    rig.recorder.continue();
    feed(rig, new EcgRun(T0 + 10_000), 3);
    rig.newRecorder(); // second crash: the journal holds chunk 1, never chunk 0 again
    expect(rig.events('alarms.raised')).not.toContainEqual(
      expect.objectContaining({ code: 'recovery_failed' }),
    );
    rig.recorder.stop();
    const items = rig.drain().filter((i) => i.recordingId === id);
    const ecg = items.filter((i) => i.stream === 'ecg').map((i) => i.chunkIndex);
    expect(ecg).toEqual([0, 1]);
    expect(endBody(items).finalChunkCounts.ecg).toBe(2);
    expect(coverage(items).uncoveredMs).toBe(0);
  });

  it('stopping an interrupted recording ends it with the reason gateway_restarted', () => {
    startFor();
    feed(rig, new EcgRun(T0), 3);
    rig.newRecorder();
    const ended = rig.recorder.stop();
    expect(ended.state).toBe('ended');
    expect(ended.endReason).toBe('gateway_restarted');
    const { finalChunkCounts } = endBody(rig.drain());
    expect(finalChunkCounts.ecg).toBe(1);
  });

  it('pauses capture with an alarm at the disk quota and resumes by itself, the pause a recorded gap', () => {
    startFor();
    const run = new EcgRun(T0);
    feed(rig, run, 5);
    rig.quotaBytes = 1;
    rig.recorder.flush();
    expect(rig.recorder.current()?.suspended).toBe('disk_quota');
    expect(rig.events('alarms.raised')).toContainEqual(
      expect.objectContaining({ code: 'disk_quota', severity: 'critical' }),
    );
    expect(() =>
      rig.recorder.start({ patientId: rig.recorder.current()!.patientId, operatorName: 'x' }),
    ).toThrow(/Already recording/);
    feed(rig, run, 5); // not captured
    rig.quotaBytes = 1e12;
    rig.recorder.flush();
    expect(rig.events('alarms.cleared')).toContainEqual(expect.objectContaining({ code: 'disk_quota' }));
    feed(rig, run, 5);
    rig.recorder.stop();
    const items = rig.drain();
    const ecg = decodeItems(items, 'ecg') as SampledChunk[];
    expect(ecg).toHaveLength(2);
    const events = decodeItems(items, 'events').flatMap((c) => ('records' in c ? c.records : []));
    const pause = events.find((e) => e.note === 'ecg: disk_quota');
    expect(pause?.durationMs).toBeGreaterThanOrEqual(4_900);
    expect(coverage(items).uncoveredMs).toBe(0);
    expect(checkSamples(ecg, run)).toBe(ecg[0]!.header.sampleCount + ecg[1]!.header.sampleCount);
  });

  it('reassigns and voids ended recordings here and as queued corrections for the server', () => {
    const { id } = startFor('P001');
    const other = rig.recorder.patientSync.create({ studyCode: 'P002' });
    expect(() => rig.recorder.reassign(id, other.id, 'wrong patient')).toThrow(/Stop the recording/);
    feed(rig, new EcgRun(T0), 1);
    rig.recorder.stop();
    const moved = rig.recorder.reassign(id, other.id, 'chosen from the wrong row');
    expect(moved).toMatchObject({ patientId: other.id, studyCode: 'P002' });
    const voided = rig.recorder.void(id, 'electrodes on the wrong patient');
    expect(voided.voidReason).toBe('electrodes on the wrong patient');
    expect(rig.recorder.list(10).map((r) => r.id)).toEqual([id]);
    const corrections = rig
      .drain()
      .filter((i) => i.route === 'recordings.reassign' || i.route === 'recordings.void');
    expect(corrections.map((i) => [i.route, i.params, i.body])).toEqual([
      [
        'recordings.reassign',
        { recordingId: id },
        { patientId: other.id, reason: 'chosen from the wrong row' },
      ],
      ['recordings.void', { recordingId: id }, { reason: 'electrodes on the wrong patient' }],
    ]);
  });

  it('queues patients for the server, including ones made before the queue existed', () => {
    const early = rig.patients.create({ studyCode: 'P000' });
    rig.newRecorder();
    const p = rig.recorder.patientSync.create({ studyCode: 'P001', identity: { name: 'Maria' } });
    rig.recorder.patientSync.update(p.id, { ageYears: 61 });
    const items = rig.drain();
    expect(items.map((i) => [i.route, (i.body as { studyCode?: string }).studyCode ?? null])).toEqual([
      ['patients.create', 'P000'],
      ['patients.create', 'P001'],
      ['patients.update', null],
    ]);
    expect(items[0]!.body).toMatchObject({ id: early.id, createdAtMs: early.createdAtMs });
    expect(items[1]!.body).toMatchObject({ identity: { name: 'Maria' } });
    expect(items[2]!.params).toEqual({ patientId: p.id });
  });

  it('puts watch accelerometer batches with delivery jitter on one clock, and a silence becomes a gap', () => {
    const state = startFor();
    rig.watchPatients.set('aa:bb:cc:dd:ee:ff', state.patientId);
    rig.watchPatients.set('11:22:33:44:55:66', 'someone-else');
    const hz = 12.5;
    const batch = (k: number, jitterMs: number) => ({
      ts: T0 + k * 1040 + jitterMs,
      hz,
      xyzMilliG: Array.from({ length: 13 * 3 }, (_, i) => k * 100 + i),
    });
    for (let k = 0; k < 10; k++) {
      rig.recorder.inputs.watchAccel('aa:bb:cc:dd:ee:ff', batch(k, k % 2 === 0 ? 30 : -30));
      rig.recorder.inputs.watchAccel('11:22:33:44:55:66', batch(k, 0));
    }
    rig.recorder.inputs.watchAccel('aa:bb:cc:dd:ee:ff', batch(20, 0));
    rig.recorder.inputs.watchHr('aa:bb:cc:dd:ee:ff', { tMs: T0 + 500, bpm: 71, confidence: 90 });
    rig.recorder.stop();
    const items = rig.drain();
    const accel = decodeItems(items, 'accel') as SampledChunk[];
    expect(accel).toHaveLength(1);
    expect(accel[0]!.header.sampleCount).toBe(11 * 13);
    expect(accel[0]!.header.gaps).toEqual([{ atSample: 130, lengthSamples: 130, cause: 'watch_data_lost' }]);
    expect(Array.from(accel[0]!.samples[0]!.slice(0, 4))).toEqual([0, 3, 6, 9]);
    expect(endBody(items).summary).toMatchObject({ hrReadings: 1, accelSamples: 143 });
  });
});
