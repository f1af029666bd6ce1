/**
 * The web viewer against the real ingest server (in this process, on its own port) with a
 * recording uploaded through the contract's client: staff sign in, find a patient, open the
 * recording, page through the ECG with the keyboard, jump with the time field, open a trend and
 * jump from it to the ECG, download a report and exports, and each role sees what it may: a
 * researcher no identifying details, a clinician no IT pages. Axe on every screen; a screenshot of
 * every screen in test-results/e2e/viewer-*.png. The script time of each ECG page draw is printed
 * (performance marks), never asserted.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { createApiClient, routes } from '../../server-contract/api/index.js';
import { HttpTransport } from '../../main/sync/http-transport.js';
import { SHOTS, expectNoAxeViolations } from './ui-checks.js';
import { MARKER_AT_S, uploadRecording, type UploadedRecording } from './viewer-recording.js';
import { STAFF, startViewerServer, type StaffRole, type ViewerServer } from './viewer-server.js';

const STUDY_CODE = 'HOL042';
let server: ViewerServer;
let rec: UploadedRecording;
const drawTimesMs: number[] = [];

test.beforeAll(async () => {
  server = await startViewerServer();
  const client = createApiClient(routes, new HttpTransport({ baseUrl: server.url }).send);
  const login = await client['auth.login']({
    body: { username: STAFF.admin.username, password: STAFF.admin.password },
  });
  rec = await uploadRecording(server.url, login.body.tokens.accessToken, STUDY_CODE);
});

test.afterAll(async () => {
  if (drawTimesMs.length > 0) {
    const sorted = [...drawTimesMs].sort((a, b) => a - b);
    console.log(
      `viewer ECG page draw (script ms, ${sorted.length} draws, in order: ${drawTimesMs.map((ms) => ms.toFixed(1)).join(', ')}): ` +
        `median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)}, max ${sorted.at(-1)!.toFixed(1)}; target < 50`,
    );
  }
  await server.close();
});

/** Axe and a screenshot of the screen as it is now. */
async function check(page: Page, name: string): Promise<void> {
  await expectNoAxeViolations(page);
  await page.screenshot({ path: `${SHOTS}/viewer-${name}.png`, fullPage: true });
}

async function signIn(page: Page, role: StaffRole): Promise<void> {
  await page.goto(server.url);
  await page.getByLabel('Username').fill(STAFF[role].username);
  await page.getByLabel('Password').fill(STAFF[role].password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Patients', level: 1 })).toBeVisible();
}

/** Waits for the ECG canvas to show the page starting `startMs` and records its draw time. */
async function expectEcgPage(page: Page, startMs: number): Promise<void> {
  const canvas = page.locator('canvas[data-drawn="page"]');
  await expect(canvas).toHaveAttribute('data-page-start-ms', String(startMs));
  drawTimesMs.push(Number(await canvas.getAttribute('data-draw-ms')));
}

async function findPatient(page: Page): Promise<void> {
  await page.getByLabel('Study code').fill(STUDY_CODE);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: STUDY_CODE }).click();
  await expect(page.getByRole('heading', { name: `Patient ${STUDY_CODE}` })).toBeVisible();
}

