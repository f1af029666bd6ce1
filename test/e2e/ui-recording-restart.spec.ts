/**
 * What staff see when recording cannot simply go on. After a real crash (kill -9 of a gateway
 * process while it records the simulated unit), the restarted gateway's UI offers to continue
 * the interrupted recording (the downtime becomes a gap) or to stop it (ended as "gateway
 * restarted"); and paused capture is explained in plain words, its alarm dropped when cleared.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { createGatewayCore, type GatewayCore } from '../../main/api/gateway-core.js';
import { demoSimulators } from '../../main/devices/demo-simulators.js';
import { ensureUiBuilt } from '../../main/edge/build-ui.js';
import { startEdgeHost, type EdgeHost } from '../../main/edge/host.js';
import { GatewayProcess } from '../integration/chaos/gateway-process.js';
import { startEdgeFixture } from './edge-fixture.js';
import { SHOTS, expectNoAxeViolations, fact } from './ui-checks.js';

/** A gateway process recording `studyCode` from the simulated unit, killed with SIGKILL mid-recording. */
async function crashWhileRecording(dataDir: string, studyCode: string): Promise<void> {
  const gw = await GatewayProcess.start(dataDir);
  try {
    const patient = await gw.call('patients.create', { studyCode });
    await gw.call('devices.connectEcg12', {});
    await gw.call('recording.start', { patientId: patient.id, operatorName: 'Night Shift' });
    // something durable first: the unit has sent samples and the journal has taken them (≤ 1 s)
    await gw.until('ECG measurements', async () => {
      const list = await gw.call('devices.list', {});
      const unit = list.find((d) => d.kind === 'ecg12');
      return unit !== undefined && unit.counters.frames > 500 ? true : undefined;
    });
    await new Promise((r) => setTimeout(r, 1500));
  } finally {
    await gw.kill9();
  }
}

/** The gateway core restarted in-process on `dataDir`, behind an edge host. */
async function restart(
  dataDir: string,
): Promise<{ core: GatewayCore; host: EdgeHost; close(): Promise<void> }> {
  const restarted = createGatewayCore({
    dataDir,
    mode: 'edge',
    version: '0.0.0-e2e',
    simulators: demoSimulators(),
    listPorts: () => Promise.resolve([]),
  });
  const served = await startEdgeHost({
    core: restarted,
    staticDir: ensureUiBuilt(),
    host: '127.0.0.1',
    port: 0,
  });
  return {
    core: restarted,
    host: served,
    close: async () => {
      await served.close();
      await restarted.close();
    },
  };
}

