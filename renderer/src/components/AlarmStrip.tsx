import { useState } from 'react';
import type { Alarm } from '../api-types.js';
import { useGatewayEvent } from '../use-gateway.js';

/**
 * Critical and warning alarms at the top of the screen, where staff look first, until
 * acknowledged. The full list stays in the Alarms and events panel.
 */
export function AlarmStrip() {
  const [open, setOpen] = useState<Alarm[]>([]);
  useGatewayEvent('alarms.raised', (a) => {
    if (a.severity !== 'info') setOpen((list) => [a, ...list].slice(0, 5));
  });
  if (open.length === 0) return null;
  return (
    <div className="alarm-strip" role="alert">
      {open.map((a, k) => (
        <p key={`${a.atMs}-${a.code}-${k}`} className={`alarm alarm-${a.severity}`}>
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