test('a clinician finds the patient, pages through the ECG and jumps there from a trend and an event', async ({
  page,
}) => {
  await page.goto(server.url);
  await check(page, 'login');
  // keyboard: the first Tab reaches the form (no shell before sign-in)
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Username')).toBeFocused();
  await signIn(page, 'clinician');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await check(page, 'patients');
  await expect(page.getByRole('link', { name: 'IT' })).toHaveCount(0);

  await findPatient(page);
  await expect(page.getByText('SIMULATED', { exact: true }).first()).toBeVisible();
  await expect(page.getByText('Ada Example')).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: 'Nurse Ratched' });
  await expect(row).toContainText(String(rec.beats));
  await expect(row).toContainText('4 min 00 s');
  await expect(row).toContainText('1 (4 s)');
  await check(page, 'patient-clinician');

  await row.getByRole('link').first().click();
  await expect(page.getByRole('heading', { name: /Recording of HOL042/ })).toBeVisible();
  await expect(page.locator('.simulated-banner')).toBeVisible();
  await check(page, 'recording-summary');

  // the ECG comes one recordings.page request per page, the next page fetched ahead
  const ecgRequests: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (/\/v1\/recordings\/[^/]+\/(ecg|beats|page)$/.test(path)) ecgRequests.push(r.url());
  });
  const askedFor = (startMs: number) => ecgRequests.some((u) => u.includes(`/page?fromMs=${startMs}&`));
  await page.getByRole('link', { name: 'ECG', exact: true }).click();
  await expectEcgPage(page, rec.startedAtMs);
  await expect(page.getByText(/Page 1 of 24/)).toBeVisible();
  await check(page, 'ecg-page-1');
  await expect.poll(() => askedFor(rec.startedAtMs + 10_000)).toBe(true);
  // arrows page
  await page.keyboard.press('ArrowRight');
  await expectEcgPage(page, rec.startedAtMs + 10_000);
  await expect(page.getByText(/Page 2 of 24/)).toBeVisible();
  await expect.poll(() => askedFor(rec.startedAtMs + 20_000)).toBe(true);
  expect(ecgRequests.filter((u) => !u.includes('/page?'))).toEqual([]);
  await page.keyboard.press('ArrowRight');
  await expectEcgPage(page, rec.startedAtMs + 20_000);
  await page.keyboard.press('ArrowLeft');
  await expectEcgPage(page, rec.startedAtMs + 10_000);
  // the time field jumps: 0:01:18 → the page holding the 4-s gap at 80–84 s
  await page.getByLabel(/Go to/).fill('0:01:18');
  await page.getByRole('button', { name: 'Go', exact: true }).click();
  await expectEcgPage(page, rec.startedAtMs + 78_000);
  await check(page, 'ecg-gap');
  await page.getByRole('combobox', { name: 'Lead' }).selectOption('V1');
  await page.getByRole('combobox', { name: 'Gain' }).selectOption('20');
  await expectEcgPage(page, rec.startedAtMs + 78_000);
  await check(page, 'ecg-expanded-v1');
  await page.getByRole('combobox', { name: 'Lead' }).selectOption('');
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('50');
  await expect(page.getByText(/Page \d+ of 48/)).toBeVisible();
  await expectEcgPage(page, rec.startedAtMs + 78_000);
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('25');
  await page.getByRole('combobox', { name: 'Gain' }).selectOption('10');

  await page.getByRole('link', { name: 'Trends and events' }).click();
  const hrPlot = page.locator('[data-trend="Heart rate and QTc"] .u-over');
  await expect(hrPlot).toBeVisible();
  await expect(page.locator('[data-trend="Watch battery"]')).toBeVisible();
  await check(page, 'trends');
  // a click in the middle of the HR plot opens the ECG about 2 minutes in
  const box = (await hrPlot.boundingBox())!;
  await hrPlot.click({ position: { x: box.width / 2, y: box.height / 2 } });
  await expect(page).toHaveURL(/\/ecg\?t=\d+/);
  const t = Number(new URL(page.url().replace('#/', '')).searchParams.get('t'));
  expect(Math.abs(t - (rec.startedAtMs + rec.durationMs / 2))).toBeLessThan(30_000);
  await expectEcgPage(page, t);
  // the staff marker in the events list links to its place
  await page.getByRole('link', { name: 'Trends and events' }).click();
  const marker = page.getByRole('row').filter({ hasText: 'Patient climbs stairs' });
  await marker.getByRole('link').click();
  await expectEcgPage(page, rec.startedAtMs + MARKER_AT_S * 1000 - 2000);
  await check(page, 'ecg-at-marker');

  // reports for everyone; exports are not the clinician's
  await page.getByRole('link', { name: 'Reports and exports' }).click();
  const pdf = page.waitForEvent('download');
  await page.getByRole('button', { name: /Download Holter summary/ }).click();
  expect(
    readFileSync(await (await pdf).path())
      .subarray(0, 5)
      .toString(),
  ).toBe('%PDF-');
  await expect(page.getByText('Exports are for researchers and administrators.')).toBeVisible();
  await check(page, 'files-clinician');

  // no IT for clinicians, even by address
  await page.goto(`${server.url}/#/it/gateways`);
  await expect(page.getByRole('alert')).toContainText('for administrators');
  await check(page, 'it-refused-clinician');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByText('You have signed out.')).toBeVisible();
});

