/**
 * The page's alarms and event log, held for the page's whole life: subscribed from App's first
 * render, before the page says `app.ready`, so that nothing the gateway sends is missed — neither
 * the history a page hears first when it opens (`main/api/recent-events.ts`) nor an alarm raised
 * while the screen is locked or still connecting, when the panels that show them are not mounted.
 * The panels (AlarmStrip, EventsPanel, MeasurementsPanel) only show what this holds; the page's
 * title names the alarms on the strip.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Alarm, EventRecord } from './api-types.js';
import {
  alarmKey,
  alarmTitle,
  ongoingRhythm,
  withAlarm,
  withAlarmCleared,
  withEvent,
  withStripAlarm,
  type AlarmRow,
} from './format/events.js';
import { useGatewayEvent } from './use-gateway.js';

export interface EventFeed {
  /** Critical and warning alarms in force and not acknowledged on this page, newest first. */
  strip: Alarm[];
  /** Hides `alarm` from the strip on this page; heard again (a reconnect), it stays hidden. */
  acknowledge: (alarm: Alarm) => void;
  /** Every alarm heard, newest first, marked when cleared. */
  alarms: AlarmRow[];
  /** Removes a row from the alarm history on this page. */
  dismiss: (row: AlarmRow) => void;
  /** The arrhythmia and event log, newest first. */
  events: EventRecord[];
  /** The rhythm episode going on (values withheld for it name it), or null. */
  rhythm: EventRecord['kind'] | null;
}

export function useEventFeed(): EventFeed {
  const [strip, setStrip] = useState<Alarm[]>([]);
  const [alarms, setAlarms] = useState<AlarmRow[]>([]);
  const [events, setEvents] = useState<EventRecord[]>([]);
  const [rhythm, setRhythm] = useState<EventRecord['kind'] | null>(null);
  const acknowledged = useRef(new Set<string>());
  useGatewayEvent('alarms.raised', (a) => {
    setAlarms((list) => withAlarm(list, a));
    if (!acknowledged.current.has(alarmKey(a))) setStrip((list) => withStripAlarm(list, a));
  });
  useGatewayEvent('alarms.cleared', (c) => {
    setAlarms((list) => withAlarmCleared(list, c.code, c.atMs));
    setStrip((list) => list.filter((x) => x.code !== c.code));
  });
  useGatewayEvent('events.recorded', (e) => {
    setEvents((list) => withEvent(list, e));
    setRhythm((current) => ongoingRhythm(current, e));
  });
  // a tab or window in the background says so in its title
  const baseTitle = useRef(document.title);
  useEffect(() => {
    document.title = alarmTitle(strip, baseTitle.current);
  }, [strip]);
  const acknowledge = useCallback((alarm: Alarm) => {
    acknowledged.current.add(alarmKey(alarm));
    setStrip((list) => list.filter((x) => x !== alarm));
  }, []);
  const dismiss = useCallback((row: AlarmRow) => setAlarms((list) => list.filter((x) => x !== row)), []);
  return { strip, acknowledge, alarms, dismiss, events, rhythm };
}
