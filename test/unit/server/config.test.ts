import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, readOrCreateSecret, resolveSecrets } from '../../../server/config.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'pulsewatch-config-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('loadConfig', () => {
  it('runs with no configuration: SQLite in ./data on loopback, 10 MB bodies', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      dataDir: './data',
      bodyLimitBytes: 10 * 1024 * 1024,
      trustProxy: false,
      corsOrigins: [],
    });
    expect(c.databaseUrl).toBeUndefined();
  });

  it('reads environment variables over the config file', () => {
    const dir = tempDir();
    const file = join(dir, 'server.json');
    writeFileSync(file, JSON.stringify({ port: 9000, logLevel: 'warn' }));
    const c = loadConfig({
      PULSEWATCH_SERVER_CONFIG: file,
      PULSEWATCH_PORT: '9100',
      PULSEWATCH_CORS_ORIGINS: 'https://a.example, https://b.example',
      PULSEWATCH_TRUST_PROXY: 'true',
    });
    expect(c).toMatchObject({
      port: 9100,
      logLevel: 'warn',
      corsOrigins: ['https://a.example', 'https://b.example'],
      trustProxy: true,
    });
  });

  it.each([
    [{ PULSEWATCH_PORT: 'eighty' }, 'PULSEWATCH_PORT'],
    [{ PULSEWATCH_PORT: '70000' }, 'PULSEWATCH_PORT'],
    [{ PULSEWATCH_DATABASE_URL: 'mysql://x' }, 'PULSEWATCH_DATABASE_URL'],
    [{ PULSEWATCH_CORS_ORIGINS: 'not a url' }, 'PULSEWATCH_CORS_ORIGINS'],
    [{ PULSEWATCH_LOG_LEVEL: 'loud' }, 'PULSEWATCH_LOG_LEVEL'],
    [{ PULSEWATCH_TLS_CERT_FILE: '/etc/cert.pem' }, 'tlsCertFile'],
  ])('names the bad setting in %j', (env, name) => {
    expect(() => loadConfig(env)).toThrow(name);
  });

  it('reads "trustProxy": "false" in a JSON config file as false, and refuses a value that is not yes or no', () => {
    const dir = tempDir();
    const file = join(dir, 'server.json');
    for (const [value, expected] of [
      ['false', false],
      ['0', false],
      [false, false],
      ['true', true],
      [true, true],
    ] as const) {
      writeFileSync(file, JSON.stringify({ trustProxy: value }));
      expect(loadConfig({ PULSEWATCH_SERVER_CONFIG: file }).trustProxy, JSON.stringify(value)).toBe(expected);
    }
    expect(loadConfig({ PULSEWATCH_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    writeFileSync(file, JSON.stringify({ trustProxy: 'no' }));
    expect(() => loadConfig({ PULSEWATCH_SERVER_CONFIG: file })).toThrow(/trustProxy/);
    expect(() => loadConfig({ PULSEWATCH_TRUST_PROXY: 'yes' })).toThrow(/PULSEWATCH_TRUST_PROXY/);
  });

  it('rejects an unknown key in the config file and a file that is not JSON', () => {
    const dir = tempDir();
    const unknown = join(dir, 'a.json');
    writeFileSync(unknown, JSON.stringify({ prot: 1 }));
    expect(() => loadConfig({ PULSEWATCH_SERVER_CONFIG: unknown })).toThrow(/prot/);
    const broken = join(dir, 'b.json');
    writeFileSync(broken, '{ port: ');
    expect(() => loadConfig({ PULSEWATCH_SERVER_CONFIG: broken })).toThrow(/PULSEWATCH_SERVER_CONFIG/);
  });
});

describe('secrets', () => {
  it('generates the signing secret and field key once, mode 0600, and reuses them', () => {
    const dir = tempDir();
    const config = loadConfig({ PULSEWATCH_DATA_DIR: join(dir, 'data') });
    const first = resolveSecrets(config);
    expect(first.createdFiles).toHaveLength(3);
    for (const f of first.createdFiles) expect(statSync(f).mode & 0o777).toBe(0o600);
    const second = resolveSecrets(config);
    expect(second.createdFiles).toEqual([]);
    // The metrics scrape token is the text of its file, the same on every start.
    expect(second.metricsToken).toBe(readFileSync(join(dir, 'data', 'metrics-token'), 'utf8').trim());
    expect(second.metricsToken).toBe(first.metricsToken);
    expect(Buffer.from(second.jwtSecret).equals(Buffer.from(first.jwtSecret))).toBe(true);
  });

  it('refuses a secret file of the wrong length', () => {
    const dir = tempDir();
    const path = join(dir, 'short');
    writeFileSync(path, Buffer.alloc(8).toString('base64'));
    expect(() => readOrCreateSecret(path, 32)).toThrow(/32 base64-encoded bytes/);
    expect(readFileSync(path, 'utf8')).toBe(Buffer.alloc(8).toString('base64'));
  });
});

describe('secret files on a full disk', () => {
  /** Runs resolveSecrets in a child process; `fileSizeLimit0` makes every write fail (EFBIG), as a full disk does. */
  function start(dataDir: string, fileSizeLimit0: boolean): string {
    const script =
      `import('./server/config.ts').then((m) => { try { m.resolveSecrets(m.loadConfig({ PULSEWATCH_DATA_DIR: ${JSON.stringify(dataDir)} })); ` +
      `process.stderr.write('started'); } catch (e) { process.stderr.write('failed: ' + e.message); } })`;
    const limit = fileSizeLimit0 ? "trap '' XFSZ; ulimit -f 0; " : '';
    const result = spawnSync('bash', ['-c', `${limit}exec node_modules/.bin/tsx --eval "$PW_SCRIPT"`], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH ?? '', TSX_DISABLE_CACHE: '1', PW_SCRIPT: script },
    });
    return `${result.stdout}${result.stderr}`;
  }

  it('a first start that cannot write its key files leaves none behind, and the next start succeeds', () => {
    const dataDir = join(tempDir(), 'data');
    start(dataDir, true);
    for (const name of ['jwt-secret', 'field-key', 'metrics-token']) {
      const path = join(dataDir, name);
      if (existsSync(path)) expect(statSync(path).size, name).toBeGreaterThan(0);
    }
    expect(start(dataDir, false)).toContain('started');
    expect(Buffer.from(readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim(), 'base64')).toHaveLength(32);
  });

  it('treats an empty key file left by an older build as missing', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'field-key'), '', { mode: 0o600 });
    const { secret, created } = readOrCreateSecret(join(dataDir, 'field-key'), 32);
    expect(created).toBe(true);
    expect(secret).toHaveLength(32);
  });
});
