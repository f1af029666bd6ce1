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

/** Near-black pixels (trace and calibration pulse ink) inside a canvas rectangle, device px. */
function inkIn(page: Page, x: number, y: number, width: number, height: number): Promise<number> {
  return canvas(page).evaluate(
    (node, r) => {
      const c = node as HTMLCanvasElement;
      const { data } = c.getContext('2d')?.getImageData(r.x, r.y, r.width, r.height) ?? { data: [] };
      let dark = 0;
      for (let k = 0; k < data.length; k += 4)
        if ((data[k] ?? 255) < 70 && (data[k + 1] ?? 255) < 70 && (data[k + 2] ?? 255) < 70) dark++;
      return dark;
    },
    { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height) },
  );
}

/** Ink in every non-rhythm cell (inset so neighbours' lines do not count). */
async function inkPerCell(page: Page, p: DrawnPage): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const c of p.cells.filter((cell) => !cell.rhythm))
    out[c.lead] = await inkIn(page, c.x + 4, c.y + 2, c.width - 8, c.height - 4);
  return out;
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
    await page.getByRole('button', { name: 'Connect (find unit)' }).click();
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

    // after one full sweep every cell has signal
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
    await canvas(page).screenshot({ path: `test-results/e2e/ecg-page-canvas-${tag}.png` });
    expect(pageErrors).toEqual([]);
  });
}
