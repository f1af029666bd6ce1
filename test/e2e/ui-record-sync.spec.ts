/**
 * A recording made at the desk reaches the server, end to end through the UI: the real ingest
 * server as a child process, the gateway core with the simulated ECG-12 unit behind the edge
 * host, Chromium driving the UI. Staff enrol the gateway with IT's one-time code (by keyboard),
 * create a patient, record ~10 s with a marked event, read the summary, and watch the upload
 * drain to nothing pending; then the server's own HTTP API, as an admin, must hold the recording
 * complete with its ecg, beats, measurements and events chunks and the same summary.
 */
import { expect, test } from '@playwright/test';
import type { GatewayCore } from '../../main/api/gateway-core.js';
import type { EdgeHost } from '../../main/edge/host.js';
import { startEdgeFixture, type EdgeFixture } from './edge-fixture.js';
import { startReviewServer, type ReviewServer } from './review-server.js';
import { SHOTS, expectNoAxeViolations, fact } from './ui-checks.js';

/** Short chunks, so chunks are sealed while staff watch (the settings' minimum). */
const ECG_CHUNK_SECONDS = 5;
const RECORD_MS = 10_000;

let review: ReviewServer;
let edge: EdgeFixture;
let core: GatewayCore;
let host: EdgeHost;

test.beforeAll(async () => {
  review = await startReviewServer('ui-record-sync');
  edge = await startEdgeFixture('ui-record-sync', { simulated: true, version: '0.0.0-e2e' }, (c) =>
    c.handlers['settings.update']({ ecgChunkSeconds: ECG_CHUNK_SECONDS }),
  );
  ({ core, host } = edge);
});

test.afterAll(async () => {
  await edge.close();
  await review.close();
});

