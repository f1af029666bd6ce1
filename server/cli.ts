/**
 * `npm run server -- [command]`:
 *   (none) | start          run the server (SQLite in ./data unless PULSEWATCH_DATABASE_URL is set)
 *   create-admin [--username NAME] [--display-name TEXT] [--password-stdin]
 *   backup DIR [--keep-days N]
 *   restore DIR|FILE [--force]
 *   migrate                 apply pending migrations and exit
 *   retention --days N [--dry-run]
 *                           remove recordings started more than N days ago with all their data
 *                           (PostgreSQL: drops whole month partitions)
 * Configuration: environment variables PULSEWATCH_* or a JSON file named by PULSEWATCH_SERVER_CONFIG
 * (see server/config.ts and docs/server/operations.md).
 */
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { createApp } from './app.js';
import { loadConfig, resolveSecrets, type ServerConfig } from './config.js';
import { ConfigError } from './errors.js';
import { backupPostgres, backupSqlite, pruneBackups, restorePostgres, restoreSqlite } from './ops/backup.js';
import { createLogger } from './ops/logger.js';
import { serve } from './serve.js';
import { openStore, sqlitePath } from './store/open.js';
import { AuthService } from './auth/auth-service.js';
import { Audit } from './ops/audit.js';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

async function start(config: ServerConfig): Promise<void> {
  const log = createLogger(config.logLevel);
  const secrets = resolveSecrets(config);
  for (const file of secrets.createdFiles)
    log.warn({ file }, 'generated a new secret (mode 0600); back it up separately from the database');
  const store = await openStore(config, (err) =>
    log.error({ err }, 'database connection lost; will reconnect'),
  );
  const app = createApp({
    store,
    settings: config,
    jwtSecret: secrets.jwtSecret,
    fieldKey: secrets.fieldKey,
    metricsToken: secrets.metricsToken,
    logger: log,
    decodeWorkers: config.decodeWorkers,
  });
  const running = await serve(app, store, config, log);
  log.info(
    { url: running.url, database: store.dialect, trustProxy: config.trustProxy },
    'PulseWatch server listening',
  );
  if ((await store.countUsers()) === 0) {
    console.error(
      `\nNo staff accounts yet. Create the first admin with:\n  npm run server -- create-admin --username admin\n`,
    );
  }
  const shutdown = (signal: string) => {
    log.info({ signal }, 'signal received');
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

async function readPassword(args: string[]): Promise<{ password: string; generated: boolean }> {
  if (!args.includes('--password-stdin'))
    return { password: randomBytes(18).toString('base64url'), generated: true };
  const rl = createInterface({ input: process.stdin });
  const line = await new Promise<string>((r) => rl.once('line', r));
  rl.close();
  return { password: line.trim(), generated: false };
}

async function createAdmin(config: ServerConfig, args: string[]): Promise<void> {
  const secrets = resolveSecrets(config);
  const store = await openStore(config);
  try {
    const username = option(args, 'username') ?? 'admin';
    const { password, generated } = await readPassword(args);
    if (password.length < 12) throw new ConfigError('password', 'must be at least 12 characters');
    const auth = new AuthService(store, new Audit(store), {
      jwtSecret: secrets.jwtSecret,
      accessTokenTtlS: config.accessTokenTtlS,
      refreshTokenTtlS: config.refreshTokenTtlS,
      maxFailedLogins: config.maxFailedLogins,
      lockoutBaseS: config.lockoutBaseS,
    });
    const user = await auth.createUser({
      username,
      displayName: option(args, 'display-name') ?? 'Administrator',
      role: 'admin',
      password,
    });
    await new Audit(store).record(null, 'users.create', user.id, { role: 'admin', via: 'cli' });
    console.log(`created admin ${username}${generated ? `\npassword (shown once): ${password}` : ''}`);
  } finally {
    await store.close();
  }
}

async function backup(config: ServerConfig, args: string[]): Promise<void> {
  const dir = args[0];
  if (dir === undefined)
    throw new ConfigError('backup', 'usage: npm run server -- backup DIR [--keep-days N]');
  const file = config.databaseUrl
    ? await backupPostgres(config.databaseUrl, dir)
    : await backupSqlite(sqlitePath(config), dir);
  console.log(`backup written: ${file}`);
  const keep = option(args, 'keep-days');
  if (keep !== undefined)
    for (const removed of pruneBackups(dir, Number(keep))) console.log(`removed old backup ${removed}`);
}

async function restore(config: ServerConfig, args: string[]): Promise<void> {
  const from = args[0];
  if (from === undefined)
    throw new ConfigError('restore', 'usage: npm run server -- restore DIR|FILE [--force]');
  const file = config.databaseUrl
    ? await restorePostgres(from, config.databaseUrl)
    : await restoreSqlite(from, sqlitePath(config), args.includes('--force'));
  console.log(`restored from ${file}`);
}

async function retention(config: ServerConfig, args: string[]): Promise<void> {
  const days = Number(option(args, 'days'));
  if (!Number.isInteger(days) || days < 1)
    throw new ConfigError('retention', 'usage: npm run server -- retention --days N [--dry-run] (N ≥ 1)');
  const dryRun = args.includes('--dry-run');
  const store = await openStore(config);
  try {
    const result = await store.applyRetention(Date.now() - days * 86_400_000, dryRun);
    const what = Object.entries(result.dropped)
      .map(([table, n]) => `${table} ${n}`)
      .join(', ');
    const unit = store.dialect === 'postgres' ? 'partitions' : 'rows';
    console.log(
      `${dryRun ? 'would remove' : 'removed'} ${result.recordings} recordings started before ${new Date(result.cutoffMs).toISOString()}; ${unit} by table: ${what || 'none'}`,
    );
    if (!dryRun) await new Audit(store).record(null, 'retention.apply', null, { days, ...result });
  } finally {
    await store.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const [command = 'start', ...args] = argv;
  const config = loadConfig();
  if (command === 'start') return start(config);
  if (command === 'create-admin') return createAdmin(config, args);
  if (command === 'backup') return backup(config, args);
  if (command === 'restore') return restore(config, args);
  if (command === 'retention') return retention(config, args);
  if (command === 'migrate') {
    await (await openStore(config)).close();
    console.log('migrations applied');
    return;
  }
  throw new ConfigError(
    'command',
    `unknown command ${command}; use start, create-admin, backup, restore, migrate or retention`,
  );
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const e = err as { code?: string; message?: string };
  console.error(
    e.code === 'config_invalid' || e.code === 'backup_failed' || e.code === 'store_conflict'
      ? `error: ${e.message}`
      : err,
  );
  process.exit(1);
});
