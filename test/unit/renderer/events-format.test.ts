import { describe, expect, it } from 'vitest';
import type { Alarm, EventRecord } from '../../../renderer/src/api-types.js';
import {
  isOngoing,
  MAX_ROWS,
  ongoingRhythm,
  rhythmReason,
  withAlarm,
  withAlarmCleared,
  withEvent,
  withStripAlarm,
  STRIP_ALARMS,
  alarmTitle,
} from '../../../renderer/src/format/events.js';

const vfOpen: EventRecord = { tMs: 10_000, kind: 'ventricular_flutter_fibrillation' };
const vfClosed: EventRecord = { ...vfOpen, durationMs: 14_200 };

describe('event log rows', () => {
  it('shows a rhythm episode as one row: ongoing at its onset, then with its duration', () => {
    const opened = withEvent([{ tMs: 5_000, kind: 'pvc' }], vfOpen);
    expect(opened).toEqual([vfOpen, { tMs: 5_000, kind: 'pvc' }]);
    expect(isOngoing(opened[0]!)).toBe(true);
    const closed = withEvent(withEvent(opened, { tMs: 12_000, kind: 'pvc' }), vfClosed);
    expect(closed).toEqual([{ tMs: 12_000, kind: 'pvc' }, vfClosed, { tMs: 5_000, kind: 'pvc' }]);
    expect(closed.some(isOngoing)).toBe(false);
  });

  it('shows a ventricular run and a rate episode as one row each, without withholding the heart rate', () => {
    const runOpen: EventRecord = {
      tMs: 20_000,
      kind: 'ventricular_run',
      note: '3 ventricular beats at 150/min so far: ventricular tachycardia',
    };
    const runClosed: EventRecord = {
      ...runOpen,
      durationMs: 3_200,
      note: '9 ventricular beats at 150/min: non-sustained ventricular tachycardia',
    };
    const tachy: EventRecord = { tMs: 30_000, kind: 'tachycardia', note: 'highest 120/min' };
    const log = [runOpen, tachy, runClosed, { ...tachy, durationMs: 60_000 }].reduce<EventRecord[]>(
      withEvent,
      [],
    );
    expect(log).toEqual([{ ...tachy, durationMs: 60_000 }, runClosed]);
    expect(isOngoing(runOpen)).toBe(true);
    // they have beats: the heart rate is shown, unlike in an arrest rhythm
    expect(ongoingRhythm(null, runOpen)).toBeNull();
    expect(ongoingRhythm(null, tachy)).toBeNull();
    expect(ongoingRhythm(ongoingRhythm(null, vfOpen), runClosed)).toBe('ventricular_flutter_fibrillation');
  });

  it('adds a closed episode whose onset it never saw (the UI opened mid-episode) as a new row', () => {
    expect(withEvent([], vfClosed)).toEqual([vfClosed]);
  });

  it('keeps two episodes of one kind apart by their onsets, and other events with a duration as rows', () => {
    const other: EventRecord = { tMs: 30_000, kind: 'ventricular_flutter_fibrillation' };
    const log = withEvent(withEvent([], vfOpen), other);
    expect(withEvent(log, vfClosed)).toEqual([other, vfClosed]);
    const pause: EventRecord = { tMs: 40_000, kind: 'pause', durationMs: 2_500 };
    expect(withEvent([{ tMs: 40_000, kind: 'pause' }], pause)).toHaveLength(2);
    expect(isOngoing({ tMs: 40_000, kind: 'pause' })).toBe(false);
  });

  it('shows nothing twice when the gateway sends its history again (a page reconnected)', () => {
    const pvc: EventRecord = { tMs: 5_000, kind: 'pvc' };
    const leadOff: EventRecord = { tMs: 20_000, kind: 'lead_off', leads: ['LA', 'V3'] };
    const history = [pvc, vfOpen, vfClosed, leadOff];
    const seen = history.reduce<EventRecord[]>(withEvent, []);
    expect(seen).toEqual([leadOff, vfClosed, pvc]);
    expect(history.reduce(withEvent, seen)).toEqual(seen);
    // an episode still going on when the history was sent, then its end
    const ongoing = [pvc, vfOpen].reduce<EventRecord[]>(withEvent, []);
    expect([pvc, vfOpen, vfClosed].reduce(withEvent, ongoing)).toEqual([vfClosed, pvc]);
    // other electrodes off at the same moment, or the same event with a note, are new rows
    expect(withEvent(seen, { ...leadOff, leads: ['LA'] })).toHaveLength(4);
    expect(withEvent(seen, { ...pvc, note: 'coupled' })).toHaveLength(4);
  });

  it(`keeps the newest ${MAX_ROWS} rows`, () => {
    let log: EventRecord[] = [];
    for (let k = 0; k < MAX_ROWS + 5; k++) log = withEvent(log, { tMs: k, kind: 'pvc' });
    expect(log).toHaveLength(MAX_ROWS);
    expect(log[0]!.tMs).toBe(MAX_ROWS + 4);
  });
});

