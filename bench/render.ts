/**
 * `npm run bench -- render [--seconds 8] [--rate 1000] [--width 1600 --height 1000]`
 *
 * The live ECG view's cost on the browser's main thread, measured in Chromium (Debian's
 * /usr/bin/chromium via Playwright, --no-sandbox --disable-gpu): a gateway core and edge host
 * on loopback serve the real UI; 12 leads of synthetic ECG (ECGSYN model, main/dsp/synthetic)
 * at `--rate` Hz are sent through the real event path (core event bus → WebSocket →
 * window.gateway) in 40-ms batches with their beats. Three phases in the same run, same page:
 *
 * - idle: no ECG (the baseline: the rest of the UI and the frame counter);
 * - live: ECG flowing, the 12-lead page on screen;
 * - hidden: ECG flowing, the page scrolled out of view (drawing pauses; batches still arrive).
 *
 * Per phase: fps from requestAnimationFrame callbacks, and script time per frame from the
 * DevTools Protocol's Performance.getMetrics (ScriptDuration: all JavaScript on the page's main
 * thread, ours and React's and the WebSocket handler's). Headline keys (../shared/BENCH.md):
 * `fps`, `scriptMsPerFrame` of the live phase.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { createGatewayCore } from '../main/api/gateway-core.js';
import { ensureUiBuilt } from '../main/edge/build-ui.js';
import { startEdgeHost } from '../main/edge/host.js';
import { deriveFrame, STANDARD_LEADS } from '../main/dsp/leads.js';
import { SyntheticEcg } from '../main/dsp/synthetic.js';
import { parseOptions, printHeadline } from './_common.js';

const BATCH_MS = 40;
const READ_COUNTERS = (): [number, number] => {
  const w = window as unknown as { __frames: number; __rafMs: number };
  return [w.__frames, w.__rafMs];
};

/**
 * Installed before the UI loads: times every requestAnimationFrame callback (the live view draws
 * in them), so the drawing's own main-thread time per frame is known exactly (window.__rafMs).
 */
const RAF_TIMER = `(() => {
  window.__rafMs = 0;
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => raf((t) => {
    const t0 = performance.now();
    try { cb(t); } finally { window.__rafMs += performance.now() - t0; }
  });
})()`;

/** Counts requestAnimationFrame callbacks in the page (window.__frames). */
const FRAME_COUNTER = `(() => {
  if (window.__counting) return;
  window.__counting = true;
  window.__frames = 0;
  const tick = () => { window.__frames++; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
})()`;

interface PhaseFigures {
  fps: number;
  scriptMsPerFrame: number;
  taskMsPerFrame: number;
  /** Time inside requestAnimationFrame callbacks (the drawing), ms per frame. */
  drawMsPerFrame: number;
  frames: number;
}

/** Ten seconds of 12-lead µV at `rateHz`, looped by the feeder, and the beats' sample indexes. */
function makeSignal(rateHz: number): {
  leads: Float32Array[];
  beats: { index: number; cls: 'N' | 'V' | 'S' }[];
} {
  const n = rateHz * 10;
  const gen = new SyntheticEcg({ sampleRateHz: rateHz, heartRateBpm: 72, pvcProbability: 0.05, seed: 7 });
  const acquired = new Float64Array(8);
  const frame = new Float64Array(12);
  const leads = STANDARD_LEADS.map(() => new Float32Array(n));
  const beats: { index: number; cls: 'N' | 'V' | 'S' }[] = [];
  for (let k = 0; k < n; k++) {
    const beat = gen.step(acquired);
    if (beat !== undefined)
      beats.push({ index: k, cls: beat.beatClass === 'V' ? 'V' : beat.beatClass === 'S' ? 'S' : 'N' });
    deriveFrame(acquired, frame);
    for (let c = 0; c < 12; c++) leads[c]![k] = frame[c]!;
  }
  return { leads, beats };
}

