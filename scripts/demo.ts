/**
 * `npm run demo`: the whole product on one machine with simulated devices.
 *   1. the ingest server on SQLite (data/demo/server), with a demo admin created on first run;
 *   2. the edge gateway (data/demo/gateway) with the simulated ECG-12 unit (on a real
 *      pseudo-terminal) and a simulated Bangle.js watch, everything flagged `simulated`;
 *   3. the UI in a browser (Chromium when a display is available; otherwise the URL is printed);
 *      the server serves its web viewer at its own address (built first when it is not).
 * The gateway enrolls with the server on its first run, so recordings upload at once.
 * Ctrl-C stops everything. Options: --server-port N (8080), --edge-port N (8787), --no-browser,
 * --episodes vf@30+20,asystole@70+8 (arrest rhythms and lead-offs in the simulated ECG, seconds after each
 * acquisition starts, to see the alarms: main/devices/ecg12/sim/rhythm-episodes.ts).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseEpisodes } from '../main/devices/ecg12/sim/rhythm-episodes.js';
import { buildIsStale } from '../main/edge/build-ui.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    'server-port': { type: 'string', default: '8080' },
    'edge-port': { type: 'string', default: '8787' },
    'no-browser': { type: 'boolean', default: false },
    episodes: { type: 'string' },
  },
});
if (values.episodes !== undefined) {
  try {
    parseEpisodes(values.episodes);
  } catch (error) {
    console.error(`demo: --episodes: ${(error as Error).message}`);
    process.exit(2);
  }
}
const demoDir = join(repoRoot, 'data', 'demo');
const serverDir = join(demoDir, 'server');
const gatewayDir = join(demoDir, 'gateway');
mkdirSync(serverDir, { recursive: true });
mkdirSync(gatewayDir, { recursive: true });

const children: ChildProcess[] = [];
const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
const serverEnv = {
  ...process.env,
  PULSEWATCH_DATA_DIR: serverDir,
  PULSEWATCH_PORT: values['server-port'],
  PULSEWATCH_HOST: '127.0.0.1',
};

function prefixed(child: ChildProcess, label: string): ChildProcess {
  const write = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n'))
      if (line.trim() !== '') console.log(`[${label}] ${line}`);
  };
  child.stdout?.on('data', write);
  child.stderr?.on('data', write);
  child.on('exit', (code, signal) => {
    console.log(`[${label}] exited (${signal ?? code})`);
    if (!stopping) stop(1);
  });
  children.push(child);
  return child;
}

/** Creates the demo admin once; its password is kept beside the demo data (0600). */
function ensureDemoAdmin(): string {
  const passwordFile = join(demoDir, 'admin-password.txt');
  if (existsSync(passwordFile)) return readFileSync(passwordFile, 'utf8').trim();
  const password = randomBytes(12).toString('base64url');
  const result = spawnSync(
    tsx,
    [
      'server/cli.ts',
      'create-admin',
      '--username',
      'admin',
      '--display-name',
      'Demo admin',
      '--password-stdin',
    ],
    {
      cwd: repoRoot,
      env: serverEnv,
      input: `${password}\n`,
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`demo: creating the admin failed:\n${result.stderr}`);
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  return password;
}

async function waitForUrl(child: ChildProcess, pattern: RegExp, what: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo: ${what} did not start within 180 s`)), 180_000);
    const onData = (chunk: Buffer) => {
      const match = pattern.exec(chunk.toString('utf8'));
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  });
}

let stopping = false;
function stop(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 1500).unref();
}
process.once('SIGINT', () => stop(0));
process.once('SIGTERM', () => stop(0));

/**
 * The demo gateway enrolls with the demo server: the admin issues a one-time code over the API (as
 * IT would) and the edge gateway is started with it; a gateway already enrolled ignores it (the
 * unused code expires in a day).
 */
async function enrollmentArgs(serverUrl: string, adminPassword: string): Promise<string[]> {
  const post = async (path: string, body: unknown, token?: string): Promise<unknown> => {
    const response = await fetch(`${serverUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`demo: ${path} answered ${response.status}: ${await response.text()}`);
    return response.json();
  };
  const login = (await post('/v1/auth/login', { username: 'admin', password: adminPassword })) as {
    tokens: { accessToken: string };
  };
  const { code } = (await post(
    '/v1/enrollment-codes',
    { label: 'Demo gateway' },
    login.tokens.accessToken,
  )) as {
    code: string;
  };
  return ['--server-url', serverUrl, '--enrollment-code', code];
}

function openBrowser(url: string): void {
  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) =>
    existsSync(p),
  );
  if (values['no-browser'] || process.env.DISPLAY === undefined || chromium === undefined) {
    console.log(`\ndemo: open ${url} in a browser`);
    return;
  }
  const profile = join(demoDir, 'browser-profile');
  const args = [
    `--user-data-dir=${profile}`,
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--app=${url}`,
  ];
  if (process.getuid?.() === 0) args.unshift('--no-sandbox');
  prefixed(spawn(chromium, args, { stdio: ['ignore', 'pipe', 'pipe'] }), 'browser');
}

/**
 * The web viewer the server serves at `/`: built (a vite build) when dist/viewer is missing or
 * older than its sources — a viewer built against an older contract refuses the newer server's
 * answers ("response does not match the contract").
 */
function ensureViewerBuilt(): void {
  if (!buildIsStale(join(repoRoot, 'dist', 'viewer', 'index.html'), ['renderer', 'server-contract'])) return;
  console.log('demo: building the web viewer (npm run build:viewer)…');
  const result = spawnSync('npm', ['run', 'build:viewer'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) console.log('demo: the viewer did not build; the server says how at its address');
}

ensureViewerBuilt();
const password = ensureDemoAdmin();
const server = prefixed(
  spawn(tsx, ['server/cli.ts'], { cwd: repoRoot, env: serverEnv, stdio: ['ignore', 'pipe', 'pipe'] }),
  'server',
);
const serverUrl = await waitForUrl(server, /"url":"([^"]+)"/, 'the ingest server');
const enrollment = await enrollmentArgs(serverUrl, password);
const edge = prefixed(
  spawn(
    tsx,
    [
      'main/edge/cli.ts',
      '--simulate',
      '--port',
      values['edge-port'],
      '--data-dir',
      gatewayDir,
      ...(values.episodes === undefined ? [] : ['--simulate-episodes', values.episodes]),
      ...enrollment,
    ],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  ),
  'edge',
);
const uiUrl = await waitForUrl(edge, /serving its UI at (\S+)/, 'the edge gateway');
console.log(
  `\ndemo: ingest server and web viewer ${serverUrl} (sign in as admin / ${password}; API docs ${serverUrl}/docs)`,
);
console.log(`demo: gateway UI ${uiUrl} — every device is SIMULATED and every recording is flagged so`);
openBrowser(uiUrl);
