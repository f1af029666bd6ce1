import { useState } from 'react';
import type { Alarm } from '../api-types.js';
import { useGatewayEvent } from '../use-gateway.js';

/**
 * Critical and warning alarms at the top of the screen, where staff look first, until
 * acknowledged or the gateway says they no longer apply (`alarms.cleared`, e.g. the quota has
 * room again). A repeat of an alarm replaces the older one with the same code. The full list
 * stays in the Alarms and events panel.
 */
export function AlarmStrip() {
  const [open, setOpen] = useState<Alarm[]>([]);
  useGatewayEvent('alarms.raised', (a) => {
    if (a.severity !== 'info') setOpen((list) => [a, ...list.filter((x) => x.code !== a.code)].slice(0, 5));
  });
  useGatewayEvent('alarms.cleared', (c) => {
    setOpen((list) => list.filter((x) => x.code !== c.code));
  });
  if (open.length === 0) return null;
  return (
    <div className="alarm-strip" role="alert">
      {open.map((a) => (
        <p key={`${a.atMs}-${a.code}`} className={`alarm alarm-${a.severity}`}>
          <span className="badge">{a.severity.toUpperCase()}</span> {a.message}{' '}
          <button
            type="button"
            className="link"
            onClick={() => setOpen((list) => list.filter((x) => x !== a))}
          >
            Acknowledge
          </button>
        </p>
      ))}
    </div>
  );
}