async function measure(page: Page, seconds: number): Promise<PhaseFigures> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metric = async (): Promise<Map<string, number>> => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return new Map(metrics.map((m) => [m.name, m.value]));
  };
  // a string, not a function: tsx would wrap a function's inner declarations in its __name helper
  await page.evaluate(FRAME_COUNTER);
  const before = await metric();
  const [f0, raf0] = await page.evaluate(READ_COUNTERS);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const [f1, raf1] = await page.evaluate(READ_COUNTERS);
  const after = await metric();
  const elapsedS = (performance.now() - t0) / 1000;
  await cdp.detach();
  const frames = Math.max(1, f1 - f0);
  const delta = (name: string): number => ((after.get(name) ?? 0) - (before.get(name) ?? 0)) * 1000;
  return {
    fps: Math.round((frames / elapsedS) * 10) / 10,
    scriptMsPerFrame: Math.round((delta('ScriptDuration') / frames) * 1000) / 1000,
    taskMsPerFrame: Math.round((delta('TaskDuration') / frames) * 1000) / 1000,
    drawMsPerFrame: Math.round(((raf1 - raf0) / frames) * 1000) / 1000,
    frames,
  };
}

export async function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const seconds = Number(options.get('seconds') ?? 8);
  const rateHz = Number(options.get('rate') ?? 1000);
  const width = Number(options.get('width') ?? 1600);
  const height = Number(options.get('height') ?? 1000);
  console.log(
    `render: 12 leads at ${rateHz} Hz in ${BATCH_MS}-ms batches, ${width}×${height}, ${seconds} s per phase`,
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'pulsewatch-bench-render-'));
  const core = createGatewayCore({
    dataDir,
    mode: 'edge',
    version: '0.0.0-bench',
    listPorts: () => Promise.resolve([]),
  });
  const host = await startEdgeHost({ core, staticDir: ensureUiBuilt(), host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({
    executablePath: process.env.PULSEWATCH_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  let feeder: NodeJS.Timeout | undefined;
  try {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.addInitScript(RAF_TIMER);
    await page.goto(host.url);
    await page.getByText(`gateway ${core.gatewayId}`).waitFor();
    const idle = await measure(page, seconds);
    console.log(`idle (baseline, no ECG): ${JSON.stringify(idle)}`);

    const signal = makeSignal(rateHz);
    const n = signal.leads[0]!.length;
    const perBatch = (rateHz * BATCH_MS) / 1000;
    const runStartMs = Date.now();
    let next = 0;
    const send = (): void => {
      // keep up with the wall clock: as many batches as are due
      const due = Math.floor(((Date.now() - runStartMs) * rateHz) / 1000);
      while (next + perBatch <= due) {
        const from = next % n;
        const beats = signal.beats
          .filter((b) => b.index >= from && b.index < from + perBatch)
          .map((b) => ({ tMs: runStartMs + ((next - from + b.index) * 1000) / rateHz, beatClass: b.cls }));
        core.events.emit('ecg.received', {
          deviceSerial: 'ECG-BENCH-1',
          simulated: true,
          sampleRateHz: rateHz,
          runStartMs,
          firstSampleIndex: next,
          leads: [...STANDARD_LEADS],
          samplesUv: signal.leads.map((lead) =>
            Array.from(lead.subarray(from, from + perBatch), (v) => Math.round(v * 10) / 10),
          ),
          beats,
          displayFilter: { highPassHz: 0.5, lowPassHz: 40, notchHz: 50 },
        });
        next += perBatch;
      }
    };
    feeder = setInterval(send, BATCH_MS);
    await page.getByText(/Live from ECG-BENCH-1/).waitFor();
    await page.locator('canvas.ecg-canvas').scrollIntoViewIfNeeded();
    await new Promise((r) => setTimeout(r, 2000));
    const live = await measure(page, seconds);
    console.log(`live (12-lead page on screen): ${JSON.stringify(live)}`);
    const drawnPage = await page.locator('canvas.ecg-canvas').getAttribute('data-page');
    console.log(`live page drawn: ${drawnPage === null ? 'no' : drawnPage.slice(0, 120)}…`);

    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const offScreen = await page
      .locator('canvas.ecg-canvas')
      .evaluate((c) => c.getBoundingClientRect().bottom < 0);
    console.log(`hidden: ECG canvas scrolled out of view: ${offScreen}`);
    await new Promise((r) => setTimeout(r, 1000));
    const hidden = await measure(page, seconds);
    console.log(`hidden (ECG off screen, batches still arriving): ${JSON.stringify(hidden)}`);
    printHeadline({
      fps: live.fps,
      scriptMsPerFrame: live.scriptMsPerFrame,
      drawMsPerFrame: live.drawMsPerFrame,
      baselineScriptMsPerFrame: idle.scriptMsPerFrame,
      hiddenScriptMsPerFrame: hidden.scriptMsPerFrame,
      rateHz,
      leads: 12,
    });
  } finally {
    if (feeder !== undefined) clearInterval(feeder);
    await browser.close();
    await host.close();
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
