import type { EventRecord } from '../api-types.js';
import { EVENT_KIND_TEXT, isOngoing, type AlarmRow } from '../format/events.js';
import { clockText as time } from '../format/recording.js';

interface Props {
  /** The alarm history and the event log, newest first (`use-event-feed.ts`). */
  alarms: readonly AlarmRow[];
  events: readonly EventRecord[];
  onDismiss: (row: AlarmRow) => void;
}

/**
 * Alarms (staff must act) above the arrhythmia/event log. An alarm the gateway cleared stays in
 * the history, marked cleared; a rhythm episode is one row, "ongoing" until it ends. The page holds
 * both from its first render (`use-event-feed.ts`), with what came before it opened.
 */
export function EventsPanel({ alarms, events, onDismiss }: Props) {
  return (
    <section className="panel" aria-labelledby="events-heading">
      <h2 id="events-heading">Alarms and events</h2>
      <div role="log" aria-label="Alarms" aria-live="assertive">
        {alarms.length === 0 ? (
          <p className="hint">No alarms.</p>
        ) : (
          <ul className="alarms">
            {alarms.map((a, k) => (
              <li
                key={`${a.atMs}-${a.code}-${k}`}
                className={a.clearedAtMs === undefined ? `alarm alarm-${a.severity}` : 'alarm alarm-cleared'}
              >
                <span className="badge">{a.severity.toUpperCase()}</span> <time>{time(a.atMs)}</time>{' '}
                {a.message} <span className="note-code">[{a.code}]</span>
                {a.clearedAtMs !== undefined && (
                  <strong>
                    {' '}
                    Cleared <time>{time(a.clearedAtMs)}</time>.
                  </strong>
                )}
                <button type="button" className="link" onClick={() => onDismiss(a)}>
                  Dismiss
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <table className="events">
        <caption>Arrhythmia and event log, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Event</th>
            <th scope="col">Leads</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {events.length === 0 ? (
            <tr>
              <td colSpan={4} className="hint">
                No events yet.
              </td>
            </tr>
          ) : (
            events.map((e, k) => (
              <tr key={`${e.tMs}-${e.kind}-${k}`} className={`event-${e.kind}`}>
                <td>{time(e.tMs)}</td>
                <td>
                  {EVENT_KIND_TEXT[e.kind]}
                  {e.durationMs !== undefined && ` (${(e.durationMs / 1000).toFixed(1)} s)`}
                  {isOngoing(e) && <strong> — ongoing</strong>}
                </td>
                <td>{e.leads?.join(', ') ?? ''}</td>
                <td>{e.note ?? ''}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </section>
  );
}