test('a researcher sees no identifying details and downloads exports with progress', async ({ page }) => {
  await signIn(page, 'researcher');
  await findPatient(page);
  await expect(page.getByText('Ada Example')).toHaveCount(0);
  await expect(page.getByText('+44 20 7946 0000')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Void|Reassign|Erase/ })).toHaveCount(0);
  await check(page, 'patient-researcher');
  await page.getByRole('row').filter({ hasText: 'Nurse Ratched' }).getByRole('link').first().click();
  await page.getByRole('link', { name: 'Reports and exports' }).click();
  await expect(page.getByRole('heading', { name: 'Exports' })).toBeVisible();
  await expect(page.getByText(/identifying details/)).toHaveCount(0);

  await page.getByRole('combobox', { name: 'Series' }).selectOption('hr');
  const csv = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export' }).click();
  const csvText = readFileSync(await (await csv).path(), 'utf8');
  expect(csvText.split('\n').length).toBeGreaterThan(200);
  expect(csvText).not.toContain('Ada Example');
  await expect(page.getByRole('status')).toContainText(/Saved HOL042-.*-hr\.csv/);

  await page.getByLabel('EDF+').check();
  const edf = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export' }).click();
  const edfBytes = readFileSync(await (await edf).path());
  expect(edfBytes.subarray(0, 8).toString()).toBe('0       ');
  await check(page, 'files-researcher');
});

test('an admin reaches the IT pages: gateways, enrollment codes, staff accounts, audit log', async ({
  page,
}) => {
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'IT' }).click();
  const gw = page.getByRole('row').filter({ hasText: 'Ward 3 desk' });
  await expect(gw).toBeVisible();
  await expect(gw).toContainText('3 chunks, 146.5 kB');
  await expect(gw).toContainText(/\d+ min \d\d s ago/);
  await expect(gw.getByRole('button', { name: 'Revoke…' })).toBeVisible();
  await check(page, 'it-gateways');

  await page.getByRole('link', { name: 'Enrollment codes' }).click();
  await page.getByLabel(/Label/).fill('Ward 5 desk');
  await page.getByRole('button', { name: 'Issue code' }).click();
  await expect(page.locator('.enrollment-code')).toHaveText(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);
  await check(page, 'it-enrollment');

  await page.getByRole('link', { name: 'Staff accounts' }).click();
  await expect(page.getByRole('row').filter({ hasText: STAFF.clinician.username })).toBeVisible();
  await page.getByLabel('Username').fill('new-nurse');
  await page.getByLabel('Name', { exact: true }).fill('New Nurse');
  await page.getByLabel(/Password/).fill('a long enough password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'new-nurse' })).toBeVisible();
  await check(page, 'it-users');

  await page.getByRole('link', { name: 'Audit log' }).click();
  const edfExport = page.getByRole('row').filter({ hasText: 'exports.edf' });
  await expect(edfExport).toContainText(STAFF.researcher.username);
  await check(page, 'it-audit');

  // erasure asks first (and is cancelled here); voiding asks for a reason and marks the recording
  await page.getByRole('link', { name: 'Patients' }).click();
  await findPatient(page);
  await page.getByRole('button', { name: 'Erase patient…' }).click();
  await expect(page.getByRole('dialog')).toContainText('cannot be undone');
  await check(page, 'erase-confirm');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Void…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('button', { name: 'Void recording' })).toBeDisabled();
  await dialog.getByLabel(/Reason/).fill('electrodes on the wrong patient');
  await dialog.getByRole('button', { name: 'Void recording' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'Nurse Ratched' })).toContainText('voided');
  await check(page, 'patient-admin-voided');
});
