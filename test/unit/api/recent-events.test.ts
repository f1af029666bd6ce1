import { describe, expect, it } from 'vitest';
import { GatewayEventBus } from '../../../main/api/event-bus.js';
import { RecentEvents } from '../../../main/api/recent-events.js';

const alarm = (code: string, atMs: number) => ({
  code,
  atMs,
  severity: 'critical' as const,
  message: `${code} at ${atMs}`,
});

describe('RecentEvents', () => {
  it('keeps the alarms and rhythm events in order, and nothing else', () => {
    const bus = new GatewayEventBus();
    const recent = new RecentEvents(bus);
    bus.emit('session.changed', { controlling: true, pages: 1 });
    bus.emit('alarms.raised', alarm('vf', 1_000));
    bus.emit('events.recorded', { tMs: 900, kind: 'ventricular_flutter_fibrillation' });
    bus.emit('alarms.cleared', { code: 'vf', atMs: 5_000 });
    expect(recent.snapshot().map(([event]) => event)).toEqual([
      'alarms.raised',
      'events.recorded',
      'alarms.cleared',
    ]);
    recent.close();
    bus.emit('alarms.raised', alarm('asystole', 6_000));
    expect(recent.snapshot()).toHaveLength(3);
  });

  it('keeps the newest events but every alarm in force, however old', () => {
    const bus = new GatewayEventBus();
    const recent = new RecentEvents(bus, 3);
    bus.emit('alarms.raised', alarm('vf', 1));
    bus.emit('alarms.raised', alarm('disk_quota', 2));
    bus.emit('alarms.cleared', { code: 'disk_quota', atMs: 3 });
    for (let k = 0; k < 5; k++) bus.emit('events.recorded', { tMs: 10 + k, kind: 'pvc' });
    const kept = recent.snapshot();
    expect(kept[0]).toEqual(['alarms.raised', alarm('vf', 1)]);
    expect(kept.slice(1).map(([, p]) => (p as { tMs: number }).tMs)).toEqual([13, 14]);
    // cleared, it ages out like any other event
    bus.emit('alarms.cleared', { code: 'vf', atMs: 20 });
    bus.emit('events.recorded', { tMs: 21, kind: 'pvc' });
    expect(recent.snapshot()).toEqual([
      ['events.recorded', { tMs: 14, kind: 'pvc' }],
      ['alarms.cleared', { code: 'vf', atMs: 20 }],
      ['events.recorded', { tMs: 21, kind: 'pvc' }],
    ]);
  });

  it('keeps a re-raised alarm by its newest raise', () => {
    const bus = new GatewayEventBus();
    const recent = new RecentEvents(bus, 2);
    bus.emit('alarms.raised', alarm('ecg_lead_off', 1));
    bus.emit('alarms.raised', alarm('ecg_lead_off', 2));
    bus.emit('events.recorded', { tMs: 3, kind: 'lead_off' });
    expect(recent.snapshot()).toEqual([
      ['alarms.raised', alarm('ecg_lead_off', 2)],
      ['events.recorded', { tMs: 3, kind: 'lead_off' }],
    ]);
  });
});
