/**
 * The clinic desk's whole job, as staff do it, at 1600×1000 and at 1280×800, mostly by keyboard:
 * an operator signs in (adds their name with a PIN), finds no patient and registers one (a wrong
 * age first, told in plain words), pairs the patient's watch (code confirmed), connects the ECG
 * unit, starts recording, sees traces and a heart rate matching the simulator's 70 bpm, marks an
 * event without typing, stops, reads the summary, watches the upload reach zero pending; then the
 * real ingest server (a child process) must hold the recording, by that operator, with every
 * stream. On the way: the patient stays named while searching and after a reload, the screen
 * locks and opens only with the PIN, and axe finds nothing on any screen. Screenshots go to
 * test-results/e2e/desk-*.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { startEdgeFixture, type EdgeFixture } from './edge-fixture.js';
import { startReviewServer, type ReviewServer } from './review-server.js';
import { SHOTS, expectNoAxeViolations, fact } from './ui-checks.js';

/** The simulated unit's synthetic ECG (main/devices/demo-simulators.ts: syntheticSource default). */
const SIMULATOR_HR_BPM = 70;
const RECORD_MS = 10_000;
const VIEWPORTS = [
  { width: 1600, height: 1000 },
  { width: 1280, height: 800 },
] as const;

let review: ReviewServer;

test.beforeAll(async () => {
  review = await startReviewServer('desk');
});

test.afterAll(async () => {
  await review.close();
});

/** Dark pixels on the ECG canvas: the traces. */
function tracePixels(page: Page): Promise<number> {
  return page
    .locator('canvas.ecg-canvas')
    .first()
    .evaluate((node) => {
      const canvas = node as HTMLCanvasElement;
      const ctx = canvas.getContext('2d');
      if (ctx === null) return -1;
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let dark = 0;
      for (let k = 0; k < data.length; k += 4)
        if ((data[k] ?? 255) < 70 && (data[k + 1] ?? 255) < 70 && (data[k + 2] ?? 255) < 70) dark++;
      return dark;
    });
}

/** Presses Tab until `target` has focus (at most `max` presses); returns how many it took. */
async function tabTo(page: Page, target: ReturnType<Page['locator']>, max = 60): Promise<number> {
  for (let k = 1; k <= max; k += 1) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) return k;
  }
  throw new Error(`not reached by ${max} Tab presses`);
}

for (const viewport of VIEWPORTS) {
  const size = `${viewport.width}x${viewport.height}`;
  const studyCode = `DESK-${viewport.width}`;
  const shot = (name: string): string => `${SHOTS}/desk-${size}-${name}.png`;

  test(`the desk workflow end to end at ${size}`, async ({ page }) => {
    test.setTimeout(600_000);
    let edge: EdgeFixture | undefined;
    try {
      edge = await startEdgeFixture(`desk-${size}`, { simulated: true, version: '0.0.0-e2e' }, (c) =>
        c.handlers['settings.update']({ ecgChunkSeconds: 5 }),
      );
      await runWorkflow(page, edge, viewport, studyCode, shot);
    } finally {
      await edge?.close();
    }
  });
}

