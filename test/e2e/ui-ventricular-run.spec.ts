/**
 * Ventricular tachycardia as staff see it, end to end: the simulated ECG-12 unit plays 10 s of
 * monomorphic VT (rhythm-episodes.ts `vt`, synthetic-vt.ts) over sinus rhythm on its
 * pseudo-terminal; the gateway core's beat classes make it a ventricular run
 * (main/dsp/rhythm-events.ts), and the UI raises a critical alarm naming its rate, keeps the
 * heart rate (VT has beats, unlike an arrest rhythm), logs the run as one row — ongoing, then
 * with its length and a note of its beats and rate — and clears the alarm when sinus rhythm
 * returns, marking it cleared in the alarm history.
 */
import { expect, test } from '@playwright/test';
import { parseEpisodes } from '../../main/devices/ecg12/sim/rhythm-episodes.js';
import { startEdgeFixture, type EdgeFixture } from './edge-fixture.js';

let edge: EdgeFixture;
test.beforeAll(async () => {
  edge = await startEdgeFixture('ui-vt', {
    simulated: true,
    version: '0.0.0-ui',
    episodes: parseEpisodes('vt@12+10'),
  });
});
test.afterAll(() => edge.close());

test('raises, logs and clears a run of ventricular tachycardia from the simulated unit', async ({ page }) => {
  test.setTimeout(120_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(edge.host.url);
  await page.getByRole('button', { name: 'Connect ECG unit', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: /Live from ECG-SIM-\d+ at \d+ Hz/ })).toBeVisible();
  const hr = page.getByLabel('ECG heart rate');
  await expect(hr.locator('.value')).toHaveText(/^\d{2,3}$/, { timeout: 30_000 });

  const strip = page.locator('.alarm-strip');
  const alarm = strip.locator('.alarm-critical').filter({ hasText: 'Ventricular tachycardia' });
  await expect(alarm).toContainText(/Ventricular tachycardia: a run of ventricular beats at 1\d\d\/min/, {
    timeout: 40_000,
  });
  await expect(alarm).toContainText('CRITICAL');
  const log = page.getByRole('table', { name: /Arrhythmia and event log/ });
  const runRows = log.getByRole('row').filter({ hasText: 'Ventricular run' });
  await expect(runRows).toHaveCount(1);
  await expect(runRows).toContainText('Ventricular run — ongoing');
  // VT has beats: the heart rate is not withheld as in an arrest rhythm
  await expect(hr).not.toContainText('no beats');
  await page.screenshot({ path: 'test-results/e2e/ui-vt-alarm.png' });

  // sinus rhythm returns: the alarm clears by itself; the log keeps the run, one row with its
  // length and a note of its beats and rate; the history marks the alarm cleared
  await expect(alarm).toBeHidden({ timeout: 30_000 });
  await expect(runRows).toHaveCount(1);
  await expect(runRows).toContainText(/Ventricular run \((9|10|11)\.\d s\)/);
  await expect(runRows).toContainText(
    /\d+ ventricular beats at 1\d\d\/min: non-sustained ventricular tachycardia/,
  );
  // the run's beats are its one row, not a PVC row each
  await expect(log.getByRole('row').filter({ hasText: 'PVC' })).toHaveCount(0);
  const history = page.getByRole('log', { name: 'Alarms' });
  await expect(history.locator('.alarm-cleared')).toContainText(
    /Ventricular tachycardia.*Cleared \d\d:\d\d:\d\d/,
  );
  await page.getByRole('heading', { name: 'Alarms and events' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/e2e/ui-vt-event-log.png' });
  expect(pageErrors).toEqual([]);
});
