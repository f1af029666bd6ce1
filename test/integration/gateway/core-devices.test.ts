/**
 * The gateway core with its simulated devices, end to end: the ECG-12 simulator on a real
 * pseudo-terminal → serial decoder → live pipeline → the API's events; and the simulated
 * Bangle.js behind noble → scan → pair with a code → confirm → heart rate on the API.
 * Waits for events with generous timeouts; asserts on content, never on speed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayCore, type GatewayCore } from '../../../main/api/gateway-core.js';
import { demoSimulators } from '../../../main/devices/demo-simulators.js';
import { nextEvent } from './core-events.js';

let core: GatewayCore;
let dataDir: string;
const seen: { event: string; payload: unknown }[] = [];

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'pulsewatch-core-'));
  core = createGatewayCore({ dataDir, mode: 'edge', version: 'test', simulators: demoSimulators() });
  core.events.subscribe((event, payload) => seen.push({ event, payload }));
});

afterAll(async () => {
  await core.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('simulated ECG-12 through the core', () => {
  it('streams 12 display leads with beats, flagged simulated', async () => {
    const streaming = nextEvent(
      core,
      'devices.changed',
      (s) => s.kind === 'ecg12' && s.state === 'streaming',
    );
    const status = await core.handlers['devices.connectEcg12']({});
    expect(status.kind).toBe('ecg12');
    await streaming;
    const batch = await nextEvent(core, 'ecg.received', (b) => b.beats.length > 0);
    expect(batch.simulated).toBe(true);
    expect(batch.leads).toEqual(['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    expect(batch.samplesUv.every((lead) => lead.length === batch.samplesUv[0]!.length)).toBe(true);
    expect(batch.sampleRateHz).toBe(500);
  });

  it('measures the synthetic 70 bpm sinus rhythm every 2 s with plausible intervals', async () => {
    const m = await nextEvent(core, 'measurements.updated', (r) => r.windowMs >= 8000);
    expect(m.heartRateBpm).toBeGreaterThan(60);
    expect(m.heartRateBpm).toBeLessThan(80);
    for (const key of ['prMs', 'qrsMs', 'qtMs'] as const) expect(m[key], key).not.toBeNull();
    expect(m.prMs!).toBeGreaterThan(100);
    expect(m.prMs!).toBeLessThan(250);
    expect(m.qrsMs!).toBeGreaterThan(60);
    expect(m.qrsMs!).toBeLessThan(140);
    expect(m.qtcBazettMs!).toBeGreaterThan(m.qtMs! * 0.9);
  });

  it('reports the unit in devices.list with counters and refuses a second connect', async () => {
    const devices = await core.handlers['devices.list']({});
    const unit = devices.find((d) => d.kind === 'ecg12');
    expect(unit).toMatchObject({
      state: 'streaming',
      serial: 'ECG-SIM-0001',
      simulated: true,
      lsbNanovolts: 476.84,
    });
    expect(unit?.kind === 'ecg12' && unit.counters.frames).toBeGreaterThan(0);
    await expect(core.handlers['devices.connectEcg12']({})).rejects.toMatchObject({
      code: 'already_connected',
    });
  });

  it('relearns beat detection on request: an event says so, and the beats come back', async () => {
    const noted = nextEvent(
      core,
      'events.recorded',
      (e) => e.kind === 'device' && /relearned/.test(e.note ?? ''),
    );
    await core.handlers['devices.relearnEcg']({});
    const event = await noted;
    expect(event.note).toBe('Beat detection relearned at staff request');
    // the beats of the next 4 s come when the relearning ends, from then on as before
    const batch = await nextEvent(core, 'ecg.received', (b) => b.beats.some((beat) => beat.tMs > event.tMs));
    expect(batch.beats.length).toBeGreaterThan(0);
  });

  it('disconnects cleanly, and then refuses to relearn', async () => {
    await core.handlers['devices.disconnectEcg12']({});
    const devices = await core.handlers['devices.list']({});
    expect(devices.find((d) => d.kind === 'ecg12')?.state).toBe('disconnected');
    await expect(core.handlers['devices.relearnEcg']({})).rejects.toMatchObject({ code: 'not_streaming' });
  });
});

describe('simulated Bangle.js through the core', () => {
  it('refuses to pair a watch to a patient this gateway does not have', async () => {
    await expect(
      core.handlers['devices.pairWatch']({
        address: 'e7:5b:21:09:1a:2b',
        patientId: '0192a3b4-c5d6-7e8f-8a0b-1c2d3e4f5a6c',
      }),
    ).rejects.toMatchObject({ code: 'patient_not_found' });
  });

  it('scans, pairs with a 4-digit code, and streams heart rate for the bound patient', async () => {
    const { id: patientId } = await core.handlers['patients.create']({ studyCode: 'P100', ageYears: 40 });
    const found = await core.handlers['devices.scanWatches']({ durationMs: 3000 });
    const uart = found.find((w) => w.kind === 'uart');
    expect(uart?.simulated).toBe(true);
    const { code } = await core.handlers['devices.pairWatch']({ address: uart!.address, patientId });
    expect(code).toMatch(/^\d{4}$/);
    const status = await core.handlers['devices.confirmPairing']({ address: uart!.address, matches: true });
    expect(status).toMatchObject({ kind: 'watch', patientId });
    const batch = await nextEvent(core, 'watch.received', (b) => b.hr.length > 0);
    expect(batch.address).toBe(uart!.address);
    expect(batch.hr[0]!.bpm).toBeGreaterThan(30);
    await core.handlers['devices.unpairWatch']({ address: uart!.address });
    // an unpaired watch leaves no card behind
    const after = await core.handlers['devices.list']({});
    expect(after.find((d) => d.kind === 'watch' && d.address === uart!.address)).toBeUndefined();
  });
});
