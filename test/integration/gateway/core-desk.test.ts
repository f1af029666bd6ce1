/**
 * The desk on a real gateway core (real SQLite file in a temp folder, simulated watches behind
 * noble): operators with hashed PINs, the session (operator, patient, lock) surviving a restart,
 * recording as the signed-in operator, and watches that disconnect without unpairing, take new
 * stream settings, and stay bound to their patient across a restart.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayCore, type GatewayCore } from '../../../main/api/gateway-core.js';
import { demoSimulators } from '../../../main/devices/demo-simulators.js';
import { nextEvent } from './core-events.js';

let core: GatewayCore;
let dataDir: string;

function open(): GatewayCore {
  return createGatewayCore({ dataDir, mode: 'edge', version: 'test', simulators: demoSimulators() });
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'pulsewatch-desk-'));
  core = open();
});

afterAll(async () => {
  await core.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('operators and the desk session', () => {
  it('keeps only a salted scrypt hash of a PIN, never the PIN', async () => {
    const op = await core.handlers['operators.create']({ name: 'Nurse Ada', pin: '482913' });
    expect(op).toMatchObject({ name: 'Nurse Ada', hasPin: true });
    await core.handlers['operators.create']({ name: 'Dr Bo' });
    const db = new Database(join(dataDir, 'gateway.db'), { readonly: true });
    const row = db.prepare('SELECT pin_hash FROM operators WHERE id = ?').get(op.id) as { pin_hash: string };
    db.close();
    expect(row.pin_hash).toMatch(/^scrypt\$16384\$[\w-]{22}\$[\w-]{43}$/);
    expect(row.pin_hash).not.toContain('482913');
    const list = await core.handlers['operators.list']({});
    expect(list.map((o) => [o.name, o.hasPin])).toEqual([
      ['Dr Bo', false],
      ['Nurse Ada', true],
    ]);
    await expect(core.handlers['operators.create']({ name: 'nurse ada' })).rejects.toMatchObject({
      code: 'operator_exists',
    });
  });

  it('signs in only with the right PIN, locks, and unlocks only with it', async () => {
    const ada = (await core.handlers['operators.list']({})).find((o) => o.name === 'Nurse Ada')!;
    await expect(core.handlers['desk.signIn']({ operatorId: ada.id })).rejects.toMatchObject({
      code: 'pin_required',
    });
    await expect(core.handlers['desk.signIn']({ operatorId: ada.id, pin: '000000' })).rejects.toMatchObject({
      code: 'wrong_pin',
    });
    const session = await core.handlers['desk.signIn']({ operatorId: ada.id, pin: '482913' });
    expect(session).toMatchObject({ operator: { name: 'Nurse Ada' }, locked: false });
    expect((await core.handlers['desk.lock']({})).locked).toBe(true);
    await expect(core.handlers['desk.unlock']({ pin: '111111' })).rejects.toMatchObject({
      code: 'wrong_pin',
    });
    expect((await core.handlers['desk.unlock']({ pin: '482913' })).locked).toBe(false);
  });

  it('makes an operator wait after five wrong PINs in a row', async () => {
    const ada = (await core.handlers['operators.list']({})).find((o) => o.name === 'Nurse Ada')!;
    for (let k = 0; k < 5; k += 1)
      await expect(core.handlers['desk.signIn']({ operatorId: ada.id, pin: '9999' })).rejects.toMatchObject({
        code: 'wrong_pin',
      });
    await expect(core.handlers['desk.signIn']({ operatorId: ada.id, pin: '482913' })).rejects.toMatchObject({
      code: 'pin_locked',
    });
  });

  it('records as the signed-in operator and refuses while the screen is locked', async () => {
    const bo = (await core.handlers['operators.list']({})).find((o) => o.name === 'Dr Bo')!;
    await core.handlers['desk.signIn']({ operatorId: bo.id });
    const patient = await core.handlers['patients.create']({ studyCode: 'DESK-1' });
    await core.handlers['desk.selectPatient']({ patientId: patient.id });
    await core.handlers['devices.connectEcg12']({});
    await nextEvent(core, 'devices.changed', (d) => d.kind === 'ecg12' && d.state === 'streaming');
    await core.handlers['desk.lock']({});
    await expect(core.handlers['recording.start']({ patientId: patient.id })).rejects.toMatchObject({
      code: 'locked',
    });
    await core.handlers['desk.unlock']({});
    const recording = await core.handlers['recording.start']({ patientId: patient.id });
    expect(recording.operator).toEqual({ id: bo.id, name: 'Dr Bo' });
    const marker = await core.handlers['recording.markEvent']({});
    expect(marker).toMatchObject({ kind: 'marker' });
    expect(marker.note).toBeUndefined();
    await core.handlers['recording.stop']({});
  });

  it('refuses a sample-rate change while recording and reconnects the unit to apply it otherwise', async () => {
    const patientId = (await core.handlers['desk.get']({})).patientId!;
    await core.handlers['recording.start']({ patientId });
    await expect(core.handlers['settings.update']({ ecgSampleRateHz: 250 })).rejects.toMatchObject({
      code: 'recording',
    });
    await core.handlers['recording.stop']({});
    const batch250 = nextEvent(core, 'ecg.received', (b) => b.sampleRateHz === 250);
    await core.handlers['settings.update']({ ecgSampleRateHz: 250 });
    expect((await batch250).sampleRateHz).toBe(250);
    // the unit's card says the rate it streams at, not the one it answered `ID?` with
    const unit = (await core.handlers['devices.list']({})).find((d) => d.kind === 'ecg12');
    expect(unit).toMatchObject({ state: 'streaming', sampleRateHz: 250 });
    await core.handlers['devices.disconnectEcg12']({});
  });

  it('lets the signed-in operator rename themself and change or remove their PIN, confirming with it', async () => {
    const cy = await core.handlers['operators.create']({ name: 'Nurse Cy', pin: '2468' });
    await core.handlers['desk.signIn']({ operatorId: cy.id, pin: '2468' });
    await expect(core.handlers['operators.update']({ name: 'Nurse Cyra' })).rejects.toMatchObject({
      code: 'pin_required',
    });
    await expect(
      core.handlers['operators.update']({ currentPin: '1111', name: 'Nurse Cyra' }),
    ).rejects.toMatchObject({ code: 'wrong_pin' });
    await expect(
      core.handlers['operators.update']({ currentPin: '2468', name: 'dr bo' }),
    ).rejects.toMatchObject({ code: 'operator_exists' });
    const renamed = await core.handlers['operators.update']({
      currentPin: '2468',
      name: 'Nurse Cyra',
      pin: '13579',
    });
    expect(renamed.operator).toEqual({ id: cy.id, name: 'Nurse Cyra', hasPin: true });
    await core.handlers['desk.lock']({});
    await expect(core.handlers['desk.unlock']({ pin: '2468' })).rejects.toMatchObject({ code: 'wrong_pin' });
    await core.handlers['desk.unlock']({ pin: '13579' });
    const noPin = await core.handlers['operators.update']({ currentPin: '13579', pin: null });
    expect(noPin.operator).toEqual({ id: cy.id, name: 'Nurse Cyra', hasPin: false });
  });

  it('retires an operator: signed out, not offered at sign-in, recordings keep the name, the name brings them back', async () => {
    const cyId = (await core.handlers['desk.get']({})).operator!.id;
    const session = await core.handlers['operators.retire']({});
    expect(session.operator).toBeNull();
    expect((await core.handlers['operators.list']({})).map((o) => o.name)).not.toContain('Nurse Cyra');
    await expect(core.handlers['desk.signIn']({ operatorId: cyId })).rejects.toMatchObject({
      code: 'operator_retired',
    });
    await expect(core.handlers['operators.retire']({})).rejects.toMatchObject({ code: 'no_operator' });
    const recordings = await core.handlers['recording.list']({ limit: 50 });
    expect(recordings.some((r) => r.operator.name === 'Dr Bo')).toBe(true);
    const back = await core.handlers['operators.create']({ name: 'nurse cyra', pin: '8642' });
    expect(back).toEqual({ id: cyId, name: 'nurse cyra', hasPin: true });
  });
});

describe('watches', () => {
  let address = '';
  let patientId = '';

  it('drops a cancelled pairing from the list', async () => {
    patientId = (await core.handlers['desk.get']({})).patientId!;
    const found = await core.handlers['devices.scanWatches']({ durationMs: 3000 });
    address = found.find((w) => w.kind === 'uart')!.address;
    await core.handlers['devices.pairWatch']({ address, patientId });
    expect((await core.handlers['devices.list']({})).some((d) => d.kind === 'watch')).toBe(true);
    await core.handlers['devices.confirmPairing']({ address, matches: false });
    expect((await core.handlers['devices.list']({})).some((d) => d.kind === 'watch')).toBe(false);
  });

  it('takes a new accelerometer rate while streaming', async () => {
    await core.handlers['devices.pairWatch']({ address, patientId });
    await core.handlers['devices.confirmPairing']({ address, matches: true });
    await nextEvent(core, 'watch.received', (b) => b.accel.length > 1);
    await core.handlers['settings.update']({ watchAccelHz: 50 });
    // 50 Hz is 20 ms between samples (12.5 Hz: 80 ms)
    const batch = await nextEvent(
      core,
      'watch.received',
      (b) => b.accel.length > 10 && b.accel[1]!.tMs - b.accel[0]!.tMs < 40,
    );
    expect(batch.accel[1]!.tMs - batch.accel[0]!.tMs).toBeCloseTo(20, 0);
  });

  it('disconnects without unpairing and reconnects on request', async () => {
    await core.handlers['devices.disconnectWatch']({ address });
    const card = (await core.handlers['devices.list']({})).find((d) => d.kind === 'watch');
    expect(card).toMatchObject({ state: 'disconnected', patientId });
    const streaming = nextEvent(
      core,
      'devices.changed',
      (d) => d.kind === 'watch' && d.state === 'streaming',
    );
    await core.handlers['devices.reconnectWatch']({ address });
    expect(await streaming).toMatchObject({ patientId });
  });

  it('keeps the session and the watch bound to its patient across a gateway restart', async () => {
    const before = await core.handlers['desk.get']({});
    await core.close();
    core = open();
    expect(await core.handlers['desk.get']({})).toEqual(before);
    const card = (await core.handlers['devices.list']({})).find((d) => d.kind === 'watch');
    expect(card).toMatchObject({ address, patientId });
    const streaming = await nextEvent(
      core,
      'devices.changed',
      (d) => d.kind === 'watch' && d.state === 'streaming',
    );
    expect(streaming).toMatchObject({ address, patientId });
    await core.handlers['devices.unpairWatch']({ address });
    await core.close();
    core = open();
    expect((await core.handlers['devices.list']({})).some((d) => d.kind === 'watch')).toBe(false);
  });
});
