/**
 * `npm run server -- [command]`:
 *   (none) | start          run the server (SQLite in ./data unless PULSEWATCH_DATABASE_URL is set;
 *                           SQLite: one server per file, a second exits with status 3)
 *   create-admin [--username NAME] [--display-name TEXT] [--password-stdin]
 *   backup DIR [--keep-days N]
 *   restore DIR|FILE [--force]
 *   migrate                 apply pending migrations and exit
 * Configuration: environment variables PULSEWATCH_* or a JSON file named by PULSEWATCH_SERVER_CONFIG
 * (see server/config.ts and docs/server/operations.md).
 */
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { join, resolve } from 'node:path';
import { createApp } from './app.js';
import { checkFieldKey } from './crypto/key-check.js';
import { loadConfig, resolveSecrets, type ServerConfig } from './config.js';
import { ConfigError } from './errors.js';
import { backupPostgres, backupSqlite, pruneBackups, restorePostgres, restoreSqlite } from './ops/backup.js';
import { formatProgress, formatSummary, type OnBackupProgress } from './ops/backup-progress.js';
import { createLogger } from './ops/logger.js';
import { serve } from './serve.js';
import { openStore, sqlitePath } from './store/open.js';
import { lockSqliteDatabase, STORE_LOCKED_EXIT_CODE } from './store/sqlite-lock.js';
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
  // SQLite: one server process per database file (a second one exits with STORE_LOCKED_EXIT_CODE).
  const lock =
    config.databaseUrl === undefined ? lockSqliteDatabase(sqlitePath(config), 'server') : undefined;
  const store = await openStore(config, (err) =>
    log.error({ err }, 'database connection lost; will reconnect'),
  );
  try {
    await checkFieldKey(
      store,
      secrets.fieldKey,
      config.fieldKeyFile ?? join(resolve(config.dataDir), 'field-key'),
    );
  } catch (err) {
    await store.close();
    throw err;
  }
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
  // Before anything else is awaited: a SIGTERM right after listening must drain, not kill.
  let signals = 0;
  const shutdown = (signal: string) => {
    log.info(
      { signal },
      signals++ === 0 ? 'signal received' : 'signal received again: ending the drain delay',
    );
    if (signals === 1) {
      // Whatever hangs (a database that never answers), the process ends within its bound.
      const bound = config.drainDelayMs + config.shutdownGraceMs + 15_000;
      setTimeout(() => {
        log.error({ boundMs: bound }, 'shutdown did not finish in time; exiting');
        process.exit(1);
      }, bound).unref();
    }
    running.stop().then(
      () => {
        lock?.release();
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  log.info(
    { url: running.url, database: store.dialect, trustProxy: config.trustProxy },
    'PulseWatch server listening',
  );
  if ((await store.countUsers()) === 0) {
    console.error(
      `\nNo staff accounts yet. Create the first admin with:\n  npm run server -- create-admin --username admin\n` +
        `(compiled server: node dist/server/cli.js create-admin --username admin, same environment)\n`,
    );
  }
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

/** Progress lines as a backup or restore goes (stdout, so a systemd journal keeps them). */
const printProgress: OnBackupProgress = (progress) => console.log(formatProgress(progress));

async function backup(config: ServerConfig, args: string[]): Promise<void> {
  const dir = args[0];
  if (dir === undefined)
    throw new ConfigError('backup', 'usage: npm run server -- backup DIR [--keep-days N]');
  const keep = option(args, 'keep-days');
  const keepDays = keep === undefined ? undefined : Number(keep);
  if (keepDays !== undefined && !(Number.isInteger(keepDays) && keepDays >= 1))
    throw new ConfigError('--keep-days', `must be a whole number of days, 1 or more; got ${keep}`);
  console.log(`backing up the ${config.databaseUrl ? 'PostgreSQL' : 'SQLite'} database into ${dir}`);
  const options = { onProgress: printProgress };
  const summary = config.databaseUrl
    ? await backupPostgres(config.databaseUrl, dir, options)
    : await backupSqlite(sqlitePath(config), dir, options);
  for (const line of formatSummary('backup', summary)) console.log(line);
  if (keepDays !== undefined) {
    const removed = pruneBackups(dir, keepDays);
    for (const file of removed) console.log(`removed old backup ${file}`);
    console.log(`kept backups of the last ${keepDays} days; removed ${removed.length}`);
  }
}

async function restore(config: ServerConfig, args: string[]): Promise<void> {
  const from = args[0];
  if (from === undefined)
    throw new ConfigError('restore', 'usage: npm run server -- restore DIR|FILE [--force]');
  console.log(`restoring the ${config.databaseUrl ? 'PostgreSQL' : 'SQLite'} database from ${from}`);
  const options = { onProgress: printProgress };
  let summary;
  if (config.databaseUrl) summary = await restorePostgres(from, config.databaseUrl, options);
  else {
    // Never replace the file under a running server.
    const lock = lockSqliteDatabase(sqlitePath(config), 'restore');
    try {
      summary = await restoreSqlite(from, sqlitePath(config), args.includes('--force'), options);
    } finally {
      lock.release();
    }
  }
  for (const line of formatSummary('restore', summary)) console.log(line);
}

async function main(argv: string[]): Promise<void> {
  const [command = 'start', ...args] = argv;
  const config = loadConfig();
  if (command === 'start') return start(config);
  if (command === 'create-admin') return createAdmin(config, args);
  if (command === 'backup') return backup(config, args);
  if (command === 'restore') return restore(config, args);
  if (command === 'migrate') {
    await (await openStore(config)).close();
    console.log('migrations applied');
    return;
  }
  throw new ConfigError(
    'command',
    `unknown command ${command}; use start, create-admin, backup, restore or migrate`,
  );
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const e = err as { code?: string; message?: string };
  if (e.code === 'store_locked') {
    console.error(`error: ${e.message}`);
    process.exit(STORE_LOCKED_EXIT_CODE);
  }
  console.error(
    e.code === 'config_invalid' || e.code === 'backup_failed' || e.code === 'store_conflict'
      ? `error: ${e.message}`
      : err,
  );
  process.exit(1);
});
