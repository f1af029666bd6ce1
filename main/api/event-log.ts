/**
 * What the gateway writes to its log (`main/base/log.ts`): state changes and faults a support
 * person needs to reconstruct a day — recordings starting and ending, devices connecting and
 * failing, alarms, the uploader's state and errors, the queue's failed items. Ids, states, codes
 * and device serials only: never a patient's fields, a study code, an operator or a note. Live
 * samples and measurements are not logged.
 */
import type { Logger } from '../base/log.js';
import type { GatewayEventBus } from './event-bus.js';

type Fields = Record<string, unknown>;

/** Picks `keys` of `payload` (the ones that exist). */
function pick(payload: unknown, keys: readonly string[]): Fields {
  const source = payload as Fields;
  const out: Fields = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}

/** Logs the core's state events until the returned function is called. */
export function logGatewayEvents(events: GatewayEventBus, logger: Logger): () => void {
  const last = new Map<string, string>();
  /** Logs only when the fields differ from the last line of the same key. */
  const onChange = (key: string, fields: Fields, message: string, level: 'info' | 'warn' = 'info') => {
    const text = JSON.stringify(fields);
    if (last.get(key) === text) return;
    last.set(key, text);
    logger[level](fields, message);
  };
  return events.subscribe((event, payload) => {
    switch (event) {
      case 'recording.changed': {
        const fields = pick(payload, ['id', 'state', 'endReason', 'suspended', 'voidReason', 'simulated']);
        onChange(`recording:${String(fields.id)}`, fields, 'recording');
        break;
      }
      case 'devices.changed': {
        const fields = pick(payload, [
          'kind',
          'state',
          'path',
          'serial',
          'address',
          'firmware',
          'sampleRateHz',
          'message',
        ]);
        const id = typeof fields.address === 'string' ? fields.address : 'unit';
        const key = `device:${String(fields.kind)}:${id}`;
        onChange(key, fields, 'device', fields.state === 'error' ? 'warn' : 'info');
        break;
      }
      case 'alarms.raised':
        logger.warn(pick(payload, ['code', 'severity', 'message']), 'alarm raised');
        break;
      case 'alarms.cleared':
        logger.info(pick(payload, ['code']), 'alarm cleared');
        break;
      case 'sync.changed': {
        const fields = pick(payload, ['state', 'serverUrl', 'lastError', 'enrolled', 'failedItems']);
        onChange('sync', fields, 'uploader', fields.lastError === null ? 'info' : 'warn');
        break;
      }
      case 'events.recorded': {
        const fields = pick(payload, ['kind', 'tMs', 'durationMs', 'leads']);
        if (fields.kind !== 'marker') logger.info(fields, 'rhythm or signal event');
        break;
      }
      default:
        break;
    }
  });
}
