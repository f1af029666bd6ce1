/**
 * Arrest rhythms as staff see them, end to end: the simulated ECG-12 unit plays ventricular
 * fibrillation and then asystole (rhythm-episodes.ts) on its pseudo-terminal, the gateway core's
 * pipeline detects them, and the UI raises each as a critical alarm at the top of the screen,
 * withholds the heart rate inside it with the reason, logs the episode as one row (ongoing, then
 * with its duration), and clears the alarm when the rhythm returns, marking it cleared in the
 * alarm history. A page opened during the VF shows the alarm, the episode and the withheld rate as
 * well. The second alarm is acknowledged with the keyboard.
 *
 * Then electrodes knocked off during ventricular fibrillation: the unit plays VF from 10 to 22 s
 * and reports every electrode off from 18 to 28 s (its inputs floating), so the VF ends while
 * nothing can be seen. The screen is locked when the VF starts: the lock screen shows the alarm,
 * and once unlocked the page has the alarms and the log rows of while it was locked. The VF alarm must not clear itself: it is raised again saying its end was
 * not seen, stays while sinus rhythm shows after the electrodes are back, and goes only when staff
 * acknowledge it; the event log keeps the episode with its note. The lead-off warning stands
 * beside it while the electrodes are off, and goes when they are back.
 */
import { expect, test, type Page } from '@playwright/test';
import type { EdgeHost } from '../../main/edge/host.js';
import { parseEpisodes } from '../../main/devices/ecg12/sim/rhythm-episodes.js';
import { startEdgeFixture, type EdgeFixture } from './edge-fixture.js';

/** A gateway whose simulated unit plays `episodes`, for the tests of the enclosing describe block. */
function simulatedGateway(name: string, episodes: string): () => EdgeHost {
  let edge: EdgeFixture;
  test.beforeAll(async () => {
    edge = await startEdgeFixture(name, {
      simulated: true,
      version: '0.0.0-ui',
      episodes: parseEpisodes(episodes),
    });
  });
  test.afterAll(() => edge.close());
  return () => edge.host;
}

/** Opens the UI and connects the simulated unit; the page errors seen from then on. */
async function connectUnit(page: Page, host: EdgeHost): Promise<string[]> {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Connect ECG unit', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: /Live from ECG-SIM-\d+ at \d+ Hz/ })).toBeVisible();
  return pageErrors;
}

test.describe('arrest rhythms', () => {
  const gateway = simulatedGateway('ui-arrest', 'vf@10+14,asystole@36+9');

  test('raises, shows and clears ventricular fibrillation and asystole alarms from the simulated unit', async ({
    page,
  }) => {
    test.setTimeout(150_000);
    const pageErrors = await connectUnit(page, gateway());
    const hr = page.getByLabel('ECG heart rate');
    await expect(hr.locator('.value')).toHaveText(/^\d{2,3}$/, { timeout: 30_000 });

    const strip = page.locator('.alarm-strip');
    const vfAlarm = strip.getByText(/Ventricular flutter\/fibrillation on the ECG/);
    await expect(vfAlarm).toBeVisible({ timeout: 40_000 });
    await expect(strip.locator('.alarm-critical').filter({ hasText: 'Ventricular' })).toContainText(
      'CRITICAL',
    );
    await expect(hr).toContainText('no beats: ventricular flutter/fibrillation', { timeout: 10_000 });
    await expect(page.getByRole('table', { name: 'Intervals and axis' })).toContainText(
      'no beats: ventricular flutter/fibrillation',
    );
    const log = page.getByRole('table', { name: /Arrhythmia and event log/ });
    await expect(log).toContainText('Ventricular flutter/fibrillation — ongoing');
    await page.screenshot({ path: 'test-results/e2e/ui-arrest-vf-alarm.png' });

    // a page opened now (another screen, or this one reloaded) shows the alarm in force, with the
    // time it was raised, the episode in the log and the rhythm that withholds the heart rate
    const late = await page.context().newPage();
    await late.goto(gateway().url);
    await expect(late.locator('.alarm-strip .alarm-critical')).toContainText(
      /\d\d:\d\d:\d\d Ventricular flutter\/fibrillation on the ECG/,
    );
    await expect(late.getByRole('table', { name: /Arrhythmia and event log/ })).toContainText(
      'Ventricular flutter/fibrillation — ongoing',
    );
    await expect(late.getByLabel('ECG heart rate')).toContainText(
      'no beats: ventricular flutter/fibrillation',
    );
    await expect(late).toHaveTitle('CRITICAL alarm — PulseWatch');
    await late.screenshot({ path: 'test-results/e2e/ui-arrest-vf-late-page.png' });
    await late.close();

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
});

test.describe('electrodes off during ventricular fibrillation', () => {
  const gateway = simulatedGateway('ui-arrest-lead-off', 'vf@10+12,leadoff@18+10');

  test('keeps the VF alarm when the electrodes come off during VF, until staff acknowledge it', async ({
    page,
  }) => {
    test.setTimeout(150_000);
    const pageErrors = await connectUnit(page, gateway());
    // an operator signs in and locks the screen before the VF starts (10 s)
    const desk = page.locator('#desk');
    await desk.getByText('New operator').click();
    await desk.getByLabel('Name').fill('Nurse Lee');
    await page.keyboard.press('Enter');
    await expect(page.locator('.header-operator')).toHaveText('Operator Nurse Lee');
    await desk.getByRole('button', { name: 'Lock screen' }).click();
    await expect(page.getByRole('heading', { name: 'Screen locked' })).toBeVisible();

    // the locked screen shows the alarm (no patient data in it)
    const strip = page.locator('.alarm-strip');
    await expect(strip.getByText(/Ventricular flutter\/fibrillation on the ECG \(computed/)).toBeVisible({
      timeout: 40_000,
    });
    await page.screenshot({ path: 'test-results/e2e/ui-arrest-locked.png' });
    // unlocked, the page still has everything that came while it was locked
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.locator('.header-operator')).toHaveText('Operator Nurse Lee');
    await expect(page.getByRole('table', { name: /Arrhythmia and event log/ })).toContainText(
      'Ventricular flutter/fibrillation',
    );
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
});
