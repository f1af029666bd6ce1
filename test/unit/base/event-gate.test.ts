import { describe, expect, it } from 'vitest';
import { EventGate } from '../../../main/base/event-gate.js';

function gate(limit?: number) {
  const delivered: [string, unknown][] = [];
  const g = new EventGate((event, payload) => delivered.push([event, payload]), limit);
  return { g, delivered };
}

describe('EventGate', () => {
  it('holds events until the page is ready, then delivers them in order and passes later ones through', () => {
    const { g, delivered } = gate();
    g.push('recording.changed', 1);
    g.push('queue.changed', 2);
    expect(delivered).toEqual([]);
    g.open();
    expect(delivered).toEqual([
      ['recording.changed', 1],
      ['queue.changed', 2],
    ]);
    g.push('alarms.raised', 3);
    expect(delivered.at(-1)).toEqual(['alarms.raised', 3]);
  });

  it('is bounded: when full it drops the oldest live-sample event before any state event', () => {
    const { g, delivered } = gate(3);
    g.push('recording.changed', 'a');
    g.push('ecg.received', 'b');
    g.push('alarms.raised', 'c');
    g.push('queue.changed', 'd'); // full: drops the ecg batch
    expect(g.dropped).toBe(1);
    g.push('sync.changed', 'e'); // full, nothing streaming left: drops the oldest
    expect(g.dropped).toBe(2);
    g.open();
    expect(delivered.map(([, p]) => p)).toEqual(['c', 'd', 'e']);
  });

  it('holds again after the page goes away (reload) and forgets what the old page did not see', () => {
    const { g, delivered } = gate();
    g.open();
    g.close();
    g.push('ecg.received', 1);
    expect(delivered).toEqual([]);
    expect(g.heldCount).toBe(1);
    g.close();
    expect(g.heldCount).toBe(0);
  });

  it('starts holding with the history, and again from it after the page goes away, so a late page hears it first', () => {
    let history: [string, unknown][] = [['alarms.raised', 'vf']];
    const delivered: [string, unknown][] = [];
    const g = new EventGate(
      (event, payload) => delivered.push([event, payload]),
      3,
      () => history,
    );
    g.push('events.recorded', 'onset');
    g.open();
    expect(delivered).toEqual([
      ['alarms.raised', 'vf'],
      ['events.recorded', 'onset'],
    ]);
    // a reload: the new page hears the history as it is now, not what the old page was sent
    history = [
      ['alarms.raised', 'vf'],
      ['events.recorded', 'onset'],
      ['alarms.cleared', 'vf'],
      ['events.recorded', 'end'],
    ];
    g.close();
    delivered.length = 0;
    g.push('queue.changed', 'q'); // full (the newest 3 of the history): drops the oldest
    g.open();
    expect(delivered).toEqual([
      ['alarms.cleared', 'vf'],
      ['events.recorded', 'end'],
      ['queue.changed', 'q'],
    ]);
  });

  it('refuses a limit below one', () => {
    expect(() => new EventGate(() => undefined, 0)).toThrow(RangeError);
  });
});
