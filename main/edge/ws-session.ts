/**
 * One browser's WebSocket session with the gateway core: `{id, call, input}` messages in,
 * `{id, result}` replies and `{event, payload}` events out. Anything that is not a well-formed call
 * (binary frames, bad JSON, `null`, a non-numeric id) is dropped; no message can throw out of here.
 *
 * Like the desktop window, a page hears the core's events only once it has said `app.ready`
 * (held until then, bounded: `base/event-gate.ts`), and hears first the alarms and rhythm events
 * that came before it (`api/recent-events.ts`), so a page opened during an alarm shows it. One
 * page controls the gateway, the others watch (`page-control.ts`): a watching page may make only
 * the calls of `preload/access.ts`.
 */
import type { WebSocket } from 'ws';
import { VIEW_ONLY_ERROR, WATCHER_CALLS } from '../../preload/access.js';
import { gatewayApi } from '../../preload/api.js';
import type { CallResult } from '../../preload/define.js';
import { dispatchCall } from '../../preload/dispatch.js';
import type { GatewayCore } from '../api/gateway-core.js';
import { EventGate, HELD_EVENTS_LIMIT } from '../base/event-gate.js';
import type { ControlledPage, PageControl } from './page-control.js';

interface CallMessage {
  id: number;
  call: unknown;
  input: unknown;
}

/** Parses one text frame as a call; undefined for anything else. */
export function parseCallMessage(text: string): CallMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { id, call, input } = value as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isFinite(id)) return undefined;
  return { id, call, input };
}

function frameText(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** Serves the gateway API on `socket` until it closes. */
export function runSocketSession(
  core: GatewayCore,
  socket: WebSocket,
  control: PageControl,
  log: (line: string) => void,
): void {
  const send = (message: unknown) => {
    if (socket.readyState !== socket.OPEN) return;
    socket.send(JSON.stringify(message), (error) => {
      if (error !== undefined && error !== null) log(`edge: send failed: ${error.message}`);
    });
  };
  // the history first (taken now, as the page subscribes): alarms in force, the recent rhythm events
  const toPage = new EventGate(
    (event, payload) => send({ event, payload }),
    HELD_EVENTS_LIMIT,
    () => core.recentEvents.snapshot(),
  );
  const page: ControlledPage = {
    notify: (state) => toPage.push('session.changed', state),
  };
  const unsubscribe = core.events.subscribe((event, payload) => toPage.push(event, payload));
  control.join(page);
  socket.on('close', () => {
    unsubscribe();
    control.leave(page);
  });
  // ws reports protocol violations (oversized or malformed frames) here before closing the socket.
  socket.on('error', (error) => log(`edge: WebSocket error: ${error.message}`));

  const answer = async (message: CallMessage): Promise<CallResult> => {
    if (message.call === 'app.takeControl') {
      control.take(page);
      return { ok: true, value: { ok: true } };
    }
    const watcherCall =
      typeof message.call === 'string' && (WATCHER_CALLS as ReadonlySet<string>).has(message.call);
    if (!watcherCall && !control.controls(page) && Object.hasOwn(gatewayApi.calls, String(message.call))) {
      return { ok: false, error: { ...VIEW_ONLY_ERROR } };
    }
    const result = await dispatchCall(gatewayApi, core.handlers, message.call, message.input);
    if (message.call === 'app.ready' && result.ok) toPage.open();
    return result;
  };
  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    const message = parseCallMessage(frameText(data));
    if (message === undefined) return;
    answer(message).then(
      (result) => send({ id: message.id, result }),
      (error: unknown) => log(`edge: call failed: ${String(error)}`),
    );
  });
}
