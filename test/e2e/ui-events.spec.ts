/**
 * How the UI shows what the gateway reports, driven through the real event path (gateway core
 * event bus → edge WebSocket → window.gateway) with payloads written here: gaps drawn as gaps,
 * lead-off per electrode, withheld measurements with their reasons, alarms and the event log,
 * and the SIMULATED banner appearing only when simulated data arrives on a non-demo gateway.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import type { GatewayCore } from '../../main/api/gateway-core.js';
import type { EdgeHost } from '../../main/edge/host.js';
import { startEdgeFixture, type EdgeFixture } from './edge-fixture.js';
import { LEADS } from '../../renderer/src/api-types.js';

let core: GatewayCore;
let host: EdgeHost;
let edge: EdgeFixture;

const RATE_HZ = 250;
const EMPTY_COUNTERS = {
  frames: 0,
  crcErrors: 0,
  bytesDiscarded: 0,
  unknownFrames: 0,
  sampleSetsLost: 0,
  reconnects: 0,
};

test.beforeAll(async () => {
  edge = await startEdgeFixture('ui-events', { simulated: false, version: '0.0.0-ui' });
  ({ core, host } = edge);
});

test.afterAll(() => edge.close());

/** Opens the UI and waits until it has heard from the gateway (its subscriptions are in place). */
async function openUi(page: Page): Promise<void> {
  await page.goto(host.url);
  await expect(page.getByText(`gateway ${core.gatewayId}`)).toBeVisible();
}

/** A flat +500 µV batch on every lead (a horizontal line 5 mm above the baseline). */
function flatBatch(runStartMs: number, firstSampleIndex: number, count: number, simulated: boolean) {
  return {
    deviceSerial: 'ECG-TEST-1',
    simulated,
    sampleRateHz: RATE_HZ,
    runStartMs,
    firstSampleIndex,
    leads: [...LEADS],
    samplesUv: LEADS.map(() => Array.from({ length: count }, () => 500)),
    beats: [],
  };
}

/**
 * Dark pixels per second-wide slice of the rhythm strip, from the page geometry the canvas
 * publishes (`data-page`: cells in device px, the scale in px/mm) at 25 mm/s.
 */
function rhythmInkPerSecond(page: Page, seconds: number): Promise<number[]> {
  return page.locator('canvas.ecg-canvas').evaluate((node, n) => {
    const canvas = node as HTMLCanvasElement;
    const ctx = canvas.getContext('2d');
    const geometry = JSON.parse(canvas.dataset.page ?? 'null') as {
      pxPerMm: number;
      cells: { rhythm: boolean; x: number; y: number; height: number }[];
    } | null;
    const rhythm = geometry?.cells.find((c) => c.rhythm);
    if (ctx === null || geometry === null || rhythm === undefined) return [];
    const top = Math.round(rhythm.y + rhythm.height * 0.2);
    const height = Math.round(rhythm.height * 0.6);
    const { data } = ctx.getImageData(0, top, canvas.width, height);
    const rowWidth = canvas.width * 4;
    const ink: number[] = [];
    for (let s = 0; s < n; s++) {
      let dark = 0;
      const x0 = Math.round(rhythm.x + (s + 0.15) * 25 * geometry.pxPerMm);
      const x1 = Math.round(rhythm.x + (s + 0.85) * 25 * geometry.pxPerMm);
      for (let y = 0; y < height; y++)
        for (let x = x0; x < x1; x++) {
          const k = y * rowWidth + x * 4;
          if ((data[k] ?? 255) < 70 && (data[k + 1] ?? 255) < 70 && (data[k + 2] ?? 255) < 70) dark++;
        }
      ink.push(dark);
    }
    return ink;
  }, seconds);
}

test('draws a gap in the signal as a gap, and shows no SIMULATED banner for real data', async ({ page }) => {
  await openUi(page);
  await expect(page.getByText('No ECG received yet')).toBeVisible();
  await expect(page.getByText('SIMULATED — not patient data')).toHaveCount(0);
  const t0 = Date.now();
  core.events.emit('ecg.received', flatBatch(t0, 0, 2 * RATE_HZ, false));
  // samples 2 s to 3 s never arrive (lost on the wire): the next batch starts at 3 s
  core.events.emit('ecg.received', flatBatch(t0, 3 * RATE_HZ, 2 * RATE_HZ, false));
  await expect(page.getByText(/Live from ECG-TEST-1 at 250 Hz|Signal stopped/)).toBeVisible();
  await expect.poll(async () => (await rhythmInkPerSecond(page, 5))[4] ?? 0).toBeGreaterThan(0);
  const ink = await rhythmInkPerSecond(page, 5);
  expect(ink[0]).toBeGreaterThan(0);
  expect(ink[1]).toBeGreaterThan(0);
  expect(ink[2]).toBe(0);
  expect(ink[3]).toBeGreaterThan(0);
  await expect(page.getByText('SIMULATED — not patient data')).toHaveCount(0);
  await page.locator('canvas.ecg-canvas').screenshot({ path: 'test-results/e2e/ui-events-gap.png' });

  core.events.emit('ecg.received', flatBatch(t0, 5 * RATE_HZ, RATE_HZ, true));
  await expect(page.getByRole('alert').filter({ hasText: 'SIMULATED — not patient data' })).toContainText(
    'ECG-12 ECG-TEST-1',
  );
});

