/**
 * Arrest rhythms as staff see them, end to end: the simulated ECG-12 unit plays ventricular
 * fibrillation and then asystole (rhythm-episodes.ts) on its pseudo-terminal, the gateway core's
 * pipeline detects them, and the UI raises each as a critical alarm at the top of the screen,
 * withholds the heart rate inside it with the reason, logs the episode as one row (ongoing, then
 * with its duration), and clears the alarm when the rhythm returns, marking it cleared in the
 * alarm history. The second alarm is acknowledged with the
 * keyboard.
 */
import { expect, test } from '@playwright/test';
import type { EdgeHost } from '../../main/edge/host.js';
import { parseEpisodes } from '../../main/devices/ecg12/sim/rhythm-episodes.js';
import { startEdgeFixture, type EdgeFixture } from './edge-fixture.js';

let host: EdgeHost;
let edge: EdgeFixture;

test.beforeAll(async () => {
  edge = await startEdgeFixture('ui-arrest', {
    simulated: true,
    version: '0.0.0-ui',
    episodes: parseEpisodes('vf@10+14,asystole@36+9'),
  });
  ({ host } = edge);
});

test.afterAll(() => edge.close());

test('raises, shows and clears ventricular fibrillation and asystole alarms from the simulated unit', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Connect ECG unit', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: /Live from ECG-SIM-\d+ at \d+ Hz/ })).toBeVisible();
  const hr = page.getByLabel('ECG heart rate');
  await expect(hr.locator('.value')).toHaveText(/^\d{2,3}$/, { timeout: 30_000 });

  const strip = page.locator('.alarm-strip');
  const vfAlarm = strip.getByText(/Ventricular flutter\/fibrillation on the ECG/);
  await expect(vfAlarm).toBeVisible({ timeout: 40_000 });
  await expect(strip.locator('.alarm-critical').filter({ hasText: 'Ventricular' })).toContainText('CRITICAL');
  await expect(hr).toContainText('no beats: ventricular flutter/fibrillation', { timeout: 10_000 });
  await expect(page.getByRole('table', { name: 'Intervals and axis' })).toContainText(
    'no beats: ventricular flutter/fibrillation',
  );
  const log = page.getByRole('table', { name: /Arrhythmia and event log/ });
  await expect(log).toContainText('Ventricular flutter/fibrillation — ongoing');
  await page.screenshot({ path: 'test-results/e2e/ui-arrest-vf-alarm.png' });

  // the rhythm returns: the alarm clears by itself; the log keeps the episode, one row with its
  // length, and the alarm history marks the alarm cleared
  await expect(vfAlarm).toBeHidden({ timeout: 30_000 });
  const vfRows = log.getByRole('row').filter({ hasText: 'Ventricular flutter/fibrillation' });
  await expect(vfRows).toHaveCount(1);
  await expect(vfRows).toContainText(/Ventricular flutter\/fibrillation \(1\d\.\d s\)/);
  const history = page.getByRole('log', { name: 'Alarms' });
  await expect(history.locator('.alarm-cleared')).toContainText(/Ventricular.*Cleared \d\d:\d\d:\d\d/);
  await expect(hr.locator('.value')).toHaveText(/^\d{2,3}$/, { timeout: 20_000 });

  const asystole = strip.getByText(/Asystole: no QRS for 4 s/);
  await expect(asystole).toBeVisible({ timeout: 40_000 });
  await expect(hr).toContainText('no beats: asystole', { timeout: 10_000 });
  await page.screenshot({ path: 'test-results/e2e/ui-arrest-asystole-alarm.png' });
  // staff acknowledge it from the keyboard
  const acknowledge = strip
    .locator('.alarm', { hasText: 'Asystole' })
    .getByRole('button', { name: 'Acknowledge' });
  await acknowledge.focus();
  await page.keyboard.press('Enter');
  await expect(asystole).toBeHidden();
  await expect(log.getByRole('row').filter({ hasText: 'Asystole' })).toHaveText(/Asystole \(\d+\.\d s\)/, {
    timeout: 30_000,
  });
  await page.getByRole('heading', { name: 'Alarms and events' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/e2e/ui-arrest-event-log.png' });
  expect(pageErrors).toEqual([]);
});
