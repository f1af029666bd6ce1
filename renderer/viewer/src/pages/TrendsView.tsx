/**
 * Trends over the whole recording (HR and QTc, ST per lead, signal quality; the watch's heart
 * rate, movement and battery), each point a way into the ECG, and the events and markers listed,
 * each a link to its place in the ECG.
 */
import { useMemo } from 'react';
import type { EventRecord, Recording } from '../../../../server-contract/api/index.js';
import { LoadState } from '../components/common.js';
import { TrendPlot } from '../components/TrendPlot.js';
import { formatDateTime, formatDuration, formatElapsed } from '../format.js';
import { href, navigate } from '../router.js';
import { useSession } from '../session-context.js';
import { useLoad } from '../use-load.js';
import { recordingEndMs } from './EcgView.js';
import {
  heartRateAndQtc,
  signalQuality,
  stPerLead,
  watchBattery,
  watchHeartRate,
  watchMovement,
} from './trend-series.js';

/** Where the ECG page opens for a time: the page starts 2 s before it. */
export function ecgHref(recordingId: string, tMs: number): string {
  return href('recordings', recordingId, 'ecg', { t: Math.max(0, Math.round(tMs - 2000)) });
}

export function TrendsView({ recording }: { recording: Recording }) {
  const session = useSession();
  const loaded = useLoad(
    () =>
      session.run(async (authToken) => {
        const params = { recordingId: recording.id };
        // one decimated answer for the whole recording (a day is 1440 one-minute buckets)
        const [trends, events] = await Promise.all([
          session.client['recordings.trends']({ authToken, params, query: {} }),
          session.client['recordings.events']({ authToken, params, query: { limit: 10_000 } }),
        ]);
        return { trends: trends.body, events: events.body };
      }),
    [recording.id],
  );
  const endMs = recordingEndMs(recording);
  const rangeMs = useMemo(
    (): [number, number] => [recording.startedAtMs, endMs],
    [recording.startedAtMs, endMs],
  );
  const trends = useMemo(() => {
    const d = loaded.data;
    if (d === undefined) return undefined;
    return {
      bucketMs: d.trends.bucketMs,
      hrQtc: heartRateAndQtc(d.trends.ecg),
      st: stPerLead(d.trends.ecg),
      quality: signalQuality(d.trends.ecg),
      watchHr: watchHeartRate(d.trends.watch),
      movement: watchMovement(d.trends.watch),
      battery: watchBattery(d.trends.watch),
    };
  }, [loaded.data]);
  const open = (tMs: number) => navigate(ecgHref(recording.id, tMs));
  if (trends === undefined || loaded.data === undefined)
    return <LoadState loading={loaded.loading} error={loaded.error} />;
  return (
    <>
      <section aria-labelledby="trends-title">
        <h2 id="trends-title">Trends</h2>
        <p className="muted">
          One point per {formatDuration(trends.bucketMs)} (mean, and for heart rate the lowest and highest in
          it). Click a point on a plot to open the ECG there.
        </p>
        <TrendPlot
          title="Heart rate and QTc"
          unit="bpm"
          rightUnit="ms"
          {...trends.hrQtc}
          rangeMs={rangeMs}
          onPick={open}
        />
        <TrendPlot
          title="ST level per lead (J+60 ms)"
          unit="µV"
          {...trends.st}
          rangeMs={rangeMs}
          onPick={open}
        />
        <TrendPlot
          title="Signal quality"
          unit="% usable"
          {...trends.quality}
          rangeMs={rangeMs}
          onPick={open}
          heightPx={160}
        />
        <h3>Watch</h3>
        {trends.watchHr.timesMs.length + trends.movement.timesMs.length + trends.battery.timesMs.length ===
        0 ? (
          <p>No watch data in this recording.</p>
        ) : (
          <>
            <TrendPlot
              title="Watch heart rate"
              unit="bpm"
              {...trends.watchHr}
              rangeMs={rangeMs}
              onPick={open}
              heightPx={160}
            />
            <TrendPlot
              title="Movement"
              unit="mg"
              {...trends.movement}
              rangeMs={rangeMs}
              onPick={open}
              heightPx={160}
            />
            <TrendPlot
              title="Watch battery"
              unit="%"
              {...trends.battery}
              rangeMs={rangeMs}
              onPick={open}
              heightPx={160}
            />
          </>
        )}
      </section>
      <EventList recording={recording} events={loaded.data.events.items} />
    </>
  );
}

function EventList({ recording, events }: { recording: Recording; events: EventRecord[] }) {
  return (
    <section aria-labelledby="events-title">
      <h2 id="events-title">Events and markers ({events.length})</h2>
      {events.length === 0 ? (
        <p>No events.</p>
      ) : (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Events and markers</caption>
            <thead>
              <tr>
                <th scope="col">Elapsed</th>
                <th scope="col">Kind</th>
                <th scope="col">Duration</th>
                <th scope="col">Leads</th>
                <th scope="col">Note</th>
                <th scope="col">Time (UTC)</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e, k) => (
                <tr key={`${e.tMs}-${k}`}>
                  <th scope="row">
                    <a href={ecgHref(recording.id, e.tMs)}>{formatElapsed(e.tMs - recording.startedAtMs)}</a>
                  </th>
                  <td>{e.kind.replaceAll('_', ' ')}</td>
                  <td>{e.durationMs !== undefined ? formatDuration(e.durationMs) : '—'}</td>
                  <td>{e.leads?.join(', ') ?? '—'}</td>
                  <td>{e.note ?? '—'}</td>
                  <td>{formatDateTime(e.tMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
