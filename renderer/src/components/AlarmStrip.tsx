import type { Alarm } from '../api-types.js';
import { alarmKey } from '../format/events.js';
import { clockText } from '../format/recording.js';

interface Props {
  /** The alarms to show, newest first (`use-event-feed.ts`). */
  alarms: readonly Alarm[];
  onAcknowledge: (alarm: Alarm) => void;
}

/**
 * Critical and warning alarms at the top of the screen, where staff look first — the lock screen
 * included — until acknowledged or the gateway says they no longer apply (`alarms.cleared`, e.g.
 * the quota has room again). A repeat of an alarm replaces the older one with the same code. Each
 * shows when it was raised: a page opened later hears the alarms still in force, which may be
 * older than the page. Acknowledging hides an alarm on this screen. The full list stays in the
 * Alarms and events panel.
 */
export function AlarmStrip({ alarms, onAcknowledge }: Props) {
  if (alarms.length === 0) return null;
  return (
    <div className="alarm-strip" role="alert">
      {alarms.map((a) => (
        <p key={alarmKey(a)} className={`alarm alarm-${a.severity}`}>
          <span className="badge">{a.severity.toUpperCase()}</span>{' '}
          <time dateTime={new Date(a.atMs).toISOString()}>{clockText(a.atMs)}</time> {a.message}{' '}
          <button type="button" className="link" onClick={() => onAcknowledge(a)}>
            Acknowledge
          </button>
        </p>
      ))}
    </div>
  );
}
