/**
 * The signed-in operator's own account at the desk, keyboard only: a change needs the current
 * PIN, a rename shows at once in the header, the PIN changes, and "Leave this desk" asks first,
 * signs the operator out and takes the name off the sign-in list (the gateway keeps the row, so
 * recordings keep naming them).
 */
import { expect, test } from '@playwright/test';
import type { GatewayCore } from '../../main/api/gateway-core.js';
import type { EdgeHost } from '../../main/edge/host.js';
import { startEdgeFixture, type EdgeFixture } from './edge-fixture.js';
import { SHOTS, expectNoAxeViolations } from './ui-checks.js';

let edge: EdgeFixture;
let core: GatewayCore;
let host: EdgeHost;

test.beforeAll(async () => {
  edge = await startEdgeFixture('ui-operator', { simulated: true, version: '0.0.0-e2e' }, (c) =>
    c.handlers['operators.create']({ name: 'Nurse Ada', pin: '2468' }),
  );
  ({ core, host } = edge);
});

test.afterAll(() => edge.close());

test('an operator renames themself, changes their PIN with the current one, and leaves the desk', async ({
  page,
}) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(host.url);
  const recording = page.getByRole('region', { name: 'Recording', exact: true });
  await recording.getByLabel('Operator').selectOption({ label: 'Nurse Ada' });
  await recording.getByLabel('PIN', { exact: true }).fill('2468');
  await recording.getByLabel('PIN', { exact: true }).press('Enter');
  await expect(recording.getByText('Operator: Nurse Ada')).toBeVisible();

  // open the account by keyboard
  const summary = recording.getByText('My name and PIN');
  await summary.focus();
  await page.keyboard.press('Enter');
  const form = recording.getByRole('form', { name: 'Name and PIN of Nurse Ada' });
  await expect(form).toBeVisible();

  // without the current PIN nothing changes
  await form.getByLabel('Name').fill('Nurse Adaline');
  await form.getByLabel('New PIN').fill('13579');
  await form.getByLabel('Name').press('Enter');
  await expect(recording.getByRole('alert')).toContainText('Current PIN');
  expect((await core.handlers['desk.get']({})).operator?.name).toBe('Nurse Ada');

  // a wrong current PIN is refused in words
  await form.getByLabel('Current PIN').fill('1111');
  await form.getByLabel('Current PIN').press('Enter');
  await expect(recording.getByRole('alert')).toContainText('That PIN is not right');

  await form.getByLabel('Current PIN').fill('2468');
  await form.getByLabel('Current PIN').press('Enter');
  await expect(page.getByRole('banner')).toContainText('Nurse Adaline');
  await expect(recording.getByText('Operator: Nurse Adaline')).toBeVisible();
  await expect(recording.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expectNoAxeViolations(page);
  await recording.screenshot({ path: `${SHOTS}/ui-operator-account.png` });

  // the new PIN unlocks; the old one does not
  await recording.getByRole('button', { name: 'Lock screen' }).click();
  const lock = page.getByRole('main', { name: 'Screen locked' });
  const unlockPin = lock.getByLabel('PIN', { exact: true }).first();
  await unlockPin.fill('2468');
  await unlockPin.press('Enter');
  await expect(lock.getByRole('alert')).toContainText('That PIN is not right');
  await unlockPin.fill('13579');
  await unlockPin.press('Enter');
  await expect(lock).toBeHidden();

  // leaving asks first; "Stay" keeps everything
  await recording.getByText('My name and PIN').click();
  await recording.getByRole('button', { name: 'Leave this desk…' }).click();
  const ask = recording.getByRole('alertdialog');
  await expect(ask).toContainText('Remove Nurse Adaline from this desk?');
  await expect(ask.getByRole('button', { name: 'Stay' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(ask).toBeHidden();
  await recording.getByLabel('Current PIN').fill('13579');
  await recording.getByRole('button', { name: 'Leave this desk…' }).click();
  await ask.getByRole('button', { name: 'Yes, remove me' }).click();
  await expect(recording.getByLabel('Operator')).toBeVisible();
  await expect(recording.getByLabel('Operator').getByRole('option')).toHaveText(['— choose your name —']);
  expect(pageErrors).toEqual([]);
});
