/**
 * The gateway UI against the real gateway core over the edge host's WebSocket, before the device
 * subsystems exist: the simulated banner, plain messages instead of crashes,
 * settings round trips driving the live view's controls, keyboard use, and an axe check.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import type { GatewayCore } from '../../main/api/gateway-core.js';
import type { EdgeHost } from '../../main/edge/host.js';
import { startEdgeFixture, type EdgeFixture } from './edge-fixture.js';

let core: GatewayCore;
let host: EdgeHost;
let edge: EdgeFixture;

test.beforeAll(async () => {
  edge = await startEdgeFixture('ui-shell', {
    simulated: true,
    version: '0.0.0-ui',
    listPorts: () =>
      Promise.resolve([
        { path: '/dev/ttyS0' },
        {
          path: '/dev/ttyACM0',
          vendorId: '1209',
          productId: 'ec12',
          manufacturer: 'PulseWatch',
          serialNumber: 'ECG-00042',
        },
      ]),
  });
  ({ core, host } = edge);
});

test.afterAll(() => edge.close());

test('shows the SIMULATED banner and every panel without crashing', async ({ page }) => {
  const consoleErrors: string[] = [];
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(host.url);
  const banner = page.getByRole('alert').filter({ hasText: 'SIMULATED — not patient data' });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('gateway in demo mode');
  for (const name of [
    'Live ECG — 12 leads',
    'Measurements',
    'Device details',
    'Watches',
    'Recording',
    'Alarms and events',
    'Server and upload',
    'Settings',
  ])
    await expect(page.getByRole('heading', { name, exact: true })).toBeVisible();
  await expect(page.getByText('No ECG received yet')).toBeVisible();
  await expect(page.getByRole('img', { name: /Live 12-lead ECG.*25 mm\/s, 10 mm\/mV/ })).toBeVisible();
  await page.screenshot({ path: 'test-results/e2e/ui-shell-top.png' });
  await page.screenshot({ path: 'test-results/e2e/ui-shell-full.png', fullPage: true });
  expect(consoleErrors).toEqual([]);
});

test('lists serial ports with the ECG-12 unit first', async ({ page }) => {
  await page.goto(host.url);
  const options = page.locator('#port-select option');
  await expect(options).toHaveCount(3);
  await expect(options.nth(1)).toContainText('/dev/ttyACM0 — ECG-12 unit');
  await expect(options.nth(2)).toContainText('/dev/ttyS0');
});

test('creates a patient, explains why recording cannot start without a device, and offers enrollment', async ({
  page,
}) => {
  await page.goto(host.url);
  const recording = page.getByRole('region', { name: 'Recording' });
  await recording.getByText('New patient').click();
  await recording.getByLabel('Study code').fill('P001');
  await recording.getByRole('button', { name: 'Create patient' }).click();
  await expect(recording.getByLabel('Patient', { exact: true })).toHaveValue(/^[0-9a-f-]{36}$/);
  await recording.getByLabel('Study code').fill('p001');
  await recording.getByRole('button', { name: 'Create patient' }).click();
  await expect(
    recording.getByRole('alert').filter({ hasText: 'already used on this gateway' }),
  ).toBeVisible();
  // markers need a recording in progress
  await expect(recording.getByLabel('Event note (optional)')).toBeDisabled();
  await expect(recording.getByRole('button', { name: 'Mark event' })).toBeDisabled();
  await recording.getByText('New operator').click();
  await recording.getByLabel('Name').fill('Ana Silva');
  await recording.getByRole('button', { name: 'Add operator and sign in' }).click();
  await expect(recording.getByText('Operator: Ana Silva')).toBeVisible();
  // Start stays disabled and the desk says what is missing
  await expect(page.getByRole('button', { name: 'Start recording' })).toBeDisabled();
  await expect(recording.locator('.next-step')).toHaveText(
    'Next: connect the ECG unit or pair the patient’s watch.',
  );
  const upload = page.getByRole('region', { name: 'Server and upload' });
  await expect(upload.getByText('Not enrolled with a server')).toBeVisible();
  await expect(upload.getByLabel('Server address')).toBeVisible();
  await expect(upload.getByLabel('Enrollment code')).toBeVisible();
  await expect(upload.getByRole('button', { name: 'Upload now' })).toBeDisabled();
  await expect(page.getByRole('heading', { name: 'PulseWatch gateway' })).toBeVisible();
  await recording.screenshot({ path: 'test-results/e2e/ui-recording-no-device.png' });
});

test('sweep and gain buttons go through settings.update and recalibrate the view', async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: '50 mm/s' }).click();
  await expect(page.getByRole('button', { name: '50 mm/s' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: '20 mm/mV' }).click();
  await expect(page.getByRole('img', { name: /50 mm\/s, 20 mm\/mV/ })).toBeVisible();
  await expect(page.getByLabel('Sweep speed')).toHaveValue('50');
  await page.getByLabel('Mains frequency').selectOption('60');
  await expect.poll(async () => (await core.handlers['settings.get']({})).mainsHz).toBe(60);
  await page.reload();
  await expect(page.getByRole('button', { name: '50 mm/s' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByLabel('ECG chunk length (s)').fill('2');
  await page.getByLabel('ECG chunk length (s)').blur();
  // the limits are the server's (5–600 s), said in words; nothing is sent
  await expect(page.getByRole('region', { name: 'Settings' }).getByRole('alert')).toHaveText(
    'ECG chunk length: enter a whole number from 5 to 600.',
  );
  expect((await core.handlers['settings.get']({})).ecgChunkSeconds).not.toBe(2);
  await page.getByLabel('ECG chunk length (s)').fill('30');
  await page.getByLabel('ECG chunk length (s)').blur();
  await expect(page.getByRole('region', { name: 'Settings' }).getByRole('alert')).toHaveCount(0);
  await expect.poll(async () => (await core.handlers['settings.get']({})).ecgChunkSeconds).toBe(30);
  await page.getByRole('button', { name: '25 mm/s' }).click();
  await page.getByRole('button', { name: '10 mm/mV' }).click();
  await expect(page.getByRole('img', { name: /25 mm\/s, 10 mm\/mV/ })).toBeVisible();
});

test('expands a lead and returns to the 12-lead grid by keyboard alone', async ({ page }) => {
  await page.goto(host.url);
  const expandV2 = page.getByRole('button', { name: 'Expand lead V2' });
  await expandV2.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Live ECG — lead V2' })).toBeVisible();
  await expect(expandV2).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('heading', { name: 'Live ECG — 12 leads' })).toBeVisible();
});

test('has no accessibility violations (axe, WCAG 2.1 AA)', async ({ page }) => {
  await page.goto(host.url);
  await expect(page.getByText('No ECG received yet')).toBeVisible();
  await expect(page.getByText('Not enrolled with a server')).toBeVisible();
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`),
  ).toEqual([]);
});
