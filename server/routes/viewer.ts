/** Recording data for viewers: measurements, beats, events, watch series and ECG segments. */
import type { Handlers } from '../http/router.js';
import type { Services } from '../services.js';
import type { SeriesName, SeriesRow } from '../store/store.js';
import { ecgSegment } from '../ingest/ecg-segment.js';
import { loadRecording } from './shared.js';

const MAX_TIME_MS = 7_258_118_400_000;

async function rowsFor<S extends SeriesName>(
  s: Services,
  series: S,
  recordingId: string,
  q: { fromMs?: number | undefined; toMs?: number | undefined; limit: number },
) {
  const range = { fromMs: q.fromMs ?? 0, toMs: q.toMs ?? MAX_TIME_MS };
  const rows: SeriesRow<S>[] = await s.store.seriesRows(series, recordingId, range, q.limit + 1);
  return { rows: rows.slice(0, q.limit), truncated: rows.length > q.limit };
}

export function viewerHandlers(
  s: Services,
): Pick<
  Handlers,
  'recordings.measurements' | 'recordings.ecg' | 'recordings.beats' | 'recordings.events' | 'recordings.watch'
> {
  return {
    'recordings.measurements': async ({ params, query }, ctx) => {
      const recording = await loadRecording(s, ctx.principal, params.recordingId);
      const { rows, truncated } = await rowsFor(s, 'measurements', recording.id, query);
      const items = rows.map((r) => ({ ...r.data, tMs: r.tMs })) as never[];
      return { status: 200, body: { simulated: recording.simulated, items, truncated } };
    },
    'recordings.beats': async ({ params, query }, ctx) => {
      const recording = await loadRecording(s, ctx.principal, params.recordingId);
      const { rows, truncated } = await rowsFor(s, 'beats', recording.id, query);
      const items = rows.map((r) => ({ tMs: r.tMs, beatClass: r.beatClass as 'N' | 'S' | 'V' | 'Q' }));
      return { status: 200, body: { simulated: recording.simulated, items, truncated } };
    },
    'recordings.events': async ({ params, query }, ctx) => {
      const recording = await loadRecording(s, ctx.principal, params.recordingId);
      const { rows, truncated } = await rowsFor(s, 'events', recording.id, query);
      const items = rows.map((r) => ({ ...r.data, tMs: r.tMs, kind: r.kind })) as never[];
      return { status: 200, body: { simulated: recording.simulated, items, truncated } };
    },
    'recordings.watch': async ({ params, query }, ctx) => {
      const recording = await loadRecording(s, ctx.principal, params.recordingId);
      const simulated = recording.simulated;
      if (query.series === 'hr') {
        const { rows } = await rowsFor(s, 'hr', recording.id, query);
        return {
          status: 200,
          body: {
            series: 'hr',
            simulated,
            items: rows.map((r) => ({ tMs: r.tMs, bpm: r.bpm, confidence: r.confidence ?? 0 })),
          },
        };
      }
      if (query.series === 'accel') {
        const { rows } = await rowsFor(s, 'accel', recording.id, query);
        return { status: 200, body: { series: 'accel', simulated, items: rows } };
      }
      const { rows } = await rowsFor(s, 'battery', recording.id, query);
      return { status: 200, body: { series: 'battery', simulated, items: rows } };
    },
    'recordings.ecg': async ({ params, query }, ctx) => {
      const recording = await loadRecording(s, ctx.principal, params.recordingId);
      const chunks = await s.store.chunksInRange(recording.id, 'ecg', query);
      return { status: 200, body: ecgSegment(recording, chunks, query) };
    },
  };
}