test('enrols through the form, records 10 s with an event, shows the summary and uploads it all', async ({
  page,
}) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(host.url);
  await expect(page.getByText(`gateway ${core.gatewayId}`)).toBeVisible();

  // ── enrollment, by keyboard, with mistakes first ─────────────────────────────────────────
  const upload = page.getByRole('region', { name: 'Server and upload' });
  await expect(upload.getByRole('status')).toHaveText('Not enrolled with a server');
  await expect(fact(upload, 'Server')).toHaveText('Not enrolled');
  await expectNoAxeViolations(page);
  const urlField = upload.getByLabel('Server address');
  const codeField = upload.getByLabel('Enrollment code');
  await urlField.focus();
  await page.keyboard.type(review.server.url);
  await page.keyboard.press('Tab');
  await expect(codeField).toBeFocused();
  await page.keyboard.type('ABCD-1234');
  await page.keyboard.press('Enter');
  await expect(upload.getByRole('alert')).toHaveText(/four groups of four letters or digits/);

  await codeField.fill('ZZZZ-ZZZZ-ZZZZ-ZZZZ');
  await upload.getByRole('button', { name: 'Enroll' }).click();
  await expect(upload.getByRole('alert')).toContainText(
    'Enrollment failed: the enrollment code is wrong, expired or already used — ask IT for a new one',
  );
  await upload.scrollIntoViewIfNeeded();
  await upload.screenshot({ path: `${SHOTS}/ui-sync-enroll-refused.png` });

  const code = await review.server.enrollmentCode();
  await codeField.fill(code.toLowerCase().replace(/-/g, ' '));
  await codeField.press('Enter');
  await expect(upload.getByLabel('Enrollment code')).toBeHidden();
  await expect(fact(upload, 'Server')).toContainText(review.server.url);
  await expect(fact(upload, 'Server reachable')).toHaveText('Yes');
  await expect(upload.getByRole('button', { name: 'Retry failed' })).toBeDisabled();

  // ── the unit, a new patient, an operator ────────────────────────────────────────────────
  await page.getByRole('button', { name: 'Connect ECG unit', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: /Live from ECG-SIM-\d+ at \d+ Hz/ })).toBeVisible();
  const recording = page.getByRole('region', { name: 'Recording', exact: true });
  await expect(recording.getByRole('status')).toHaveText('Not recording.');
  await recording.getByText('New patient').click();
  await recording.getByLabel('Study code').fill('E2E-900');
  await recording.getByRole('button', { name: 'Create patient' }).click();
  await expect(recording.getByLabel('Patient', { exact: true })).toHaveValue(/^[0-9a-f-]{36}$/);
  await recording.getByText('New operator').click();
  await recording.getByLabel('Name').fill('Nurse Ratched');
  await recording.getByRole('button', { name: 'Add operator and sign in' }).click();
  await expect(recording.getByText('Operator: Nurse Ratched')).toBeVisible();

  // ── record ──────────────────────────────────────────────────────────────────────────────
  const start = recording.getByRole('button', { name: 'Start recording' });
  await start.click();
  const startedAtMs = Date.now();
  const live = recording.getByRole('status').filter({ hasText: 'Recording E2E-900' });
  await expect(live).toContainText(/Started \d\d:\d\d:\d\d by Nurse Ratched/);
  await expect(live).toContainText('SIMULATED');
  await expect(start).toBeDisabled();
  await recording.getByLabel('Event note (optional)').fill('patient coughed');
  await recording.getByRole('button', { name: 'Mark event' }).click();
  await expect(recording.getByText(/^Marked at \d\d:\d\d:\d\d: patient coughed$/)).toBeVisible();
  // the first 5-s ECG chunk is sealed while recording, and the count says so
  await expect(live).toContainText(/Chunks sealed so far: [1-9]\d*/, { timeout: 30_000 });
  await recording.scrollIntoViewIfNeeded();
  await recording.screenshot({ path: `${SHOTS}/ui-recording-live.png` });
  await page.waitForTimeout(Math.max(0, startedAtMs + RECORD_MS - Date.now()));
  await recording.getByRole('button', { name: 'Stop recording' }).click();

  // ── the summary ─────────────────────────────────────────────────────────────────────────
  const summary = recording.locator('dl.summary');
  await expect(recording.getByRole('heading', { name: 'Summary of E2E-900' })).toBeVisible();
  await expect(recording.getByRole('status')).toContainText(/Recording E2E-900 ended at .*Stopped by staff/);
  await expect(start).toBeEnabled();
  await expect(fact(summary, 'Duration')).toHaveText(/^1\d s$/);
  await expect(fact(summary, 'Beats')).toHaveText(/^[1-9]\d*$/);
  await expect(fact(summary, 'Mean heart rate')).toHaveText(/^\d{2,3} bpm$/);
  await expect(fact(summary, 'Lowest heart rate')).toHaveText(/^\d{2,3} bpm$/);
  await expect(fact(summary, 'Highest heart rate')).toHaveText(/^\d{2,3} bpm$/);
  await expect(fact(summary, 'PVCs')).toHaveText(/^\d+$/);
  await expect(fact(summary, 'Good signal, overall')).toHaveText(/^\d{1,3}\s% of the time$/);
  await expect(fact(summary, 'Good signal, per lead')).toHaveText(
    /^(All 12 leads \d{1,3}\s%|I\s\d{1,3}\s%, II\s.*V6\s\d{1,3}\s%)$/,
  );
  await expect(fact(summary, 'End reason')).toHaveText('Stopped by staff');
  await summary.scrollIntoViewIfNeeded();
  await recording.screenshot({ path: `${SHOTS}/ui-recording-summary.png` });
  const beatsShown = Number(await fact(summary, 'Beats').textContent());

  // ── the upload drains ───────────────────────────────────────────────────────────────────
  await upload.getByRole('button', { name: 'Upload now' }).click();
  await expect(fact(upload, 'Waiting to upload')).toHaveText('0 items (0 B)', { timeout: 60_000 });
  await expect(fact(upload, 'Oldest waiting since')).toHaveText('Nothing waiting');
  await expect(fact(upload, 'Last upload')).toHaveText(/\((just now|\d+ s ago)\)$/);
  await expect(fact(upload, 'Refused by the server')).toHaveText('None');
  await expect(fact(upload, 'Last error')).toHaveText('None');
  await upload.scrollIntoViewIfNeeded();
  await upload.screenshot({ path: `${SHOTS}/ui-sync-drained.png` });
  await expectNoAxeViolations(page);

  // ── what the server holds, through its API ──────────────────────────────────────────────
  const state = await core.handlers['recording.current']({});
  if (state === null) throw new Error('the gateway forgot its recording');
  const held = (await review.get(`/v1/recordings/${state.id}`)) as {
    status: string;
    studyCode: string;
    summary: { beats: number | null; endReason?: string } | null;
  };
  expect(held.status).toBe('ended');
  expect(held.studyCode).toBe('E2E-900');
  expect(held.summary?.beats).toBe(beatsShown);
  expect(held.summary?.endReason).toBe('stopped');
  const chunks = (await review.get(`/v1/recordings/${state.id}/chunks`)) as {
    complete: boolean;
    streams: { stream: string; received: number; finalCount: number | null; missing: unknown[] }[];
  };
  expect(chunks.complete).toBe(true);
  const byStream = new Map(chunks.streams.map((s) => [s.stream, s]));
  for (const stream of ['ecg', 'beats', 'measurements', 'events']) {
    const s = byStream.get(stream);
    expect(s, `stream ${stream} on the server`).toBeDefined();
    expect(s?.received, stream).toBeGreaterThan(0);
    expect(s?.received, stream).toBe(s?.finalCount);
    expect(s?.missing, stream).toEqual([]);
  }
  // ~10 s of ECG in 5-s chunks
  expect(byStream.get('ecg')?.received).toBeGreaterThanOrEqual(2);
  expect(pageErrors).toEqual([]);
});
