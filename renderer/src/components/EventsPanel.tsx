import { useState } from 'react';
import type { EventRecord } from '../api-types.js';
import {
  EVENT_KIND_TEXT,
  isOngoing,
  withAlarm,
  withAlarmCleared,
  withEvent,
  type AlarmRow,
} from '../format/events.js';
import { useGatewayEvent } from '../use-gateway.js';

const time = (tMs: number): string => new Date(tMs).toLocaleTimeString('en-GB');

/**
 * Alarms (staff must act) above the arrhythmia/event log. An alarm the gateway cleared stays in
 * the history, marked cleared; a rhythm episode is one row, "ongoing" until it ends.
 */
export function EventsPanel() {
  const [alarms, setAlarms] = useState<AlarmRow[]>([]);
  const [events, setEvents] = useState<EventRecord[]>([]);
  useGatewayEvent('alarms.raised', (a) => setAlarms((list) => withAlarm(list, a)));
  useGatewayEvent('alarms.cleared', (c) => setAlarms((list) => withAlarmCleared(list, c.code, c.atMs)));
  useGatewayEvent('events.recorded', (e) => setEvents((list) => withEvent(list, e)));
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
                <button
                  type="button"
                  className="link"
                  onClick={() => setAlarms((list) => list.filter((x) => x !== a))}
                >
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