test('shows lead-off per electrode, lead quality and the unit counters', async ({ page }) => {
  await openUi(page);
  core.events.emit('devices.changed', {
    kind: 'ecg12',
    state: 'streaming',
    message: 'Electrodes LA and V3 are off — reattach them',
    path: '/dev/ttyACM0',
    serial: 'ECG-TEST-1',
    firmware: '1.2.0',
    sampleRateHz: 500,
    lsbNanovolts: 476.84,
    batteryPct: 42,
    leadOff: ['LA', 'V3'],
    quality: { I: 'lead_off', II: 'good', V3: 'lead_off', V5: 'noisy' },
    simulated: false,
    counters: { ...EMPTY_COUNTERS, frames: 123_456, crcErrors: 3, sampleSetsLost: 7, reconnects: 1 },
  });
  await page.getByText('ECG unit: ports, lead quality and counters').click();
  const unit = page.getByRole('region', { name: 'ECG-12 unit' });
  await expect(unit.getByText('Electrodes LA and V3 are off — reattach them')).toBeVisible();
  const electrodes = unit.getByRole('list', { name: 'Electrodes' });
  await expect(electrodes.getByText('LA OFF')).toBeVisible();
  await expect(electrodes.getByText('V3 OFF')).toBeVisible();
  await expect(electrodes.getByText('RA on')).toBeVisible();
  const quality = unit.getByRole('list', { name: 'Signal quality per lead' });
  await expect(quality.getByText('I: lead off')).toBeVisible();
  await expect(quality.getByText('V5: noisy')).toBeVisible();
  await expect(quality.getByText('aVR: —')).toBeVisible();
  await expect(unit.getByText('123,456')).toBeVisible();
  await expect(unit.getByText('42 %')).toBeVisible();
  await unit.scrollIntoViewIfNeeded();
  await unit.screenshot({ path: 'test-results/e2e/ui-events-lead-off.png' });
  await expect(page.getByRole('img', { name: /I lead off, V3 lead off, V5 noisy/ })).toBeVisible();
  core.events.emit('ecg.received', flatBatch(Date.now(), 0, RATE_HZ, false));
  await page.getByRole('heading', { name: 'Live ECG — 12 leads' }).scrollIntoViewIfNeeded();
  await page
    .locator('canvas.ecg-canvas')
    .screenshot({ path: 'test-results/e2e/ui-events-lead-off-canvas.png' });
});

test('shows withheld measurements as — with the reason, alarms and the event log', async ({ page }) => {
  await openUi(page);
  core.events.emit('measurements.updated', {
    tMs: Date.now(),
    windowMs: 10_000,
    heartRateBpm: 64,
    rrMs: 937,
    prMs: null,
    qrsMs: 96,
    qtMs: 400,
    qtcBazettMs: 413,
    qtcFridericiaMs: 409,
    qtcFraminghamMs: 411,
    qtcHodgesMs: 410,
    qrsAxisDeg: null,
    stUv: { V2: 150, V5: -80 },
    sdnnMs: null,
    rmssdMs: null,
    pnn50Pct: null,
    withheld: { prMs: 'not_measurable', qrsAxisDeg: 'lead_off', hrv: 'insufficient_beats' },
  });
  const m = page.getByRole('region', { name: 'Measurements' });
  await expect(m.getByLabel('ECG heart rate')).toContainText('64');
  const intervals = m.getByRole('table', { name: 'Intervals and axis' });
  await expect(intervals.getByRole('row', { name: /^PR/ })).toContainText(/—\s*not measurable/);
  await expect(intervals.getByRole('row', { name: /^QRS axis/ })).toContainText('lead off');
  await expect(intervals.getByRole('row', { name: /^QTc Fridericia/ })).toContainText('409 ms');
  await expect(
    m.getByRole('table', { name: 'Heart rate variability' }).getByRole('row', { name: /^RMSSD/ }),
  ).toContainText('too few beats');
  await expect(m.getByText('+150 µV')).toBeVisible();
  await expect(m.getByText('+1.5 mm')).toBeVisible();
  await expect(m.getByText('−80 µV')).toBeVisible();

  core.events.emit('alarms.raised', {
    code: 'disk_quota',
    severity: 'critical',
    message: 'Disk quota reached: recording stopped',
    atMs: Date.now(),
  });
  core.events.emit('events.recorded', { tMs: Date.now(), kind: 'pvc', leads: ['V1'], note: 'couplet' });
  core.events.emit('events.recorded', { tMs: Date.now(), kind: 'lead_off', leads: ['LA'] });
  const log = page.getByRole('region', { name: 'Alarms and events' });
  await expect(log.getByRole('log', { name: 'Alarms' })).toContainText('CRITICAL');
  await expect(log.getByRole('log', { name: 'Alarms' })).toContainText(
    'Disk quota reached: recording stopped',
  );
  const rows = log.getByRole('table').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('Lead off');
  await expect(rows.nth(1)).toContainText('PVC');
  await expect(rows.nth(1)).toContainText('couplet');

  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`)).toEqual(
    [],
  );
  await page.screenshot({ path: 'test-results/e2e/ui-events-full.png', fullPage: true });

  const strip = page.locator('.alarm-strip');
  await expect(strip).toContainText('Disk quota reached: recording stopped');
  await strip.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(strip).toHaveCount(0);
  await log.getByRole('button', { name: 'Dismiss' }).click();
  await expect(log.getByText('No alarms.')).toBeVisible();
});
