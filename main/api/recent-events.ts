/**
 * The alarms and the rhythm and signal events a page must see even when it opens after them: a
 * browser opened on the edge gateway during ventricular fibrillation, a page reloaded, a window
 * whose renderer restarted, a page that reconnects after a network blip. Events reach a page only
 * once it is open (`base/event-gate.ts`), so without this such a page showed no alarm, an empty
 * log and "no beats" without naming the rhythm, while the alarm was in force.
 *
 * Kept in memory for the gateway's run, in order: every `alarms.raised`, `alarms.cleared` and
 * `events.recorded`, the newest {@link RECENT_EVENTS_LIMIT}; an alarm raised and not cleared is
 * kept whatever its age, so a page always hears the alarms in force. A host hands a new page this
 * history before the events that follow it; the page's reducers take an event they already hold
 * as no change (`renderer/src/format/events.ts`), so a page that reconnects shows nothing twice.
 */
import type { GatewayEventBus } from './event-bus.js';

/** The events a page opened later still hears. */
export const REPLAYED_EVENTS: ReadonlySet<string> = new Set([
  'alarms.raised',
  'alarms.cleared',
  'events.recorded',
]);

/** Events kept besides the alarms in force (the UI's alarm history and event log show 200 rows). */
export const RECENT_EVENTS_LIMIT = 200;

type Entry = [event: string, payload: unknown];

const alarmCode = (payload: unknown): string => (payload as { code: string }).code;

export class RecentEvents {
  private entries: Entry[] = [];
  /** The raise entry of each alarm in force, by code. */
  private readonly inForce = new Map<string, Entry>();
  private readonly unsubscribe: () => void;

  constructor(
    events: GatewayEventBus,
    private readonly limit = RECENT_EVENTS_LIMIT,
  ) {
    if (!(limit >= 1)) throw new RangeError('RecentEvents: limit must be at least 1');
    this.unsubscribe = events.subscribe((event, payload) => this.add(event, payload));
  }

  /** The kept events, oldest first. */
  snapshot(): Entry[] {
    return [...this.entries];
  }

  /** Stops listening. */
  close(): void {
    this.unsubscribe();
  }

  private add(event: string, payload: unknown): void {
    if (!REPLAYED_EVENTS.has(event)) return;
    const entry: Entry = [event, payload];
    if (event === 'alarms.raised') this.inForce.set(alarmCode(payload), entry);
    if (event === 'alarms.cleared') this.inForce.delete(alarmCode(payload));
    this.entries.push(entry);
    if (this.entries.length <= this.limit) return;
    // drop the oldest entry that is not an alarm in force
    const kept = new Set(this.inForce.values());
    const oldest = this.entries.findIndex((e) => !kept.has(e));
    if (oldest >= 0) this.entries.splice(oldest, 1);
  }
}
