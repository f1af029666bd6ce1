/**
 * Loads ECG pages (signal, gaps, beats with their class) through the session, one
 * `recordings.page` request per page, keeping the last few and fetching the next page ahead, so
 * turning the page with the arrow keys does not wait for the server.
 */
import type { PageData } from '../pages/EcgCanvas.js';
import type { Session } from '../session.js';
import { toPageData } from './page-data.js';

/** Pages kept (a few either side of the one shown). */
const CACHE_PAGES = 8;
const cache = new Map<string, Promise<PageData>>();

async function fetchPage(
  session: Session,
  recordingId: string,
  startMs: number,
  durationMs: number,
): Promise<PageData> {
  return session.run(async (authToken) => {
    const fromMs = Math.floor(startMs);
    const query = { fromMs, durationMs: Math.ceil(startMs + durationMs) - fromMs };
    const { body } = await session.client['recordings.page']({ authToken, params: { recordingId }, query });
    return {
      forStartMs: startMs,
      durationMs,
      // no ECG chunk overlaps the page (a gap, or past the end): an empty page, not an error
      page: body.ecg === null ? null : toPageData(body.ecg, body.beats, startMs, durationMs),
      gaps: body.ecg?.gaps ?? [],
    };
  });
}

/** The page at `startMs`, from the cache when it is there; a failed load is not kept. */
export function loadPage(
  session: Session,
  recordingId: string,
  startMs: number,
  durationMs: number,
): Promise<PageData> {
  const key = `${recordingId}:${startMs}:${durationMs}`;
  const cached = cache.get(key);
  if (cached !== undefined) {
    cache.delete(key);
    cache.set(key, cached);
    return cached;
  }
  const loading = fetchPage(session, recordingId, startMs, durationMs);
  cache.set(key, loading);
  loading.catch(() => cache.delete(key));
  while (cache.size > CACHE_PAGES) cache.delete(cache.keys().next().value!);
  return loading;
}

/** Starts loading a page in the background (its errors surface when it is shown). */
export function prefetchPage(
  session: Session,
  recordingId: string,
  startMs: number,
  durationMs: number,
): void {
  loadPage(session, recordingId, startMs, durationMs).catch(() => undefined);
}
