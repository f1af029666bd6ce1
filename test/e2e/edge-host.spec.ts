/**
 * The edge host serves the real UI to Chromium and carries the gateway API over its WebSocket:
 * the page's `window.gateway` is the WebSocket-backed client built from the preload table.
 */
import { expect, test } from '@playwright/test';
import type { GatewayCore } from '../../main/api/gateway-core.js';
import { startEdgeHost, type EdgeHost } from '../../main/edge/host.js';
import { ensureUiBuilt } from '../../main/edge/build-ui.js';
import { startEdgeFixture, type EdgeFixture } from './edge-fixture.js';
import type { Gateway } from '../../renderer/src/gateway.js';

/** The page's window as the renderer sees it. */
type GatewayWindow = Window & { gateway: Gateway };

let core: GatewayCore;
let host: EdgeHost;
let edge: EdgeFixture;

test.beforeAll(async () => {
  edge = await startEdgeFixture('edge', { simulated: true });
  ({ core, host } = edge);
});

test.afterAll(() => edge.close());

test('shows the gateway over the WebSocket API, marked as simulated, with a clean console', async ({
  page,
}) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'PulseWatch gateway' })).toBeVisible();
  await expect(page.getByText(`gateway ${core.gatewayId}`)).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'SIMULATED' })).toBeVisible();
  await page.screenshot({ path: 'test-results/e2e/edge-home.png' });
  expect(problems).toEqual([]);
});

test('round-trips a settings change through window.gateway and rejects bad input', async ({ page }) => {
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'PulseWatch gateway' })).toBeVisible();
  const mains = await page.evaluate(async () => {
    const updated = await (window as unknown as GatewayWindow).gateway.invoke('settings.update', {
      mainsHz: 60,
    });
    return updated.mainsHz;
  });
  expect(mains).toBe(60);
  const error = await page.evaluate(() =>
    (window as unknown as GatewayWindow).gateway.invoke('settings.update', { mainsHz: 55 as 60 }).then(
      () => 'accepted',
      (e: unknown) => (e as { code: string }).code,
    ),
  );
  expect(error).toBe('invalid_input');
});

test('refuses a WebSocket from a foreign origin', async ({ page }) => {
  await page.goto('about:blank');
  const wsUrl = host.url.replace('http://', 'ws://').replace(/\/$/, '') + '/gateway-ws';
  const outcome = await page.evaluate(
    (url) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(url);
        socket.onopen = () => resolve('open');
        socket.onerror = () => resolve('refused');
      }),
    wsUrl,
  );
  expect(outcome).toBe('refused');
});

test('with a token: the first load trades it for an HttpOnly cookie and the address bar loses it', async ({
  page,
}) => {
  const token = 'e2e-token-0123456789abcdef';
  const guarded = await startEdgeHost({
    core,
    staticDir: ensureUiBuilt(),
    host: '127.0.0.1',
    port: 0,
    token,
  });
  try {
    await page.goto(guarded.url);
    await expect(page.getByRole('heading', { name: 'PulseWatch gateway' })).toBeVisible();
    await expect(page.getByText(`gateway ${core.gatewayId}`)).toBeVisible();
    expect(new URL(page.url()).search).toBe('');
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const mains = await page.evaluate(async () => {
      const settings = await (window as unknown as GatewayWindow).gateway.invoke('settings.get', {});
      return typeof settings.mainsHz;
    });
    expect(mains).toBe('number');
    await page.reload();
    await expect(page.getByText(`gateway ${core.gatewayId}`)).toBeVisible();
  } finally {
    await guarded.close();
  }
});
