/**
 * The Reports section of an ended recording, through the UI: the gateway core with the simulated
 * ECG-12 unit behind the edge host, Chromium driving the UI. Staff record ~12 s, then make a
 * Letter report of the last 10 s of good signal (listed, waiting to upload: no server here), and
 * are told plainly when the strip start they type is not a time or lies outside the recording.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { GatewayCore } from '../../main/api/gateway-core.js';
import type { EdgeHost } from '../../main/edge/host.js';
import { startEdgeFixture, type EdgeFixture } from './edge-fixture.js';
import { SHOTS, expectNoAxeViolations } from './ui-checks.js';

const RECORD_MS = 12_000;

let edge: EdgeFixture;
let core: GatewayCore;
let host: EdgeHost;

test.beforeAll(async () => {
  edge = await startEdgeFixture('ui-report', { simulated: true, version: '0.0.0-e2e' });
  ({ core, host } = edge);
});

test.afterAll(async () => {
  await edge.close();
});

test('makes a report of an ended recording and lists it with its upload state', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(host.url);
  await expect(page.getByText(`gateway ${core.gatewayId}`)).toBeVisible();
  await page.getByRole('button', { name: 'Connect ECG unit', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: /Live from ECG-SIM-\d+ at \d+ Hz/ })).toBeVisible();
  const recording = page.getByRole('region', { name: 'Recording', exact: true });
  await recording.getByText('New patient').click();
  await recording.getByLabel('Study code').fill('E2E-R01');
  await recording.getByRole('button', { name: 'Create patient' }).click();
  await expect(recording.getByLabel('Patient', { exact: true })).toHaveValue(/^[0-9a-f-]{36}$/);
  await recording.getByText('New operator').click();
  await recording.getByLabel('Name').fill('Nurse Ratched');
  await recording.getByRole('button', { name: 'Add operator and sign in' }).click();
  await expect(recording.getByText('Operator: Nurse Ratched')).toBeVisible();
  await recording.getByRole('button', { name: 'Start recording' }).click();
  const startedAtMs = Date.now();
  await page.waitForTimeout(RECORD_MS);
  await recording.getByRole('button', { name: 'Stop recording' }).click();
  await expect(recording.getByRole('heading', { name: 'Summary of E2E-R01' })).toBeVisible();

  const reports = recording.getByRole('region', { name: 'Reports of E2E-R01' });
  await expect(reports.getByText('No report of this recording yet.')).toBeVisible();
  await reports.getByLabel('Strip start (UTC)').fill('soon');
  await reports.getByRole('button', { name: 'Create report' }).click();
  await expect(reports.getByRole('alert')).toHaveText(/Type the strip start as a UTC time/);

  const before = new Date(startedAtMs - 3_600_000).toISOString().slice(11, 19);
  await reports.getByLabel('Strip start (UTC)').fill(before);
  await reports.getByRole('button', { name: 'Create report' }).click();
  await expect(reports.getByRole('alert')).toContainText('outside the recorded ECG');
  await expect(reports.getByRole('alert')).toHaveAttribute('data-code', 'segment_out_of_range');

  await reports.getByLabel('Paper').selectOption('Letter');
  await reports.getByLabel('Strip start (UTC)').fill('');
  await reports.getByRole('button', { name: 'Create report' }).click();
  const row = reports.getByRole('row').filter({ hasText: 'Letter, 2 pages' });
  await expect(row).toBeVisible({ timeout: 60_000 });
  await expect(row).toContainText(/\d\d:\d\d:\d\d–\d\d:\d\d:\d\d UTC, last 10 s of good signal/);
  await expect(row).toContainText('Waiting to upload');
  await expect(reports.getByRole('alert')).toHaveCount(0);

  await reports.scrollIntoViewIfNeeded();
  await recording.screenshot({ path: `${SHOTS}/ui-recording-reports.png` });
  await expectNoAxeViolations(page);

  // the desk saves the PDF it made (to print it or file it) while the gateway holds it
  const download = page.waitForEvent('download');
  await row.getByRole('button', { name: /^Save PDF of the report made at / }).click();
  const saved = await download;
  expect(saved.suggestedFilename()).toMatch(/^E2E-R01-ecg-report-\d{4}-\d\d-\d\dT\d{4}Z-SIMULATED\.pdf$/);
  const savedPath = await saved.path();
  expect(readFileSync(savedPath).subarray(0, 5).toString('latin1')).toBe('%PDF-');

  const listed = await core.handlers['reports.list']({});
  expect(listed).toHaveLength(1);
  expect(listed[0]).toMatchObject({ paper: 'Letter', pageCount: 2, upload: 'queued', simulated: true });
  expect(pageErrors).toEqual([]);
});
