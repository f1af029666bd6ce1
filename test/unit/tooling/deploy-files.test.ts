/**
 * The deployment files agree with the code they start, as far as this machine can tell without
 * Docker: the compose file's structure, its server environment and the systemd units' settings
 * load as a valid server configuration, the files they mount or start exist, the edge unit uses
 * only options the edge CLI has, and the Dockerfile runs the compiled server as a non-root user
 * with a health check. (`promtool` and `systemd-analyze verify` run in scripts/check-deploy.mjs.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../../server/config.js';
import { PRODUCTION_RUNTIME_ENV } from '../../../server/ops/runtime-env.js';

const composeDir = 'deploy/compose';
const compose = parse(readFileSync(join(composeDir, 'compose.yaml'), 'utf8')) as {
  services: Record<string, Record<string, unknown>>;
  volumes: Record<string, unknown>;
};

/** `${NAME}` and `${NAME:?message}` replaced as docker compose does, from `vars`. */
function interpolate(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{(\w+)(?::\?[^}]*)?\}/g, (_m, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`compose needs ${name}`);
    return value;
  });
}

/** `Environment=K=V` lines of a systemd unit, with `%i` as `instance`. */
function unitEnvironment(unit: string, instance = '8080'): Record<string, string> {
  const env: Record<string, string> = {};
  for (const match of readFileSync(join('deploy/systemd', unit), 'utf8').matchAll(
    /^Environment=(\w+)=(.*)$/gm,
  ))
    env[match[1]!] = match[2]!.replace(/%i/g, instance);
  return env;
}

function execStart(unit: string): string[] {
  const text = readFileSync(join('deploy/systemd', unit), 'utf8').replace(/\\\n\s*/g, ' ');
  const line = /^ExecStart=(.*)$/m.exec(text)?.[1];
  if (line === undefined) throw new Error(`${unit} has no ExecStart`);
  return line.trim().split(/\s+/);
}

describe('compose file', () => {
  it('runs PostgreSQL, the server and nginx with named volumes for their data', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['nginx', 'postgres', 'server']);
    expect(compose.services.postgres!.image).toMatch(/^postgres:15/);
    expect(Object.keys(compose.volumes).sort()).toEqual(['backups', 'pgdata', 'serverdata']);
    expect(compose.services.server!.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
  });

  it('builds the server from deploy/Dockerfile with the repository as context', () => {
    const build = compose.services.server!.build as { context: string; dockerfile: string };
    const context = resolve(composeDir, build.context);
    expect(existsSync(join(context, 'package.json'))).toBe(true);
    expect(existsSync(join(context, build.dockerfile))).toBe(true);
  });

  it('gives the server an environment it starts with, pointing at the compose database', () => {
    const raw = compose.services.server!.environment as Record<string, string>;
    const env = Object.fromEntries(
      Object.entries(raw).map(([k, v]) => [k, interpolate(v, { POSTGRES_PASSWORD: 'pw0123456789' })]),
    );
    const config = loadConfig(env);
    expect(config.trustProxy).toBe(true);
    expect(config.host).toBe('127.0.0.1');
    const db = new URL(config.databaseUrl!);
    expect(db.hostname).toBe('postgres');
    const pg = compose.services.postgres!.environment as Record<string, string>;
    expect(db.pathname).toBe(`/${pg.POSTGRES_DB}`);
    expect(db.username).toBe(pg.POSTGRES_USER);
    expect(() => interpolate(raw.PULSEWATCH_DATABASE_URL ?? '', {})).toThrow(/POSTGRES_PASSWORD/);
  });

  it("puts nginx in the server's network namespace with the documented nginx.conf, whose upstream is the server's port", () => {
    const nginx = compose.services.nginx!;
    expect(nginx.network_mode).toBe('service:server');
    const mounts = (nginx.volumes as string[]).map((v) => v.split(':'));
    const conf = mounts.find(([, target]) => target === '/etc/nginx/conf.d/default.conf');
    expect(conf?.[0]).toBeDefined();
    const source = resolve(composeDir, conf![0]!);
    expect(source).toBe(resolve('docs/server/nginx.conf'));
    const port = (compose.services.server!.environment as Record<string, string>).PULSEWATCH_PORT;
    expect(readFileSync(source, 'utf8')).toMatch(
      new RegExp(`upstream pulsewatch \\{\\s*server 127\\.0\\.0\\.1:${port};`),
    );
    expect(compose.services.server!.ports).toEqual(['80:80', '443:443']);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync('deploy/Dockerfile', 'utf8');
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it('runs the compiled server with node as a non-root user, with a health check', () => {
    expect(finalStage).toMatch(/^USER pulsewatch$/m);
    expect(finalStage).toMatch(/^HEALTHCHECK .*\n\s+CMD .*\/health/m);
    expect(finalStage).toContain('ENTRYPOINT ["node", "dist/server/cli.js"]');
    expect(finalStage).not.toMatch(/tsx/);
    expect(readFileSync('scripts/build-node.mjs', 'utf8')).toContain("cli: 'server/cli.ts'");
  });

  it('installs only production dependencies in what it ships', () => {
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(finalStage).toMatch(/COPY --from=deps .*\/app\/node_modules/);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      dependencies: Record<string, string>;
      scripts: Record<string, string>;
    };
    expect(pkg.dependencies.tsx).toBeUndefined();
    expect(pkg.dependencies.esbuild).toBeUndefined();
    expect(pkg.scripts['build:node']).toBe('node scripts/build-node.mjs');
  });

  it('sets the runtime environment the export benchmark measures with', () => {
    for (const [name, value] of Object.entries(PRODUCTION_RUNTIME_ENV))
      expect(finalStage).toMatch(new RegExp(`^\\s*(ENV )?${name}=${value}\\b`, 'm'));
  });
});

