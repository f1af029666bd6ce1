/**
 * Reports of recordings that are not a plain ended ECG recording, through the gateway API's
 * handlers on a real database: staff's own segment, a watch-only recording (a report without the
 * 12-lead page, saying so), a recording with ventricular fibrillation (listed with its times),
 * and the refusals with their stable codes — unknown, open and voided recordings, a segment
 * outside the ECG, chunks no longer on the gateway. Nothing is queued when a report is refused.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { parseEpisodes, withEpisodes } from '../../../main/devices/ecg12/sim/rhythm-episodes.js';
import { syntheticSource } from '../../../main/devices/ecg12/sim/synthetic-source.js';
import { EcgRun, feed, LSB_NV } from '../recorder/recorder-harness.js';
import { readPdf, ReportRig } from './report-rig.js';

let rig: ReportRig;

beforeEach(() => {
  rig = new ReportRig();
});

afterEach(() => {
  rig.close();
});

function reportItems(): number {
  return rig.queue.status().pendingItems;
}

describe('reports of unusual recordings', () => {
  it('prints the segment staff chose and says so', async () => {
    const id = rig.recordEcg(40);
    const recording = rig.recorder.list(1)[0]!;
    const startMs = recording.startedAtMs + 12_000;
    const info = await rig.handlers['reports.create']({
      recordingId: id,
      paper: 'Letter',
      segmentStartMs: startMs,
    });
    expect(info).toMatchObject({ segmentStartMs: startMs, segmentChosenBy: 'staff', paper: 'Letter' });
    const { text } = await readPdf(rig.reports.pdf(info.id)!);
    const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);
    expect(text.replace(/\s+/g, ' ')).toContain(
      `Strip ${clock(startMs)}–${clock(startMs + 10_000)} UTC: the segment staff chose.`,
    );
  });

  it('moves the strip back before electrodes came off, and says when no 10 s were good', async () => {
    const source = syntheticSource(500, LSB_NV, { seed: 7 });
    const flatFrom = (flatIndex: number) => (index: number, out: Int32Array, offset: number) => {
      if (index >= flatIndex) out.fill(0, offset, offset + 8);
      else source.fill(index, out, offset);
    };
    const patient = rig.recorder.patientSync.create({ studyCode: 'P003' });
    const state = rig.recorder.start({ patientId: patient.id, operatorName: 'Ana Silva' });
    // 30 s of ECG, then 10 s with every electrode off (flat)
    feed(rig, new EcgRun(rig.clock.nowMs, 500, 0, 10, 7, flatFrom(15_000)), 40);
    rig.recorder.stop();
    const info = await rig.handlers['reports.create']({ recordingId: state.id, paper: 'A4' });
    expect(info.segmentChosenBy).toBe('good_signal');
    expect(info.segmentStartMs! + 10_000).toBeLessThanOrEqual(state.startedAtMs + 30_000);
    expect(info.segmentStartMs! + 10_000).toBeGreaterThan(state.startedAtMs + 25_000);

    const flat = rig.recorder.patientSync.create({ studyCode: 'P004' });
    const flatState = rig.recorder.start({ patientId: flat.id, operatorName: 'Ana Silva' });
    feed(rig, new EcgRun(rig.clock.nowMs, 500, 0, 10, 7, flatFrom(0)), 15);
    rig.recorder.stop();
    const last = await rig.handlers['reports.create']({ recordingId: flatState.id, paper: 'A4' });
    expect(last.segmentChosenBy).toBe('last_signal');
    const { text } = await readPdf(rig.reports.pdf(last.id)!);
    expect(text.replace(/\s+/g, ' ')).toContain('no 10 s of good-quality signal was found');
  });

  it('leaves a gap inside a chosen strip blank and says so', async () => {
    const patient = rig.recorder.patientSync.create({ studyCode: 'P005' });
    const state = rig.recorder.start({ patientId: patient.id, operatorName: 'Ana Silva' });
    const run = new EcgRun(rig.clock.nowMs);
    feed(rig, run, 15);
    // 2 s of frames lost on the link, then 15 s more
    const resumed = run.frame(100);
    rig.clock.nowMs = resumed.hostReceiveMs;
    rig.recorder.inputs.ecgSamples(resumed, { serial: 'ECG-SIM-0001', simulated: true });
    feed(rig, run, 15);
    rig.recorder.stop();
    const info = await rig.handlers['reports.create']({
      recordingId: state.id,
      paper: 'A4',
      segmentStartMs: state.startedAtMs + 10_000,
    });
    expect(info).toMatchObject({ segmentChosenBy: 'staff', pageCount: 2 });
    const { text } = await readPdf(rig.reports.pdf(info.id)!);
    expect(text.replace(/\s+/g, ' ')).toContain('The strip has 1 gap(s) in the recorded signal, left blank');
    // the automatic choice avoids the gap: the last 10 s lie after it
    const auto = await rig.handlers['reports.create']({ recordingId: state.id, paper: 'A4' });
    expect(auto.segmentChosenBy).toBe('good_signal');
    expect(auto.segmentStartMs!).toBeGreaterThan(state.startedAtMs + 17_000);
  });

  it('lists the arrest rhythms the gateway computed, with onset, end and length, and keeps them out of HRV', async () => {
    const source = withEpisodes(
      syntheticSource(500, LSB_NV, { seed: 7 }),
      LSB_NV,
      parseEpisodes('vf@12+12,asystole@32+6'),
    );
    const patient = rig.recorder.patientSync.create({ studyCode: 'P006' });
    const state = rig.recorder.start({ patientId: patient.id, operatorName: 'Ana Silva' });
    feed(
      rig,
      new EcgRun(rig.clock.nowMs, 500, 0, 10, 7, (i, out, offset) => source.fill(i, out, offset)),
      50,
    );
    rig.recorder.stop();
    const info = await rig.handlers['reports.create']({ recordingId: state.id, paper: 'A4' });
    const text = (await readPdf(rig.reports.pdf(info.id)!)).text.replace(/\s+/g, ' ');
    const m =
      /Arrest rhythms \(computed, to review\) Ventricular flutter\/fibrillation (\S+)–(\S+) UTC \((\d+\.\d) s\); Asystole (\S+)–(\S+) UTC/.exec(
        text,
      );
    expect(m).not.toBeNull();
    const clockS = (hms: string) =>
      (Date.parse(`1970-01-01T${hms}Z`) - (state.startedAtMs % 86_400_000)) / 1000;
    const [vfOn, vfOff, asyOn, asyOff] = [m![1]!, m![2]!, m![4]!, m![5]!].map(clockS);
    expect(vfOn).toBeGreaterThan(11);
    expect(vfOn).toBeLessThan(16);
    expect(vfOff).toBeGreaterThan(22);
    expect(vfOff).toBeLessThan(27);
    expect(Number(m![3])).toBeGreaterThan(8);
    // asystole counts from the last beat before the flat line to the first after it
    expect(asyOn).toBeGreaterThan(30.5);
    expect(asyOn).toBeLessThan(32.5);
    expect(asyOff).toBeGreaterThan(37.5);
    expect(asyOff).toBeLessThan(39.5);
    // page 1 names them above the measurements: the strip (the last good 10 s) does not show them
    expect(text).toContain(
      'Arrest rhythm computed in this recording: ventricular flutter/fibrillation ×1, asystole ×1 (times under Recording)',
    );
    // HRV leaves out the intervals across the episodes: an arrest is not heart-rate variability
    const sdnn = /HRV \(NN intervals\) SDNN (\d+) ms/.exec(text);
    expect(Number(sdnn?.[1])).toBeLessThan(150);
  });

  it('makes a watch-only recording a report without the 12-lead page, saying so', async () => {
    (rig as { devices: unknown[] }).devices = [
      { kind: 'bangle', serial: 'aa:bb:cc:dd:ee:ff', simulated: true },
    ];
    const patient = rig.recorder.patientSync.create({ studyCode: 'W001' });
    const state = rig.recorder.start({ patientId: patient.id, operatorName: 'Ana Silva' });
    rig.watchPatients.set('aa:bb:cc:dd:ee:ff', patient.id);
    for (let k = 0; k < 30; k++) {
      rig.clock.nowMs += 1000;
      rig.recorder.inputs.watchHr('aa:bb:cc:dd:ee:ff', {
        tMs: rig.clock.nowMs,
        bpm: 60 + (k % 5),
        confidence: 90,
      });
    }
    rig.recorder.stop();
    const info = await rig.handlers['reports.create']({ recordingId: state.id, paper: 'A4' });
    expect(info).toMatchObject({ pageCount: 1, segmentStartMs: null, segmentChosenBy: null });
    const back = await readPdf(rig.reports.pdf(info.id)!);
    expect(back.pages).toBe(1);
    const text = back.text.replace(/\s+/g, ' ');
    expect(text).toContain(
      'No 12-lead ECG page: this recording has no ECG from the 12-lead unit (watch only).',
    );
    expect(text).toContain('30 readings, mean 62 bpm (60–64 bpm)');
    expect(text).toContain('Page 1 of 1');
    expect(text).toContain('SIMULATED');
    await expect(
      rig.handlers['reports.create']({
        recordingId: state.id,
        paper: 'A4',
        segmentStartMs: state.startedAtMs,
      }),
    ).rejects.toMatchObject({ code: 'segment_out_of_range' });
  });

  it.each([
    ['before the recording', (start: number) => start - 60_000],
    ['past its end', (start: number) => start + 35_000],
    ['far in the future', () => 4_000_000_000_000],
  ])('refuses a segment %s with segment_out_of_range', async (_what, at) => {
    const id = rig.recordEcg(40);
    const before = reportItems();
    const start = rig.recorder.list(1)[0]!.startedAtMs;
    await expect(
      rig.handlers['reports.create']({ recordingId: id, paper: 'A4', segmentStartMs: at(start) }),
    ).rejects.toMatchObject({
      code: 'segment_out_of_range',
      message: expect.stringContaining('choose a start between'),
    });
    expect(reportItems()).toBe(before);
    expect(rig.reports.list(id)).toEqual([]);
  });

  it('refuses an unknown recording, an open one and a voided one with their codes', async () => {
    await expect(
      rig.handlers['reports.create']({ recordingId: uuidv7(), paper: 'A4' }),
    ).rejects.toMatchObject({
      code: 'recording_not_found',
    });
    const id = rig.recordEcg(15);
    rig.recorder.void(id, 'wrong patient, repeated');
    await expect(rig.handlers['reports.create']({ recordingId: id, paper: 'A4' })).rejects.toMatchObject({
      code: 'recording_voided',
    });
    const patient = rig.recorder.patientSync.create({ studyCode: 'P002' });
    const open = rig.recorder.start({ patientId: patient.id, operatorName: 'Ana Silva' });
    feed(rig, new EcgRun(rig.clock.nowMs), 12);
    await expect(rig.handlers['reports.create']({ recordingId: open.id, paper: 'A4' })).rejects.toMatchObject(
      {
        code: 'recording_open',
      },
    );
    rig.recorder.stop();
    expect(rig.reports.list()).toEqual([]);
  });

  it('refuses a recording whose chunks were pruned after upload, and lists what it made', async () => {
    const id = rig.recordEcg(15);
    const made = await rig.handlers['reports.create']({ recordingId: id, paper: 'A4' });
    rig.drain();
    rig.queue.markRecordingVerified(id);
    rig.clock.nowMs += 8 * 24 * 3600 * 1000;
    expect(rig.queue.prune()).toBeGreaterThan(0);
    await expect(rig.handlers['reports.create']({ recordingId: id, paper: 'A4' })).rejects.toMatchObject({
      code: 'signal_unavailable',
    });
    expect(await rig.handlers['reports.list']({ recordingId: id })).toEqual([
      { ...made, upload: 'uploaded', uploadError: null, pdfAvailable: false },
    ]);
    // the desk is told where the PDF went, and an unknown id is not confused with it
    await expect(rig.handlers['reports.pdf']({ reportId: made.id })).rejects.toMatchObject({
      code: 'report_gone',
    });
    await expect(rig.handlers['reports.pdf']({ reportId: uuidv7() })).rejects.toMatchObject({
      code: 'report_not_found',
    });
    expect(await rig.handlers['reports.list']({ recordingId: uuidv7() })).toEqual([]);
  });
});
