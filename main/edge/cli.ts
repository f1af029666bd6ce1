/**
 * `npm run edge -- [--host 127.0.0.1] [--port 8787] [--data-dir DIR] [--token T | --token-file FILE]
 *   [--tls-cert cert.pem --tls-key key.pem] [--simulate [--simulate-episodes vf@30+20,asystole@70+8]]
 *   [--server-url URL --enrollment-code XXXX-XXXX-XXXX-XXXX]`
 * Runs the gateway core headless and serves its UI to a browser (HTTPS when given a
 * certificate); `--simulate` wires in the
 * project's simulated ECG-12 unit and watches instead of hardware, `--simulate-episodes` arrest
 * rhythms and lead-offs in the simulated ECG (seconds after each acquisition starts; rhythm-episodes.ts). With a server URL and a
 * one-time enrollment code a gateway not yet enrolled enrolls at start (an edge box set up by IT
 * without a screen). An error nothing else caught is logged and queued as an error report for
 * the server; the gateway keeps running (its data is in the database, not in the stack).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createGatewayCore } from '../api/gateway-core.js';
import { demoSimulators } from '../devices/demo-simulators.js';
import { parseEpisodes, type SimEpisode } from '../devices/ecg12/sim/rhythm-episodes.js';
import { ensureUiBuilt, repoRoot } from './build-ui.js';
import { isLoopback, startEdgeHost, type EdgeTls } from './host.js';
import { installProcessGuard } from './process-guard.js';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '8787' },
    'data-dir': { type: 'string', default: join(homedir(), '.pulsewatch', 'edge') },
    token: { type: 'string' },
    // A service reads its token from a file (0600) rather than its command line, which `ps` shows.
    'token-file': { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    simulate: { type: 'boolean', default: false },
    'simulate-episodes': { type: 'string' },
    'server-url': { type: 'string' },
    'enrollment-code': { type: 'string' },
  },
});

function fail(message: string): never {
  console.error(`edge: ${message}`);
  process.exit(2);
}

let episodes: SimEpisode[] = [];
if (values['simulate-episodes'] !== undefined) {
  if (!values.simulate) fail('--simulate-episodes goes with --simulate');
  try {
    episodes = parseEpisodes(values['simulate-episodes']);
  } catch (error) {
    fail(`--simulate-episodes: ${(error as Error).message}`);
  }
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0-65535, got ${values.port}`);
if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) {
  fail('--tls-cert and --tls-key go together');
}
let tls: EdgeTls | undefined;
if (values['tls-cert'] !== undefined && values['tls-key'] !== undefined) {
  try {
    tls = { cert: readFileSync(values['tls-cert']), key: readFileSync(values['tls-key']) };
  } catch (error) {
    fail(`cannot read the TLS certificate or key: ${(error as Error).message}`);
  }
}
if (values.token !== undefined && values['token-file'] !== undefined)
  fail('give --token or --token-file, not both');
const tokenFile = values['token-file'];
let fileToken: string | undefined;
if (tokenFile !== undefined) {
  try {
    fileToken = readFileSync(tokenFile, 'utf8').trim();
  } catch (error) {
    fail(`cannot read --token-file: ${(error as Error).message}`);
  }
  if (fileToken.length < 16) fail(`the token in ${tokenFile} must be at least 16 characters`);
}
const token =
  values.token ?? fileToken ?? (isLoopback(values.host) ? undefined : randomBytes(18).toString('base64url'));
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string })
  .version;

installProcessGuard();
const core = createGatewayCore({
  dataDir: values['data-dir'],
  mode: 'edge',
  version,
  ...(values.simulate ? { simulators: demoSimulators({ episodes }), autoConnectEcg: true } : {}),
});
// the process guard (installed above) logs what nobody caught; the server hears of it too
process.on('uncaughtException', (error) => core.reportError(error, { where: 'uncaughtException' }));
process.on('unhandledRejection', (reason) => core.reportError(reason, { where: 'unhandledRejection' }));
await enrollIfAsked(values['server-url'], values['enrollment-code']);

const host = await startEdgeHost({ core, staticDir: ensureUiBuilt(), host: values.host, port, token, tls });
// A token from a file stays out of the log (the journal); IT adds it to the URL as ?token=…
const shownUrl = tokenFile === undefined ? host.url : `${host.url.split('?')[0]} (token in ${tokenFile})`;
console.log(`edge: gateway ${core.gatewayId} serving its UI at ${shownUrl}`);
if (tls === undefined && !isLoopback(values.host)) {
  console.log('edge: plain HTTP off loopback: give --tls-cert/--tls-key or put a TLS reverse proxy in front');
}

const shutdown = (signal: string) => {
  console.log(`edge: ${signal}, shutting down`);
  void host
    .close()
    .then(() => core.close())
    .then(() => process.exit(0));
};
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));

/** Enrolls with the server's one-time code when asked and not enrolled yet (never fatal). */
async function enrollIfAsked(serverUrl: string | undefined, code: string | undefined): Promise<void> {
  if (serverUrl === undefined || code === undefined) return;
  const status = await core.handlers['sync.status']({});
  if (status.state !== 'not_enrolled') return;
  try {
    await core.handlers['sync.enroll']({ serverUrl, code });
    console.log(`edge: enrolled with ${serverUrl}`);
  } catch (error) {
    console.error(
      `edge: enrolling with ${serverUrl} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
