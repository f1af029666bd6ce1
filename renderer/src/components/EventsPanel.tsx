import { useState } from 'react';
import type { Alarm, EventRecord } from '../api-types.js';
import { useGatewayEvent } from '../use-gateway.js';

/** Entries kept on screen (newest first). */
const MAX_ROWS = 200;

const KIND_TEXT: Record<EventRecord['kind'], string> = {
  pvc: 'PVC',
  pac: 'PAC',
  bradycardia: 'Bradycardia',
  tachycardia: 'Tachycardia',
  pause: 'Pause',
  lead_off: 'Lead off',
  signal_quality: 'Signal quality',
  gap: 'Gap',
  marker: 'Marker',
  device: 'Device',
  ventricular_flutter_fibrillation: 'Ventricular flutter/fibrillation',
  asystole: 'Asystole',
};

const time = (tMs: number): string => new Date(tMs).toLocaleTimeString('en-GB');

/** Alarms (staff must act) above the arrhythmia/event log. */
export function EventsPanel() {
  const [alarms, setAlarms] = useState<Alarm[]>([]);
  const [events, setEvents] = useState<EventRecord[]>([]);
  useGatewayEvent('alarms.raised', (a) => setAlarms((list) => [a, ...list].slice(0, MAX_ROWS)));
  useGatewayEvent('events.recorded', (e) => setEvents((list) => [e, ...list].slice(0, MAX_ROWS)));
  return (
    <section className="panel" aria-labelledby="events-heading">
      <h2 id="events-heading">Alarms and events</h2>
      <div role="log" aria-label="Alarms" aria-live="assertive">
        {alarms.length === 0 ? (
          <p className="hint">No alarms.</p>
        ) : (
          <ul className="alarms">
            {alarms.map((a, k) => (
              <li key={`${a.atMs}-${a.code}-${k}`} className={`alarm alarm-${a.severity}`}>
                <span className="badge">{a.severity.toUpperCase()}</span> <time>{time(a.atMs)}</time>{' '}
                {a.message} <span className="note-code">[{a.code}]</span>
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
                  {KIND_TEXT[e.kind]}
                  {e.durationMs !== undefined && ` (${(e.durationMs / 1000).toFixed(1)} s)`}
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
