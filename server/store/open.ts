/** Opens the store the configuration names: PostgreSQL when a URL is set, else SQLite. */
import { join, resolve } from 'node:path';
import type { ServerConfig } from '../config.js';
import { openPostgresStore } from './postgres.js';
import { openSqliteStore, SQLITE_FILE_NAME } from './sqlite.js';
import type { Store } from './store.js';

export function sqlitePath(config: Pick<ServerConfig, 'dataDir'>): string {
  return join(resolve(config.dataDir), SQLITE_FILE_NAME);
}

export async function openStore(config: ServerConfig, onPoolError?: (err: Error) => void): Promise<Store> {
  if (config.databaseUrl !== undefined)
    return openPostgresStore(config.databaseUrl, onPoolError ? { onPoolError } : {});
  return openSqliteStore(sqlitePath(config));
}
