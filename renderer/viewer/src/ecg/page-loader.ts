/**
 * Loads ECG pages (signal, gaps, beats) through the session, keeping the last few and fetching
 * the next page ahead, so turning the page with the arrow keys does not wait for the server.
 */
import { ApiError } from '../api.js';
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
    const params = { recordingId };
    const range = { fromMs: Math.floor(startMs), toMs: Math.ceil(startMs + durationMs) };
    const beats = session.client['recordings.beats']({ authToken, params, query: { ...range, limit: 2000 } });
    let ecg = null;
    try {
      ecg = await session.client['recordings.ecg']({ authToken, params, query: range });
    } catch (error) {
      // no ECG chunk overlaps the page: an empty page, not an error
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    }
    const beatList = (await beats).body.items;
    return {
      forStartMs: startMs,
      durationMs,
      page: ecg === null ? null : toPageData(ecg.body, beatList, startMs, durationMs),
      gaps: ecg?.body.gaps ?? [],
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
