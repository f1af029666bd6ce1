/**
 * The recorder with the signal pipeline's rhythm outputs: beats carry their AAMI class; an
 * episode of ventricular fibrillation (the simulator's, rhythm-episodes.ts: synthesised
 * ECGSYN-style over its sinus rhythm) becomes an event with onset and duration, a critical
 * alarm while it lasts, no beats and withheld measurements inside it, and so does the
 * simulator's asystole; at 80 Hz (the clinic's current unit) QRS and QT are withheld as too
 * coarse for their tolerance while PR and heart rate are given.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BeatRecord, EventRecord, MeasurementRecord } from '../../../server-contract/api/streams.js';
import { syntheticSource } from '../../../main/devices/ecg12/sim/synthetic-source.js';
import { parseEpisodes, withEpisodes } from '../../../main/devices/ecg12/sim/rhythm-episodes.js';
import { decodeRecords, EcgRun, feed, LSB_NV, RecorderRig, T0 } from './recorder-harness.js';

let rig: RecorderRig;
beforeEach(() => {
  rig = new RecorderRig();
});
afterEach(() => {
  rig.close();
});

function start(): void {
  const patient = rig.recorder.patientSync.create({ studyCode: 'R001' });
  rig.recorder.start({ patientId: patient.id, operatorName: 'Ana Silva' });
}

describe('Recorder with rhythm analysis', () => {
  it('records ventricular fibrillation as an episode with no beats and withheld measurements inside', () => {
    const source = withEpisodes(syntheticSource(500, LSB_NV, { seed: 7 }), LSB_NV, parseEpisodes('vf@20+15'));
    start();
    feed(rig, new EcgRun(T0, 500, 0, 10, 7, (index, out, offset) => source.fill(index, out, offset)), 50);
    const { summary } = rig.recorder.stop();
    const items = rig.drain();
    const events = decodeRecords<EventRecord>(items, 'events');
    const vf = events.filter((e) => e.kind === 'ventricular_flutter_fibrillation');
    const closed = vf.find((e) => e.durationMs !== undefined);
    expect(closed).toBeDefined();
    const onsetS = (closed!.tMs - T0) / 1000;
    expect(onsetS).toBeGreaterThan(19);
    expect(onsetS).toBeLessThan(24);
    expect(onsetS + closed!.durationMs! / 1000).toBeGreaterThan(33);
    expect(onsetS + closed!.durationMs! / 1000).toBeLessThan(38);
    // the summary staff see at the end counts it, with its length
    expect(summary).toMatchObject({
      vfEpisodes: 1,
      vfMs: closed!.durationMs,
      asystoleEpisodes: 0,
      asystoleMs: 0,
    });
    const beats = decodeRecords<BeatRecord>(items, 'beats');
    const inside = beats.filter(
      (b) => b.tMs > closed!.tMs + 500 && b.tMs < closed!.tMs + closed!.durationMs! - 500,
    );
    expect(inside).toEqual([]);
    expect(beats.length).toBeGreaterThan(30);
    const measurements = decodeRecords<MeasurementRecord>(items, 'measurements');
    const during = measurements.filter(
      (m) => m.tMs > closed!.tMs + 2000 && m.tMs < closed!.tMs + closed!.durationMs! - 500,
    );
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((m) => m.heartRateBpm === null && m.withheld.heartRateBpm === 'rhythm_episode')).toBe(
      true,
    );
    // after it, HRV leaves out the 15-s interval across it (an arrest, not heart-rate variability)
    const after = measurements.filter((m) => m.tMs > closed!.tMs + closed!.durationMs! + 5000);
    expect(after.length).toBeGreaterThan(2);
    expect(after.every((m) => m.sdnnMs !== null && m.sdnnMs < 150)).toBe(true);
    const raised = rig.events('alarms.raised') as { code: string; severity: string }[];
    expect(raised).toContainEqual(
      expect.objectContaining({ code: 'ventricular_flutter_fibrillation', severity: 'critical' }),
    );
    expect(rig.events('alarms.cleared')).toContainEqual(
      expect.objectContaining({ code: 'ventricular_flutter_fibrillation' }),
    );
  });

  it("raises the asystole alarm in the simulator's asystole and clears it when the beats return", () => {
    const source = withEpisodes(
      syntheticSource(250, LSB_NV, { seed: 7 }),
      LSB_NV,
      parseEpisodes('asystole@15+8'),
    );
    start();
    feed(rig, new EcgRun(T0, 250, 0, 10, 7, (index, out, offset) => source.fill(index, out, offset)), 35);
    expect(rig.recorder.stop().summary).toMatchObject({ vfEpisodes: 0, asystoleEpisodes: 1 });
    const items = rig.drain();
    const events = decodeRecords<EventRecord>(items, 'events');
    const closed = events.find((e) => e.kind === 'asystole' && e.durationMs !== undefined);
    expect(closed).toBeDefined();
    // the last beat before the flat line opens it; the first beat after it closes it
    expect((closed!.tMs - T0) / 1000).toBeGreaterThan(13.5);
    expect((closed!.tMs - T0) / 1000).toBeLessThan(15.5);
    expect((closed!.tMs + closed!.durationMs! - T0) / 1000).toBeGreaterThan(22.5);
    expect((closed!.tMs + closed!.durationMs! - T0) / 1000).toBeLessThan(25);
    expect(events.some((e) => e.kind === 'ventricular_flutter_fibrillation')).toBe(false);
    // HRV after it leaves out the 8-s interval across it
    const after = decodeRecords<MeasurementRecord>(items, 'measurements').filter(
      (m) => m.tMs > closed!.tMs + closed!.durationMs! + 3000,
    );
    expect(after.length).toBeGreaterThan(2);
    expect(after.every((m) => m.sdnnMs !== null && m.sdnnMs < 150)).toBe(true);
    expect(rig.events('alarms.raised')).toContainEqual(
      expect.objectContaining({ code: 'asystole', severity: 'critical' }),
    );
    expect(rig.events('alarms.cleared')).toContainEqual(expect.objectContaining({ code: 'asystole' }));
  });

  it('raises asystole while one chest electrode is reported off, from the leads that are still on', () => {
    const rate = 250;
    const source = withEpisodes(
      syntheticSource(rate, LSB_NV, { seed: 7 }),
      LSB_NV,
      parseEpisodes('asystole@15+8'),
    );
    // V2 (a detection lead) is off from 8 s on: its input floats (mains hum, 0.3 mV); II and V5 show the asystole
    const run = new EcgRun(T0, rate, 0, 10, 7, (index, out, offset) => {
      source.fill(index, out, offset);
      if (index >= 8 * rate)
        out[offset + 3] = Math.round((300 * Math.sin((2 * Math.PI * 50 * index) / rate)) / (LSB_NV / 1000));
    });
    start();
    feed(rig, run, 8);
    run.leadOffMask = 1 << 4; // V2
    rig.recorder.inputs.ecgLeadOff(['V2']);
    feed(rig, run, 27);
    rig.recorder.stop();
    const events = decodeRecords<EventRecord>(rig.drain(), 'events');
    expect(events.filter((e) => e.kind === 'lead_off').map((e) => e.leads)).toEqual([['V2']]);
    const closed = events.find((e) => e.kind === 'asystole' && e.durationMs !== undefined);
    expect(closed).toBeDefined();
    expect((closed!.tMs - T0) / 1000).toBeGreaterThan(13.5);
    expect((closed!.tMs - T0) / 1000).toBeLessThan(15.5);
    expect(rig.events('alarms.raised')).toContainEqual(
      expect.objectContaining({ code: 'asystole', severity: 'critical' }),
    );
    expect(rig.events('alarms.cleared')).toContainEqual(expect.objectContaining({ code: 'asystole' }));
    // the lead-off warning names V2 alone: beats are still detected on II and V5
    expect(rig.events('alarms.raised')).toContainEqual(
      expect.objectContaining({
        code: 'ecg_lead_off',
        message: 'Electrode off: V2. No ECG on V2. Reattach it.',
      }),
    );
  });

  it('records no asystole while the unit reports the electrodes off, and follows the beats when they are back smaller', () => {
    const rate = 250;
    const source = syntheticSource(rate, LSB_NV, { seed: 7 });
    const [off, on] = [20 * rate, 32 * rate];
    // while off the inputs float (mains hum, 0.3 mV); back on a low-voltage site: a fifth of the amplitude
    const run = new EcgRun(T0, rate, 0, 10, 7, (index, out, offset) => {
      source.fill(index, out, offset);
      for (let c = 0; c < 8; c++) {
        const hum = Math.round((300 * Math.sin((2 * Math.PI * 50 * index) / rate + c)) / (LSB_NV / 1000));
        if (index >= off && index < on) out[offset + c] = hum;
        else if (index >= on) out[offset + c] = Math.round(out[offset + c]! / 5);
      }
    });
    start();
    feed(rig, run, 20);
    run.leadOffMask = 0b111; // RA, LA, LL
    rig.recorder.inputs.ecgLeadOff(['RA', 'LA', 'LL']);
    feed(rig, run, 12);
    run.leadOffMask = 0;
    rig.recorder.inputs.ecgLeadOff([]);
    feed(rig, run, 28);
    rig.recorder.stop();
    const items = rig.drain();
    const events = decodeRecords<EventRecord>(items, 'events');
    expect(events.filter((e) => e.kind === 'asystole')).toEqual([]);
    expect(events.filter((e) => e.kind === 'lead_off').map((e) => e.leads)).toEqual([['LA', 'LL', 'RA'], []]);
    // the recording says beat detection relearned, once, as the electrodes came back
    const relearned = events.filter(
      (e) => e.kind === 'device' && e.note?.startsWith('Beat detection relearned'),
    );
    expect(relearned.map((e) => e.note)).toEqual([
      'Beat detection relearned: the ECG shows again after every detection lead was off, flat or clipping',
    ]);
    expect(Math.abs(relearned[0]!.tMs - (T0 + 32_000))).toBeLessThan(1500);
    // no arrest alarm: only the lead-off warning, raised and cleared
    expect(rig.events('alarms.raised')).toEqual([
      expect.objectContaining({
        code: 'ecg_lead_off',
        severity: 'warning',
        message:
          'Electrodes off: LA, LL, RA. No ECG on I, II, III, aVR, aVL, aVF, V1, V2, V3, V4, V5, V6: ' +
          'beat detection and the arrest alarms wait for them. Reattach them.',
      }),
    ]);
    expect(rig.events('alarms.cleared')).toEqual([expect.objectContaining({ code: 'ecg_lead_off' })]);
    const beats = decodeRecords<BeatRecord>(items, 'beats').map((b) => (b.tMs - T0) / 1000);
    expect(beats.filter((t) => t >= 20.5 && t < 32)).toEqual([]);
    // 70/min: from 2 s after the electrodes are back, every beat (the detector relearned)
    const back = beats.filter((t) => t >= 34 && t < 59);
    expect(back.length).toBeGreaterThanOrEqual(28);
    expect(back.length).toBeLessThanOrEqual(30);
  });

  it('keeps the VF alarm when the electrodes come off during VF: its end was not seen', () => {
    const rate = 250;
    // VF from 20 to 35 s; the unit reports every electrode off from 30 to 45 s (the inputs float:
    // mains hum, 0.3 mV): the VF ends unseen, and sinus rhythm shows when the electrodes are back
    const source = withEpisodes(
      syntheticSource(rate, LSB_NV, { seed: 7 }),
      LSB_NV,
      parseEpisodes('vf@20+15'),
    );
    const [off, on] = [30 * rate, 45 * rate];
    const run = new EcgRun(T0, rate, 0, 10, 7, (index, out, offset) => {
      source.fill(index, out, offset);
      if (index >= off && index < on)
        for (let c = 0; c < 8; c++)
          out[offset + c] = Math.round(
            (300 * Math.sin((2 * Math.PI * 50 * index) / rate + c)) / (LSB_NV / 1000),
          );
    });
    start();
    feed(rig, run, 30);
    run.leadOffMask = 0b111111111; // every electrode
    rig.recorder.inputs.ecgLeadOff(['RA', 'LA', 'LL', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    feed(rig, run, 15);
    run.leadOffMask = 0;
    rig.recorder.inputs.ecgLeadOff([]);
    feed(rig, run, 25);
    rig.recorder.stop();
    const events = decodeRecords<EventRecord>(rig.drain(), 'events');
    const vf = events.filter(
      (e) => e.kind === 'ventricular_flutter_fibrillation' && e.durationMs !== undefined,
    );
    expect(vf).toHaveLength(1);
    // recorded as far as it was seen, and said so
    expect((vf[0]!.tMs + vf[0]!.durationMs! - T0) / 1000).toBeGreaterThan(29);
    expect((vf[0]!.tMs + vf[0]!.durationMs! - T0) / 1000).toBeLessThan(32);
    expect(vf[0]!.note).toMatch(/end was not seen/);
    // the alarm is not cleared: raised at onset, reworded when the leads went off, never cleared
    const alarms = rig.emitted
      .filter((e) => e.event === 'alarms.raised' || e.event === 'alarms.cleared')
      .map((e) => ({ event: e.event, ...(e.payload as { code: string; message?: string }) }))
      .filter((a) => a.code === 'ventricular_flutter_fibrillation');
    expect(alarms.map((a) => a.event)).toEqual(['alarms.raised', 'alarms.raised']);
    expect(alarms[1]!.message).toMatch(/its end was not seen/);
    expect(rig.events('alarms.raised')).not.toContainEqual(expect.objectContaining({ code: 'asystole' }));
  });

  it('warns while electrodes are off, across a new recording, and forgets them when the unit stops', () => {
    const source = syntheticSource(250, LSB_NV, { seed: 7 });
    const run = new EcgRun(T0, 250, 0, 10, 7, (index, out, offset) => source.fill(index, out, offset));
    const leadOff = (): unknown[] =>
      rig.emitted
        .filter((e) => (e.payload as { code?: string }).code === 'ecg_lead_off')
        .map((e) => [e.event, (e.payload as { message?: string }).message ?? '']);
    feed(rig, run, 2);
    rig.recorder.inputs.ecgLeadOff(['V3']);
    rig.recorder.inputs.ecgLeadOff(['V3']); // each STATUS frame repeats it: one alarm
    start();
    // the new recording records the lead-off afresh; the alarm stands as it was
    rig.recorder.inputs.ecgLeadOff(['V3']);
    feed(rig, run, 1);
    rig.recorder.inputs.ecgLeadOff([]);
    rig.recorder.inputs.ecgLeadOff(['V3', 'LA']);
    rig.recorder.inputs.ecgLeadOff(['RA']);
    rig.recorder.inputs.ecgStopped('ECG-12 unit unplugged');
    expect(leadOff()).toEqual([
      ['alarms.raised', 'Electrode off: V3. No ECG on V3. Reattach it.'],
      ['alarms.cleared', ''],
      [
        'alarms.raised',
        'Electrodes off: LA, V3. No ECG on I, III, aVR, aVL, aVF, V1, V2, V3, V4, V5, V6. Reattach them.',
      ],
      [
        'alarms.raised',
        'Electrode off: RA. No ECG on I, II, III, aVR, aVL, aVF, V1, V2, V3, V4, V5, V6: ' +
          'beat detection and the arrest alarms wait for it. Reattach it.',
      ],
      ['alarms.cleared', ''],
    ]);
    rig.recorder.stop();
    const recorded = decodeRecords<EventRecord>(rig.drain(), 'events')
      .filter((e) => e.kind === 'lead_off')
      .map((e) => e.leads);
    expect(recorded[0]).toEqual(['V3']);
  });

  it('reports a lone PVC, a couplet, a run of ventricular tachycardia as one episode with its beats and rate and a critical alarm while it lasts, and a run of PACs', () => {
    // sinus rhythm at 70/min with a lone PVC, a couplet, a 9-beat run (at 0.6 of the sinus cycle:
    // ~117/min) and a run of 4 PACs
    const forcedClasses: Record<number, 'V' | 'S'> = { 12: 'V', 20: 'V', 21: 'V' };
    for (let k = 30; k < 39; k++) forcedClasses[k] = 'V';
    for (let k = 46; k < 50; k++) forcedClasses[k] = 'S';
    const source = syntheticSource(500, LSB_NV, { seed: 7, forcedClasses });
    start();
    feed(rig, new EcgRun(T0, 500, 0, 10, 7, (index, out, offset) => source.fill(index, out, offset)), 50);
    const { summary } = rig.recorder.stop();
    const items = rig.drain();
    const events = decodeRecords<EventRecord>(items, 'events');
    const beats = decodeRecords<BeatRecord>(items, 'beats');
    // one classifier: the summary counts the V beats; the events are the lone PVC, the couplet
    // (noted) and the run, whose beats are not a PVC each
    const ventricular = beats.filter((b) => b.beatClass === 'V').map((b) => b.tMs);
    expect(ventricular).toHaveLength(12);
    expect(summary?.pvcCount).toBe(12);
    expect(events.filter((e) => e.kind === 'pvc')).toEqual([
      { tMs: ventricular[0], kind: 'pvc' },
      { tMs: ventricular[1], kind: 'pvc', note: 'couplet' },
      { tMs: ventricular[2], kind: 'pvc', note: 'couplet' },
    ]);
    // the run: opened at its third beat, closed at its last, once; the couplet is none
    const runs = events.filter((e) => e.kind === 'ventricular_run');
    expect(runs).toHaveLength(2);
    const [opened, closed] = runs as [EventRecord, EventRecord];
    expect(opened).toEqual({
      tMs: ventricular[3],
      kind: 'ventricular_run',
      note: expect.stringMatching(/^3 ventricular beats at 11\d\/min so far: ventricular tachycardia$/),
    });
    expect(closed).toEqual({
      tMs: ventricular[3],
      kind: 'ventricular_run',
      durationMs: ventricular[11]! - ventricular[3]!,
      note: expect.stringMatching(
        /^9 ventricular beats at 11\d\/min: non-sustained ventricular tachycardia$/,
      ),
    });
    expect(summary).toMatchObject({ ventricularRuns: 1, supraventricularRuns: 1 });
    const supraventricular = beats.filter((b) => b.beatClass === 'S').map((b) => b.tMs);
    expect(supraventricular).toHaveLength(4);
    expect(events.filter((e) => e.kind === 'supraventricular_run' && e.durationMs !== undefined)).toEqual([
      {
        tMs: supraventricular[0],
        kind: 'supraventricular_run',
        durationMs: supraventricular[3]! - supraventricular[0]!,
        note: expect.stringMatching(/^4 supraventricular beats at \d+\/min/),
      },
    ]);
    expect(events.some((e) => e.kind === 'pac')).toBe(false);
    expect(events.some((e) => e.kind === 'pause' || e.kind === 'tachycardia')).toBe(false);
    const raised = (
      rig.events('alarms.raised') as { code: string; severity: string; message: string }[]
    ).filter((a) => a.code === 'ventricular_run');
    expect(raised).toEqual([
      expect.objectContaining({
        severity: 'critical',
        message: expect.stringMatching(/^Ventricular tachycardia: /),
      }),
    ]);
    expect(rig.events('alarms.cleared')).toContainEqual(expect.objectContaining({ code: 'ventricular_run' }));
  });

  it("reports the simulator's ventricular tachycardia as one ventricular run, with no VF and no tachycardia beside it", () => {
    const source = withEpisodes(syntheticSource(500, LSB_NV, { seed: 7 }), LSB_NV, parseEpisodes('vt@20+12'));
    start();
    feed(rig, new EcgRun(T0, 500, 0, 10, 7, (index, out, offset) => source.fill(index, out, offset)), 45);
    const { summary } = rig.recorder.stop();
    const events = decodeRecords<EventRecord>(rig.drain(), 'events');
    const runs = events.filter((e) => e.kind === 'ventricular_run' && e.durationMs !== undefined);
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    expect((run.tMs - T0) / 1000).toBeGreaterThan(19.9);
    expect((run.tMs - T0) / 1000).toBeLessThan(21);
    expect((run.tMs + run.durationMs! - T0) / 1000).toBeGreaterThan(31);
    expect((run.tMs + run.durationMs! - T0) / 1000).toBeLessThan(32.1);
    const [, beats, rate] =
      /^(\d+) ventricular beats at (\d+)\/min: non-sustained ventricular tachycardia$/.exec(run.note ?? '') ??
      [];
    expect(Number(rate)).toBeGreaterThanOrEqual(140);
    expect(Number(rate)).toBeLessThanOrEqual(180);
    expect(Math.abs(Number(beats) - (12 * Number(rate)) / 60)).toBeLessThanOrEqual(2);
    expect(summary).toMatchObject({ ventricularRuns: 1, vfEpisodes: 0, asystoleEpisodes: 0 });
    expect(
      events.some((e) => e.kind === 'ventricular_flutter_fibrillation' || e.kind === 'tachycardia'),
    ).toBe(false);
  });

  it('classifies live beats and, at 80 Hz, withholds QRS and QT as too coarse while giving PR and heart rate', () => {
    start();
    feed(rig, new EcgRun(T0, 80, 0, 4), 40);
    rig.recorder.stop();
    const items = rig.drain();
    const beats = decodeRecords<BeatRecord>(items, 'beats');
    expect(beats.length).toBeGreaterThan(40);
    expect(beats.filter((b) => b.beatClass === 'N').length / beats.length).toBeGreaterThan(0.9);
    const measurements = decodeRecords<MeasurementRecord>(items, 'measurements');
    const late = measurements.filter((m) => m.tMs > T0 + 15_000);
    expect(late.length).toBeGreaterThan(5);
    for (const m of late) {
      expect(m.qrsMs).toBeNull();
      expect(m.withheld.qrsMs).toBe('rate_too_low');
      expect(m.withheld.qtcBazettMs).toBe('rate_too_low');
    }
    expect(late.some((m) => m.prMs !== null)).toBe(true);
    expect(late.every((m) => m.heartRateBpm !== null && Math.abs(m.heartRateBpm - 70) < 8)).toBe(true);
  });
});
