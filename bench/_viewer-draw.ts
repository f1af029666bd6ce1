/**
 * The browser half of the viewer benchmark: the built viewer (dist/viewer, built when missing or
 * stale) served by the bench's own server, in Chromium (Debian's /usr/bin/chromium via Playwright,
 * --no-sandbox --disable-gpu). Signs in as staff, opens the recording's ECG at a place, and turns
 * the page with the → key as a reader does, recording per page:
 *
 * - `drawMs`: the canvas draw's own script time, as the viewer measures it (performance marks
 *   around the shared page-drawing module, kept in the canvas's `data-draw-ms`);
 * - `turnScriptMs`: all JavaScript on the page's main thread for one page turn (DevTools Protocol
 *   Performance.getMetrics ScriptDuration): React, the typed client's response parsing and
 *   validation, lead derivation, the draw, and the prefetch of the next page.
 */
import { chromium, type Page } from '@playwright/test';
import { ensureViewerBuilt } from '../test/e2e/viewer-server.js';

export interface DrawFigures {
  drawMs: number[];
  turnScriptMs: number[];
}

export interface DrawInputs {
  baseUrl: string;
  username: string;
  password: string;
  recordingId: string;
  /** Page start of the first page shown (ms, a whole 10-s page inside the recording). */
  firstStartMs: number;
  /** Pages turned after the first. */
  turns: number;
}

const PAGE_MS = 10_000;

async function shownPage(page: Page, startMs: number): Promise<number> {
  const canvas = page.locator(`canvas[data-drawn="page"][data-page-start-ms="${startMs}"]`);
  await canvas.waitFor({ state: 'attached', timeout: 60_000 });
  return Number(await canvas.getAttribute('data-draw-ms'));
}

/** Opens the viewer in Chromium and pages through the recording. */
export async function measureDraw(o: DrawInputs): Promise<DrawFigures> {
  ensureViewerBuilt();
  const browser = await chromium.launch({
    executablePath: process.env.PULSEWATCH_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(o.baseUrl);
    await page.getByLabel('Username').fill(o.username);
    await page.getByLabel('Password').fill(o.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Patients', level: 1 }).waitFor();
    await page.evaluate(([id, t]) => (window.location.hash = `#/recordings/${id}/ecg?t=${t}`), [
      o.recordingId,
      String(o.firstStartMs),
    ] as const);
    await shownPage(page, o.firstStartMs);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const scriptS = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'ScriptDuration')?.value ?? 0;
    };
    const out: DrawFigures = { drawMs: [], turnScriptMs: [] };
    for (let i = 1; i <= o.turns; i++) {
      const startMs = o.firstStartMs + i * PAGE_MS;
      // the page after this one is prefetched once this one is drawn: its work belongs to the turn
      const prefetched = page.waitForResponse((r) => r.url().includes(`fromMs=${startMs + PAGE_MS}`), {
        timeout: 60_000,
      });
      const before = await scriptS();
      await page.keyboard.press('ArrowRight');
      out.drawMs.push(await shownPage(page, startMs));
      await (await prefetched).finished();
      await page.waitForTimeout(100);
      out.turnScriptMs.push(((await scriptS()) - before) * 1000);
    }
    return out;
  } finally {
    await browser.close();
  }
}
