/**
 * The gateway core as a child process for fault tests: `tsx gateway-child.ts DATA_DIR`. The same
 * core the edge host and the desktop app run, with the demo's simulated devices (the ECG-12 unit
 * on a real pseudo-terminal); instead of the WebSocket, one JSON line per call on stdin
 * (`{ "id": 1, "call": "recording.start", "input": {…} }`) and one JSON line per answer or event
 * on stdout. Inputs are parsed with the gateway API's schemas, as every host does.
 */
import { createInterface } from 'node:readline';
import { gatewayApi } from '../../../preload/api.js';
import { createGatewayCore } from '../../../main/api/gateway-core.js';
import { demoSimulators } from '../../../main/devices/demo-simulators.js';

const dataDir = process.argv[2];
if (dataDir === undefined) {
  console.error('usage: gateway-child.ts DATA_DIR');
  process.exit(2);
}

const write = (message: unknown) => process.stdout.write(`${JSON.stringify(message)}\n`);
const core = createGatewayCore({
  dataDir,
  mode: 'edge',
  version: '0.0.0-chaos',
  simulators: demoSimulators(),
});
const forwarded = new Set(['recording.changed', 'alarms.raised', 'alarms.cleared', 'sync.changed']);
core.events.subscribe((event, payload) => {
  if (forwarded.has(event)) write({ event, payload });
});
process.on('uncaughtException', (error) => core.reportError(error, { where: 'uncaught' }));

type CallName = keyof typeof gatewayApi.calls;
const handlers = core.handlers as unknown as Record<CallName, (input: unknown) => Promise<unknown>>;

createInterface({ input: process.stdin }).on('line', (line) => {
  let id: unknown = null;
  void (async () => {
    try {
      const message = JSON.parse(line) as { id: unknown; call: CallName; input: unknown };
      id = message.id;
      const spec = gatewayApi.calls[message.call];
      const result = await handlers[message.call](spec.input.parse(message.input));
      write({ id, result });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      write({ id, error: { code: typeof code === 'string' ? code : 'error', message: String(error) } });
    }
  })();
});

process.once('SIGTERM', () => {
  void core.close().then(() => process.exit(0));
});
write({ ready: core.gatewayId });
