/** Waiting for a gateway core's events in tests. */
import type { GatewayCore } from '../../../main/api/gateway-core.js';
import type { GatewayApi } from '../../../preload/api.js';
import type { EventName, EventPayload } from '../../../preload/define.js';

/** The next `event` of `core` that `predicate` accepts; rejects after `timeoutMs`. */
export function nextEvent<K extends EventName<GatewayApi>>(
  core: GatewayCore,
  event: K,
  predicate: (payload: EventPayload<GatewayApi, K>) => boolean = () => true,
  timeoutMs = 60_000,
): Promise<EventPayload<GatewayApi, K>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no matching ${event} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const off = core.events.subscribe((name, payload) => {
      if (name === event && predicate(payload as EventPayload<GatewayApi, K>)) {
        clearTimeout(timer);
        off();
        resolve(payload as EventPayload<GatewayApi, K>);
      }
    });
  });
}