describe('alarm history', () => {
  const alarm = (code: string, atMs: number): Alarm => ({ code, atMs, severity: 'critical', message: code });

  it('marks the raised alarms of a code cleared, once, and leaves the others', () => {
    const list = withAlarm(
      withAlarm(withAlarm([], alarm('asystole', 1)), alarm('disk_quota', 2)),
      alarm('asystole', 3),
    );
    const cleared = withAlarmCleared(list, 'asystole', 9);
    expect(cleared.map((a) => [a.code, a.atMs, a.clearedAtMs])).toEqual([
      ['asystole', 3, 9],
      ['disk_quota', 2, undefined],
      ['asystole', 1, 9],
    ]);
    const again = withAlarmCleared(withAlarm(cleared, alarm('asystole', 20)), 'asystole', 25);
    expect(again.map((a) => a.clearedAtMs)).toEqual([25, 9, undefined, 9]);
  });

  it('takes an alarm it holds (same code and time) as no change, cleared or not', () => {
    const list = withAlarmCleared(
      withAlarm(withAlarm([], alarm('asystole', 1)), alarm('vf', 2)),
      'asystole',
      5,
    );
    const replayed = withAlarmCleared(
      withAlarm(withAlarm(list, alarm('asystole', 1)), alarm('vf', 2)),
      'asystole',
      5,
    );
    expect(replayed).toEqual(list);
    expect(withAlarm(list, alarm('vf', 3))).toHaveLength(3);
  });
});

describe('the alarm strip', () => {
  const alarm = (code: string, atMs: number, severity: Alarm['severity'] = 'critical'): Alarm => ({
    code,
    atMs,
    severity,
    message: code,
  });

  it('shows each code once, its newest raise first, no info notices, at most a few', () => {
    let strip = withStripAlarm([], alarm('ecg_lead_off', 1, 'warning'));
    strip = withStripAlarm(strip, alarm('vf', 2));
    strip = withStripAlarm(strip, alarm('ecg_lead_off', 3, 'warning'));
    strip = withStripAlarm(strip, alarm('sync_note', 4, 'info'));
    expect(strip.map((a) => [a.code, a.atMs])).toEqual([
      ['ecg_lead_off', 3],
      ['vf', 2],
    ]);
    for (let k = 0; k < 10; k++) strip = withStripAlarm(strip, alarm(`c${k}`, 10 + k));
    expect(strip).toHaveLength(STRIP_ALARMS);
  });

  it('names the alarms in the page title, critical first', () => {
    expect(alarmTitle([], 'PulseWatch')).toBe('PulseWatch');
    expect(alarmTitle([alarm('ecg_lead_off', 1, 'warning')], 'PulseWatch')).toBe(
      'WARNING alarm — PulseWatch',
    );
    expect(alarmTitle([alarm('ecg_lead_off', 1, 'warning'), alarm('vf', 2)], 'PulseWatch')).toBe(
      'CRITICAL alarm (2) — PulseWatch',
    );
  });
});

describe('the rhythm going on', () => {
  it('starts at an episode onset, ends with that episode, and ignores other events', () => {
    let rhythm = ongoingRhythm(null, vfOpen);
    expect(rhythm).toBe('ventricular_flutter_fibrillation');
    rhythm = ongoingRhythm(rhythm, { tMs: 11_000, kind: 'lead_off' });
    expect(rhythm).toBe('ventricular_flutter_fibrillation');
    expect(ongoingRhythm(rhythm, { tMs: 12_000, kind: 'asystole', durationMs: 5000 })).toBe(rhythm);
    expect(ongoingRhythm(rhythm, vfClosed)).toBeNull();
    expect(rhythmReason('ventricular_flutter_fibrillation')).toBe(
      'no beats: ventricular flutter/fibrillation',
    );
    expect(rhythmReason('asystole')).toBe('no beats: asystole');
  });
});
