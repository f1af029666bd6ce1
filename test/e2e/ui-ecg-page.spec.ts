/**
 * The live ECG as a standard 12-lead page, end to end in edge mode with the simulated ECG-12
 * unit: 10 s per page at true 25 mm/s (default screen scale 96 dpi × devicePixelRatio), four
 * consecutive 2.5-s columns over a 10-s lead II rhythm strip, the settings printed on the trace,
 * auto gain, the calibration pulse inside its row at 20 mm/mV, an expanded lead drawn larger,
 * 50 mm/s widening the page instead of shortening it, screen calibration kept across a reload,
 * and no trace once the unit is disconnected. At 1600×1000 and 1280×800; screenshots in
 * test-results/e2e/.
 */
import { expect, test, type Page } from '@playwright/test';
import type { GatewayCore } from '../../main/api/gateway-core.js';
import type { EdgeHost } from '../../main/edge/host.js';
import { startEdgeFixture, type EdgeFixture } from './edge-fixture.js';

let core: GatewayCore;
let host: EdgeHost;
let edge: EdgeFixture;

test.beforeAll(async () => {
  edge = await startEdgeFixture('ui-ecg-page', { simulated: true, version: '0.0.0-ui' }, (c) =>
    c.handlers['patients.create']({ studyCode: 'P042', ageYears: 61 }),
  );
  ({ core, host } = edge);
});

test.afterAll(() => edge.close());

interface DrawnCell {
  lead: string;
  rhythm: boolean;
  startOffsetMs: number;
  durationMs: number;
  x: number;
  y: number;
  width: number;
  height: number;
}
interface DrawnPage {
  pxPerMm: number;
  speedMmPerS: number;
  gainMmPerMv: number;
  durationMs: number;
  printed: string[];
  rows: { y: number; height: number; baselineY: number }[];
  cells: DrawnCell[];
}

const canvas = (page: Page) => page.locator('canvas.ecg-canvas');

async function drawn(page: Page): Promise<DrawnPage> {
  const raw = await canvas(page).getAttribute('data-page');
  if (raw === null) throw new Error('the ECG canvas has not drawn a page yet');
  return JSON.parse(raw) as DrawnPage;
}

/**
 * Dark pixels (trace and calibration pulse ink; every channel below `below`) inside a canvas
 * rectangle, device px. Paper, grid and the maroon labels are lighter than 70 in some channel.
 */
function inkIn(page: Page, x: number, y: number, width: number, height: number, below = 70): Promise<number> {
  return canvas(page).evaluate(
    (node, r) => {
      const c = node as HTMLCanvasElement;
      const { data } = c.getContext('2d')?.getImageData(r.x, r.y, r.width, r.height) ?? { data: [] };
      let dark = 0;
      for (let k = 0; k < data.length; k += 4)
        if ((data[k] ?? 255) < r.below && (data[k + 1] ?? 255) < r.below && (data[k + 2] ?? 255) < r.below)
          dark++;
      return dark;
    },
    { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height), below },
  );
}

/** Ink in every non-rhythm cell (inset so neighbours' lines do not count). */
async function inkPerCell(page: Page, p: DrawnPage): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const c of p.cells.filter((cell) => !cell.rhythm))
    out[c.lead] = await inkIn(page, c.x + 4, c.y + 2, c.width - 8, c.height - 4);
  return out;
}

/** Connects the simulated unit unless an earlier test left it streaming (the control waits for the unit's state). */
async function ensureUnitStreaming(page: Page): Promise<void> {
  const connect = page.getByRole('button', { name: 'Connect ECG unit', exact: true });
  await expect(connect.or(page.getByRole('button', { name: 'Disconnect ECG unit' }))).toBeVisible();
  if (await connect.isVisible()) await connect.click();
  await expect(page.getByRole('button', { name: 'Disconnect ECG unit' })).toBeVisible();
}