test('after a crash, offers to continue the interrupted recording or stop it as gateway restarted', async ({
  page,
}) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pulsewatch-e2e-crash-'));
  try {
    // ── crash 1: continue, then stop ──────────────────────────────────────────────────────
    await crashWhileRecording(dataDir, 'CRASH-1');
    let gateway = await restart(dataDir);
    try {
      await page.goto(gateway.host.url);
      const recording = page.getByRole('region', { name: 'Recording' });
      const notice = recording.getByRole('alert').filter({ hasText: 'was interrupted' });
      await expect(notice).toContainText('Recording CRASH-1');
      await expect(notice).toContainText('the gateway restarted while recording');
      await expect(recording.getByRole('button', { name: 'Start recording' })).toBeDisabled();
      await expect(recording.getByRole('button', { name: 'Stop recording' })).toHaveCount(1);
      await recording.scrollIntoViewIfNeeded();
      await recording.screenshot({ path: `${SHOTS}/ui-recording-interrupted.png` });
      await expectNoAxeViolations(page);
      const resume = notice.getByRole('button', { name: 'Continue recording' });
      await resume.focus();
      await page.keyboard.press('Enter');
      const live = recording.getByRole('status').filter({ hasText: 'Recording CRASH-1' });
      await expect(live).toContainText('Chunks sealed so far');
      await expect(notice).toBeHidden();
      await expect(recording.getByRole('button', { name: 'Start recording' })).toBeDisabled();
      // staff plug the unit back in: its data resumes after the hole the restart left
      await page.getByRole('button', { name: 'Connect ECG unit', exact: true }).click();
      await expect(page.getByRole('status').filter({ hasText: /Live from ECG-SIM-\d+/ })).toBeVisible();
      await expect(page.getByLabel('ECG heart rate').locator('.value')).toHaveText(/^\d{2,3}$/, {
        timeout: 30_000,
      });
      await recording.getByRole('button', { name: 'Stop recording' }).click();
      const summary = recording.locator('dl.summary');
      await expect(fact(summary, 'End reason')).toHaveText('Stopped by staff');
      // the gateway's own downtime is a recorded gap
      await expect(fact(summary, 'Gaps')).toHaveText(/^[1-9]\d* gaps?, .+ in total$/);
    } finally {
      await gateway.close();
    }

    // ── crash 2: stop it as it stands ───────────────────────────────────────────────────
    await crashWhileRecording(dataDir, 'CRASH-2');
    gateway = await restart(dataDir);
    try {
      await page.goto(gateway.host.url);
      const recording = page.getByRole('region', { name: 'Recording' });
      const notice = recording.getByRole('alert').filter({ hasText: 'was interrupted' });
      await expect(notice).toContainText('Recording CRASH-2');
      await notice.getByRole('button', { name: 'Stop recording' }).click();
      await expect(recording.getByRole('status')).toContainText('Recording CRASH-2 ended at');
      const summary = recording.locator('dl.summary');
      await expect(fact(summary, 'End reason')).toHaveText(/gateway restarted during the recording/);
      await expect(fact(summary, 'Beats')).toHaveText(/^\d+$/);
      // a new recording waits for someone to sign in (the crashed one was started by the core)
      await expect(recording.locator('.next-step')).toHaveText('Next: sign in (choose your name).');
      await summary.scrollIntoViewIfNeeded();
      await recording.screenshot({ path: `${SHOTS}/ui-recording-stopped-after-restart.png` });
      const state = await gateway.core.handlers['recording.current']({});
      expect(state?.endReason).toBe('gateway_restarted');
    } finally {
      await gateway.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

/**
 * Paused capture cannot be reached quickly for real (the smallest quota is 10 MB of recorded
 * data; a full disk needs a mount), so this one drives the UI through the real event path
 * (core event bus → edge WebSocket → window.gateway) with the payloads the recorder sends.
 */
test('says in plain words why recording is paused and that it resumes by itself; drops the cleared alarm', async ({
  page,
}) => {
  const quiet = await startEdgeFixture('ui-paused', { simulated: false, version: '0.0.0-e2e' });
  try {
    await page.goto(quiet.host.url);
    await expect(page.getByText(`gateway ${quiet.core.gatewayId}`)).toBeVisible();
    const recording = page.getByRole('region', { name: 'Recording' });
    await expect(recording.getByRole('status')).toHaveText('Not recording.');
    const atMs = Date.now();
    const paused = {
      id: '01890a5d-ac96-774b-bcce-b302099a8057',
      patientId: '01890a5d-ac96-774b-bcce-b302099a8058',
      studyCode: 'P-PAUSE',
      operator: { id: '01890a5d-ac96-774b-bcce-b302099a8059', name: 'Ann' },
      devices: [],
      simulated: false,
      startedAtMs: atMs - 60_000,
      endedAtMs: null,
      summary: null,
      state: 'recording' as const,
      endReason: null,
      suspended: 'disk_quota',
      voidReason: null,
      chunksSealed: null,
    };
    quiet.core.events.emit('alarms.raised', {
      code: 'disk_quota',
      severity: 'critical',
      message: 'Recording P-PAUSE is paused: the gateway’s storage quota (10 MB) is full.',
      atMs,
    });
    quiet.core.events.emit('recording.changed', paused);
    const notice = recording.getByRole('alert').filter({ hasText: 'is paused' });
    await expect(notice).toContainText('Recording P-PAUSE is paused: the gateway’s storage quota is full');
    await expect(notice).toContainText('Recording resumes by itself when there is room again');
    await expect(recording.getByRole('button', { name: 'Start recording' })).toBeDisabled();
    await expect(recording.getByRole('button', { name: 'Stop recording' })).toBeEnabled();
    const strip = page.locator('.alarm-strip');
    await expect(strip).toContainText('storage quota (10 MB) is full');
    await recording.scrollIntoViewIfNeeded();
    await recording.screenshot({ path: `${SHOTS}/ui-recording-paused.png` });
    await expectNoAxeViolations(page);

    quiet.core.events.emit('alarms.cleared', { code: 'disk_quota', atMs: atMs + 5000 });
    quiet.core.events.emit('recording.changed', { ...paused, suspended: null, chunksSealed: 3 });
    await expect(strip).toBeHidden();
    await expect(notice).toBeHidden();
    await expect(recording.getByRole('status')).toContainText('Chunks sealed so far: 3');
  } finally {
    await quiet.close();
  }
});