describe('systemd units', () => {
  it('start the server with settings it accepts, and back it up daily keeping 30 days', () => {
    const server = unitEnvironment('pulsewatch-server@.service', '8081');
    expect(server).toMatchObject(PRODUCTION_RUNTIME_ENV);
    const config = loadConfig(server);
    expect(config.port).toBe(8081);
    expect(config.dataDir).toBe('/var/lib/pulsewatch');
    expect(execStart('pulsewatch-server@.service')).toEqual([
      '/usr/bin/node',
      '/opt/pulsewatch/dist/server/cli.js',
      'start',
    ]);
    expect(execStart('pulsewatch-backup.service')).toEqual([
      '/usr/bin/node',
      '/opt/pulsewatch/dist/server/cli.js',
      'backup',
      '/var/backups/pulsewatch',
      '--keep-days',
      '30',
    ]);
    expect(unitEnvironment('pulsewatch-backup.service').PULSEWATCH_DATA_DIR).toBe(config.dataDir);
    expect(readFileSync('deploy/systemd/pulsewatch-backup.timer', 'utf8')).toMatch(
      /^OnCalendar=\*-\*-\* 02:30:00$/m,
    );
  });

  it('start the edge gateway over TLS with options its CLI has', () => {
    const args = execStart('pulsewatch-edge.service');
    expect(args.slice(0, 2)).toEqual(['/usr/bin/node', '/opt/pulsewatch/dist/edge/cli.js']);
    const cli = readFileSync('main/edge/cli.ts', 'utf8');
    // each option is a key of the CLI's parseArgs table: `host: { type:` or `'tls-cert': { type:`
    for (const flag of args.filter((a) => a.startsWith('--')))
      expect(cli, flag).toMatch(new RegExp(`^\\s+'?${flag.slice(2)}'?: \\{ type:`, 'm'));
    expect(args).toEqual(expect.arrayContaining(['--tls-cert', '--tls-key', '--token-file']));
    expect(dirname(args[args.indexOf('--tls-cert') + 1]!)).toBe('/etc/pulsewatch/edge');
  });
});
