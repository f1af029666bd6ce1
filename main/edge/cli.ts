/**
 * `npm run edge -- [--host 127.0.0.1] [--port 8787] [--data-dir DIR] [--token T] [--simulate]`
 * Runs the gateway core headless and serves its UI to a browser; `--simulate` wires in the
 * project's simulated ECG-12 unit and watches instead of hardware.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createGatewayCore } from '../api/gateway-core.js';
import { demoSimulators } from '../devices/demo-simulators.js';
import { ensureUiBuilt, repoRoot } from './build-ui.js';
import { isLoopback, startEdgeHost } from './host.js';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '8787' },
    'data-dir': { type: 'string', default: join(homedir(), '.pulsewatch', 'edge') },
    token: { type: 'string' },
    simulate: { type: 'boolean', default: false },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`edge: --port must be 0-65535, got ${values.port}`);
  process.exit(2);
}
const token = values.token ?? (isLoopback(values.host) ? undefined : randomBytes(18).toString('base64url'));
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string })
  .version;

const core = createGatewayCore({
  dataDir: values['data-dir'],
  mode: 'edge',
  version,
  ...(values.simulate ? { simulators: demoSimulators(), autoConnectEcg: true } : {}),
});
const host = await startEdgeHost({ core, staticDir: ensureUiBuilt(), host: values.host, port, token });
console.log(`edge: gateway ${core.gatewayId} serving its UI at ${host.url}`);

const shutdown = (signal: string) => {
  console.log(`edge: ${signal}, shutting down`);
  void host
    .close()
    .then(() => core.close())
    .then(() => process.exit(0));
};
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