async function runWorkflow(
  page: Page,
  edge: EdgeFixture,
  viewport: { width: number; height: number },
  studyCode: string,
  shot: (name: string) => string,
): Promise<void> {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.setViewportSize(viewport);
  await page.goto(edge.host.url);
  const header = page.locator('header.topbar');
  await expect(header.locator('.header-patient')).toHaveText('Patient none chosen');
  await expect(header.locator('.header-operator')).toHaveText('Operator not signed in');
  const desk = page.getByRole('region', { name: 'Recording', exact: true });
  await expect(desk.locator('.next-step')).toHaveText('Next: sign in (choose your name).');
  await expect(desk.getByRole('button', { name: 'Start recording' })).toBeDisabled();
  await page.screenshot({ path: shot('1-start') });
  await expectNoAxeViolations(page);

  // ── the skip link, then the operator adds their name with a PIN (keyboard) ───────────────
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to recording controls' })).toBeFocused();
  await desk.getByText('New operator').click();
  await desk.getByLabel('Name').fill('Nurse Kim');
  await desk.getByLabel('PIN (optional)').fill('12');
  await page.keyboard.press('Enter');
  await expect(desk.getByRole('alert')).toHaveText('PIN: use 4 to 8 digits.');
  await desk.getByLabel('PIN (optional)').fill('2468');
  await page.keyboard.press('Enter');
  await expect(header.locator('.header-operator')).toHaveText('Operator Nurse Kim');
  await expect(desk.locator('.next-step')).toHaveText('Next: find or register the patient.');

  // ── find the patient (none yet), register them: a wrong age first ───────────────────────
  const search = desk.getByLabel('Find patient');
  await search.fill(studyCode);
  await expect(desk.getByText(`No patient matches “${studyCode}”`)).toBeVisible();
  await desk.getByText('New patient', { exact: true }).click();
  await expect(desk.getByLabel('Study code')).toHaveValue(studyCode);
  await desk.getByLabel('Age (years)').fill('230');
  await desk.getByLabel('Sex').selectOption('female');
  await desk.getByRole('button', { name: 'Create patient' }).click();
  const ageProblem = desk.getByText('Age (years): must be 130 or less.');
  await expect(ageProblem).toBeVisible();
  await desk.getByLabel('Age (years)').fill('58');
  await expect(ageProblem).toHaveCount(0);
  await desk.getByLabel('Age (years)').press('Enter');
  await expect(header.locator('.header-patient')).toHaveText(`Patient ${studyCode}`);
  await expect(desk.locator('.chosen-patient')).toHaveText(`Patient: ${studyCode}, 58 y`);
  // a search for someone else never hides the chosen patient
  await search.fill('NOBODY');
  await expect(desk.locator('.chosen-patient')).toHaveText(`Patient: ${studyCode}, 58 y`);
  await expect(desk.getByLabel('Patient', { exact: true }).locator('option:checked')).toContainText(
    studyCode,
  );
  await search.fill('');
  await page.screenshot({ path: shot('2-patient') });

  // a reload keeps operator and patient (the gateway holds them)
  await page.reload();
  await expect(header.locator('.header-patient')).toHaveText(`Patient ${studyCode}`);
  await expect(header.locator('.header-operator')).toHaveText('Operator Nurse Kim');

  // ── pair the patient's watch, code confirmed ────────────────────────────────────────────
  const watches = page.getByRole('region', { name: 'Watches' });
  await watches.getByRole('button', { name: 'Scan for watches' }).click();
  await expect(watches.getByRole('button', { name: 'Scan for watches' })).toBeEnabled({ timeout: 30_000 });
  const full = watches.locator('tbody tr').filter({ hasText: 'Bangle.js (full)' }).first();
  await full.getByRole('button', { name: /^Pair / }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('heading')).toContainText(`to patient ${studyCode}`);
  await expect(dialog.getByRole('heading')).toBeFocused();
  await expect(dialog.getByRole('button', { name: 'Matches' })).not.toBeFocused();
  await expect(dialog.locator('.pair-code')).toHaveText(/^\d{4}$/);
  await page.screenshot({ path: shot('3-pairing') });
  await expectNoAxeViolations(page);
  await dialog.getByRole('button', { name: 'Matches' }).focus();
  await page.keyboard.press('Enter');
  const card = watches.getByRole('article', { name: new RegExp(`patient ${studyCode}`) });
  await expect(card.locator('.state')).toContainText('streaming', { timeout: 30_000 });
  await expect(full.getByText('Paired')).toBeVisible();

  // ── connect the ECG unit ────────────────────────────────────────────────────────────────
  await desk.getByRole('button', { name: 'Connect ECG unit', exact: true }).click();
  await expect(desk.locator('.unit-line')).toHaveText(/ECG unit: streaming at 500 Hz/, { timeout: 30_000 });
  await expect(desk.locator('.next-step')).toHaveText(`Ready to record ${studyCode}.`);

  // ── start recording by keyboard: the toolbar is one Tab stop ────────────────────────────
  const start = desk.getByRole('button', { name: 'Start recording' });
  await page.locator('body').focus();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const presses = await tabTo(page, start);
  expect(presses).toBeLessThanOrEqual(16);
  await page.keyboard.press('Enter');
  const startedAtMs = Date.now();
  await expect(page.getByLabel('Recording patient')).toContainText(`Recording ${studyCode}`);
  await expect(header.locator('.header-patient')).toHaveText(`Recording ${studyCode}`);
  const live = desk.getByRole('status').filter({ hasText: `Recording ${studyCode}` });
  await expect(live).toContainText('by Nurse Kim');

  // ── traces and measurements, checked against the simulator ─────────────────────────────
  await expect.poll(() => tracePixels(page), { timeout: 20_000 }).toBeGreaterThan(500);
  const measurements = page.getByRole('region', { name: 'Measurements' });
  await expect(measurements.getByText('Not a patient monitor.')).toBeVisible();
  const hr = measurements.getByLabel('ECG heart rate').locator('.value');
  await expect(hr).toHaveText(/^\d{2,3}$/, { timeout: 30_000 });
  await expect
    .poll(async () => Math.abs(Number(await hr.textContent()) - SIMULATOR_HR_BPM), { timeout: 30_000 })
    .toBeLessThanOrEqual(3);
  await expect(
    measurements.getByRole('table', { name: /Heart rate variability \(last \d+ s/ }),
  ).toBeVisible();

  // ── a marker, one key press, no note ────────────────────────────────────────────────────
  const mark = desk.getByRole('button', { name: 'Mark event' });
  await mark.focus();
  await page.keyboard.press('Enter');
  await expect(desk.getByText(/^Marked at \d\d:\d\d:\d\d$/)).toBeVisible();
  await page.screenshot({ path: shot('4-recording') });
  await expectNoAxeViolations(page);

  // ── lock and unlock (only the PIN opens it; recording carries on) ──────────────────────
  await desk.getByRole('button', { name: 'Lock screen' }).click();
  await expect(page.getByRole('heading', { name: 'Screen locked' })).toBeVisible();
  await expect(page.getByText(studyCode)).toHaveCount(0);
  await page.getByLabel('PIN', { exact: true }).fill('1111');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'That PIN is not right' })).toBeVisible();
  await page.screenshot({ path: shot('5-locked') });
  await expectNoAxeViolations(page);
  await page.getByLabel('PIN', { exact: true }).fill('2468');
  await page.keyboard.press('Enter');
  await expect(header.locator('.header-patient')).toHaveText(`Recording ${studyCode}`);

  // ── stop, summary ───────────────────────────────────────────────────────────────────────
  await page.waitForTimeout(Math.max(0, startedAtMs + RECORD_MS - Date.now()));
  await desk.getByRole('button', { name: 'Stop recording' }).click();
  await expect(desk.getByRole('heading', { name: `Summary of ${studyCode}` })).toBeVisible();
  const summary = desk.locator('dl.summary');
  await expect(fact(summary, 'Beats')).toHaveText(/^[1-9]\d*$/);
  await expect(fact(summary, 'Mean heart rate')).toHaveText(/^\d{2,3} bpm$/);
  const meanBpm = Number((await fact(summary, 'Mean heart rate').textContent())?.replace(' bpm', ''));
  expect(Math.abs(meanBpm - SIMULATOR_HR_BPM)).toBeLessThanOrEqual(3);
  await expect(page.getByLabel('Recording patient')).toHaveCount(0);
  await summary.scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot('6-summary') });

  // ── upload: enrol with IT's code (keyboard), then zero pending ──────────────────────────
  const upload = page.getByRole('region', { name: 'Server and upload' });
  await upload.getByLabel('Server address').fill(review.server.url);
  await upload.getByLabel('Enrollment code').fill(await review.server.enrollmentCode());
  await upload.getByLabel('Enrollment code').press('Enter');
  await expect(fact(upload, 'Server reachable')).toHaveText('Yes', { timeout: 30_000 });
  await upload.getByRole('button', { name: 'Upload now' }).click();
  await expect(fact(upload, 'Waiting to upload')).toHaveText('0 items (0 B)', { timeout: 90_000 });
  await expect(fact(upload, 'Last error')).toHaveText('None');
  await upload.scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot('7-uploaded') });
  await expectNoAxeViolations(page);

  // ── the server holds it, by this operator, with every stream ────────────────────────────
  const state = await edge.core.handlers['recording.current']({});
  if (state === null) throw new Error('the gateway forgot its recording');
  const held = (await review.get(`/v1/recordings/${state.id}`)) as {
    status: string;
    studyCode: string;
    operator?: { name: string };
  };
  expect(held).toMatchObject({ status: 'ended', studyCode });
  if (held.operator !== undefined) expect(held.operator.name).toBe('Nurse Kim');
  const chunks = (await review.get(`/v1/recordings/${state.id}/chunks`)) as {
    complete: boolean;
    streams: { stream: string; received: number; finalCount: number | null; missing: unknown[] }[];
  };
  expect(chunks.complete).toBe(true);
  const byStream = new Map(chunks.streams.map((s) => [s.stream, s]));
  for (const stream of ['ecg', 'beats', 'measurements', 'events', 'hr', 'accel']) {
    const s = byStream.get(stream);
    expect(s?.received, `stream ${stream} on the server`).toBeGreaterThan(0);
    expect(s?.received, stream).toBe(s?.finalCount);
    expect(s?.missing, stream).toEqual([]);
  }
  expect(pageErrors).toEqual([]);
}
