/**
 * Electrodes knocked off during ventricular fibrillation, end to end: the simulated ECG-12 unit
 * plays VF from 10 to 22 s and reports every electrode off from 18 to 28 s (its inputs floating),
 * so the VF ends while nothing can be seen. The VF alarm must not clear itself: it is raised
 * again saying its end was not seen, stays while sinus rhythm shows after the electrodes are back,
 * and goes only when staff acknowledge it; the event log keeps the episode with its note. The
 * lead-off warning stands beside it while the electrodes are off, and goes when they are back.
 */
import { expect, test } from '@playwright/test';
import type { EdgeHost } from '../../main/edge/host.js';
import { parseEpisodes } from '../../main/devices/ecg12/sim/rhythm-episodes.js';
import { startEdgeFixture, type EdgeFixture } from './edge-fixture.js';

let host: EdgeHost;
let edge: EdgeFixture;

test.beforeAll(async () => {
  edge = await startEdgeFixture('ui-arrest-lead-off', {
    simulated: true,
    version: '0.0.0-ui',
    episodes: parseEpisodes('vf@10+12,leadoff@18+10'),
  });
  ({ host } = edge);
});

test.afterAll(() => edge.close());

test('keeps the VF alarm when the electrodes come off during VF, until staff acknowledge it', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Connect ECG unit', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: /Live from ECG-SIM-\d+ at \d+ Hz/ })).toBeVisible();

  const strip = page.locator('.alarm-strip');
  await expect(strip.getByText(/Ventricular flutter\/fibrillation on the ECG \(computed/)).toBeVisible({
    timeout: 40_000,
  });
  const unseen = strip.getByText(
    /Ventricular flutter\/fibrillation on the ECG until the signal was lost .* its end was not seen/,
  );
  await expect(unseen).toBeVisible({ timeout: 30_000 });
  // the lead-off warning beside it, naming the electrodes and what waits for them
  const leadOff = strip.getByText(
    /Electrodes off: LA, LL, RA, V1, V2, V3, V4, V5, V6\. No ECG on I, II, .*: beat detection and the arrest alarms wait for them/,
  );
  await expect(leadOff).toBeVisible();
  // and every lead marked lead off on the traces
  await expect(page.getByRole('img', { name: /II lead off.*V5 lead off/ })).toBeVisible();
  await page.screenshot({ path: 'test-results/e2e/ui-arrest-lead-off-during.png' });
  const log = page.getByRole('table', { name: /Arrhythmia and event log/ });
  await expect(log.getByRole('row').filter({ hasText: 'Ventricular flutter/fibrillation' })).toContainText(
    'Its end was not seen',
  );
  await expect(log).toContainText('Lead off');
  // the electrodes are back and sinus rhythm shows: the heart rate returns, the alarm stays
  const hr = page.getByLabel('ECG heart rate');
  await expect(hr.locator('.value')).toHaveText(/^\d{2,3}$/, { timeout: 40_000 });
  await expect(unseen).toBeVisible();
  await expect(leadOff).toBeHidden();
  await page.screenshot({ path: 'test-results/e2e/ui-arrest-lead-off.png' });
  const acknowledge = strip
    .locator('.alarm', { hasText: 'its end was not seen' })
    .getByRole('button', { name: 'Acknowledge' });
  await acknowledge.focus();
  await page.keyboard.press('Enter');
  await expect(unseen).toBeHidden();
  expect(pageErrors).toEqual([]);
});