for (const viewport of [
  { width: 1600, height: 1000 },
  { width: 1280, height: 800 },
]) {
  const tag = `${viewport.width}x${viewport.height}`;
  test(`shows a standard 10-s 12-lead page at true 25 mm/s at ${tag}`, async ({ page }) => {
    await core.handlers['settings.update']({ sweepSpeedMmPerS: 25, gainMmPerMv: 10 });
    await page.setViewportSize(viewport);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(host.url);
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.getByLabel('Patient', { exact: true }).selectOption({ label: 'P042, 61 y' });
    await ensureUnitStreaming(page);
    await expect(
      page.getByRole('status').filter({ hasText: /Live from ECG-SIM-\d+ at \d+ Hz/ }),
    ).toBeVisible();
    const dpr = await page.evaluate(() => window.devicePixelRatio);

    // geometry: 10 s, 25 mm/s at the default 96-dpi scale, consecutive 2.5-s columns
    const p = await drawn(page);
    expect(p.pxPerMm).toBeCloseTo((dpr * 96) / 25.4, 6);
    expect(p.durationMs).toBe(10_000);
    const rhythm = p.cells.filter((c) => c.rhythm);
    expect(rhythm.map((c) => [c.lead, c.startOffsetMs, c.durationMs])).toEqual([['II', 0, 10_000]]);
    expect((rhythm[0]?.width ?? 0) / p.pxPerMm).toBeCloseTo(250, 6);
    const columns = [
      ['I', 'II', 'III'],
      ['aVR', 'aVL', 'aVF'],
      ['V1', 'V2', 'V3'],
      ['V4', 'V5', 'V6'],
    ];
    columns.forEach((leads, k) => {
      for (const lead of leads) {
        const cell = p.cells.find((c) => c.lead === lead && !c.rhythm);
        expect(cell, lead).toMatchObject({ startOffsetMs: k * 2500, durationMs: 2500 });
        expect(((cell?.width ?? 0) / p.pxPerMm).toFixed(6)).toBe('62.500000');
      }
    });
    const box = await canvas(page).boundingBox();
    expect(box?.width ?? 0).toBeGreaterThanOrEqual(250 * (96 / 25.4));

    // the settings are printed on the trace
    expect(p.printed).toEqual(
      expect.arrayContaining([
        'Patient P042',
        '25 mm/s',
        '10 mm/mV',
        '0.5–40 Hz',
        expect.stringMatching(/^notch (50|60) Hz$/),
        expect.stringMatching(/^\d+ samples\/s/),
      ]),
    );

    // after one full sweep every cell has signal (drawing pauses while the ECG is off screen)
    await canvas(page).scrollIntoViewIfNeeded();
    await expect
      .poll(
        async () => Object.values(await inkPerCell(page, await drawn(page))).filter((n) => n > 30).length,
        {
          timeout: 30_000,
        },
      )
      .toBe(12);
    await page.getByRole('heading', { name: 'Live ECG — 12 leads' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `test-results/e2e/ecg-page-${tag}.png` });
    await page.screenshot({ path: `test-results/e2e/ecg-page-full-${tag}.png`, fullPage: true });
    // only the ECG page scrolls sideways (inside its panel), never the whole desk
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    ).toBeLessThanOrEqual(0);
    await canvas(page).screenshot({ path: `test-results/e2e/ecg-page-canvas-${tag}.png` });
    expect(pageErrors).toEqual([]);
  });
}

test('prints auto gain, keeps the pulse in its row at 20 mm/mV, expands a lead larger, widens at 50 mm/s', async ({
  page,
}) => {
  await core.handlers['settings.update']({ sweepSpeedMmPerS: 25, gainMmPerMv: 10 });
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(host.url);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await ensureUnitStreaming(page);
  await expect(page.getByRole('status').filter({ hasText: /Live from ECG-SIM-\d+/ })).toBeVisible();
  const toolbar = page.getByRole('toolbar', { name: 'ECG display' });

  // auto gain: chosen from the signal, printed as AUTO x mm/mV, kept across a reload
  await toolbar.getByRole('button', { name: /^Auto/ }).click();
  await expect
    .poll(async () => (await drawn(page)).printed.find((t) => t.startsWith('AUTO')))
    .toMatch(/^AUTO (2\.5|5|10|20) mm\/mV$/);
  await page.getByRole('heading', { name: 'Live ECG — 12 leads' }).scrollIntoViewIfNeeded();
  await canvas(page).screenshot({ path: 'test-results/e2e/ecg-page-auto-gain.png' });
  await page.reload();
  await expect(page.getByRole('button', { name: /^Auto/ })).toHaveAttribute('aria-pressed', 'true');

  // 20 mm/mV: rows grow, the 1-mV pulse (20 mm) stands inside its row and is drawn there
  await toolbar.getByRole('button', { name: '20 mm/mV' }).click();
  await expect.poll(async () => (await drawn(page)).gainMmPerMv).toBe(20);
  const p20 = await drawn(page);
  expect(p20.printed).toContain('20 mm/mV');
  for (const row of p20.rows) {
    const pulseTop = row.baselineY - 20 * p20.pxPerMm;
    expect(pulseTop).toBeGreaterThan(row.y);
    // the pulse's top edge is inked 20 mm above the baseline, in the margin left of the traces
    const x0 = 0.5 * p20.pxPerMm + 2 * p20.pxPerMm;
    // (a 1.1-px antialiased line: its pixels are dark grey rather than black)
    expect(await inkIn(page, x0, pulseTop - 3, 5 * p20.pxPerMm, 6, 130)).toBeGreaterThan(10);
  }
  await canvas(page).screenshot({ path: 'test-results/e2e/ecg-page-20mm-mv.png' });

  // an expanded lead is drawn larger: twice the gain, a taller row, the whole 10 s
  await toolbar.getByRole('button', { name: '10 mm/mV' }).click();
  await expect.poll(async () => (await drawn(page)).gainMmPerMv).toBe(10);
  const standard = await drawn(page);
  await page.getByRole('button', { name: 'Expand lead V2' }).click();
  await expect(page.getByRole('heading', { name: 'Live ECG — lead V2' })).toBeVisible();
  await expect.poll(async () => (await drawn(page)).cells.length).toBe(1);
  const expanded = await drawn(page);
  const small = standard.cells.find((c) => c.lead === 'V2');
  expect(expanded.cells[0]).toMatchObject({ lead: 'V2', startOffsetMs: 0, durationMs: 10_000 });
  expect(expanded.gainMmPerMv).toBe(20);
  expect(expanded.cells[0]?.height ?? 0).toBeGreaterThan(small?.height ?? Infinity);
  await canvas(page).screenshot({ path: 'test-results/e2e/ecg-page-expanded-v2.png' });
  await canvas(page).click({ position: { x: 200, y: 100 } });
  await expect(page.getByRole('heading', { name: 'Live ECG — 12 leads' })).toBeVisible();

  // 50 mm/s: still 10 s, on a page twice as wide (it scrolls)
  await toolbar.getByRole('button', { name: '50 mm/s' }).click();
  await expect.poll(async () => (await drawn(page)).speedMmPerS).toBe(50);
  const p50 = await drawn(page);
  expect(p50.durationMs).toBe(10_000);
  expect((p50.cells.find((c) => c.rhythm)?.width ?? 0) / p50.pxPerMm).toBeCloseTo(500, 6);
  expect(p50.printed).toContain('50 mm/s');
  await toolbar.getByRole('button', { name: '25 mm/s' }).click();
  await expect.poll(async () => (await drawn(page)).speedMmPerS).toBe(25);
});

test('calibrates the screen with a bank card, keeps it across a reload, and clears the trace on disconnect', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(host.url);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  const unit = page.getByRole('region', { name: 'ECG-12 unit' });
  await ensureUnitStreaming(page);
  await expect(page.getByRole('status').filter({ hasText: /Live from ECG-SIM-\d+/ })).toBeVisible();
  const dpr = await page.evaluate(() => window.devicePixelRatio);

  await page.getByRole('button', { name: 'Calibrate screen…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Calibrate the screen' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Not calibrated yet');
  const card = dialog.getByTestId('calibration-card');
  const before = await card.boundingBox();
  expect((before?.width ?? 0) / (96 / 25.4)).toBeCloseTo(85.6, 0);
  // this monitor is finer than the browser thinks: 4.5 CSS px per mm
  await dialog.getByLabel('Card size on screen').fill('4.5');
  expect(((await card.boundingBox())?.width ?? 0) / 4.5).toBeCloseTo(85.6, 0);
  await page.screenshot({ path: 'test-results/e2e/ecg-page-calibration.png' });
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect.poll(async () => (await drawn(page)).pxPerMm).toBeCloseTo(4.5 * dpr, 6);
  const box = await canvas(page).boundingBox();
  expect(box?.width ?? 0).toBeGreaterThanOrEqual(250 * 4.5);

  await page.reload();
  await canvas(page).scrollIntoViewIfNeeded(); // drawing pauses while the ECG is off screen
  await expect.poll(async () => (await drawn(page)).pxPerMm).toBeCloseTo(4.5 * dpr, 6);
  const p = await drawn(page);
  expect((p.cells.find((c) => c.rhythm)?.width ?? 0) / p.pxPerMm).toBeCloseTo(250, 6);

  await page.getByRole('button', { name: 'Calibrate screen…' }).click();
  await dialog.getByRole('button', { name: 'Use browser default' }).click();
  await expect.poll(async () => (await drawn(page)).pxPerMm).toBeCloseTo((96 / 25.4) * dpr, 6);

  // disconnect: the trace goes, no lead is shown as good
  await expect
    .poll(async () => Object.values(await inkPerCell(page, await drawn(page))).filter((n) => n > 30).length)
    .toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Disconnect ECG unit' }).click();
  await expect(page.getByText(/Signal stopped \d+ s ago/)).toBeVisible({ timeout: 10_000 });
  await expect
    .poll(async () => Object.values(await inkPerCell(page, await drawn(page))).reduce((a, b) => a + b, 0))
    .toBe(0);
  // the device details (collapsed by default) show no lead as good either
  await page.getByText('ECG unit: ports, lead quality and counters').click();
  await expect(unit.getByRole('list', { name: 'Signal quality per lead' })).toContainText('I: —');
  await expect(unit.getByRole('list', { name: 'Signal quality per lead' })).not.toContainText('good');
  await page.getByRole('heading', { name: 'Live ECG — 12 leads' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/e2e/ecg-page-disconnected.png' });
});
