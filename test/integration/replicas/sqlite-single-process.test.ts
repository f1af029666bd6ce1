/**
 * SQLite is the single-process embedded store: a second server started on the same database
 * file exits with status 3 and says why (and what to use instead), the first keeps serving, a
 * restore refuses to replace the file under it, and after the first is killed (-9) the lock is
 * gone with it: a new server starts on the file. A server whose field key differs from the one
 * the database was first used with (a replica given another key file) refuses to start.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STORE_LOCKED_EXIT_CODE } from '../../../server/store/sqlite-lock.js';
import { NODE_TS, REPO_ROOT, ServerProcess } from '../chaos/server-process.js';
import { call } from './http-call.js';

const dataDir = mkdtempSync(join(tmpdir(), 'pulsewatch-sqlite-lock-'));

function cli(args: string[]) {
  return spawnSync(NODE_TS[0], [...NODE_TS.slice(1), 'server/cli.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, PULSEWATCH_DATA_DIR: dataDir, PULSEWATCH_HOST: '127.0.0.1', PULSEWATCH_PORT: '0' },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

describe('SQLite: one server process per database file', { timeout: 300_000 }, () => {
  let first: ServerProcess | undefined;

  afterAll(async () => {
    await first?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a second server on the same file with a clear error and exit status 3', async () => {
    first = await ServerProcess.start(dataDir);
    const second = cli(['start']);
    expect(second.status).toBe(STORE_LOCKED_EXIT_CODE);
    expect(second.stderr).toMatch(
      /pulsewatch\.sqlite is in use by another PulseWatch server \(pid \d+, server\)/,
    );
    expect(second.stderr).toMatch(/PostgreSQL/);
    expect((await call(first.url, 'GET', '/ready')).status).toBe(200);

    const restore = cli(['restore', join(dataDir, 'no-backups-here'), '--force']);
    expect(restore.status).toBe(STORE_LOCKED_EXIT_CODE);
    expect(restore.stderr).toMatch(/in use by another PulseWatch server/);
    expect((await call(first.url, 'GET', '/ready')).status).toBe(200);
  });

  it('leaves no stale lock when the server is killed: the next one starts on the file', async () => {
    await first!.stop('SIGKILL');
    await first!.run();
    expect((await call(first!.url, 'GET', '/ready')).status).toBe(200);
  });

  it('refuses to start with a field key other than the one the database was first used with', async () => {
    await first!.stop('SIGTERM');
    writeFileSync(join(dataDir, 'field-key'), `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    const started = cli(['start']);
    expect(started.status).toBe(1);
    expect(started.stderr).toMatch(/field-key is not the key this database was first used with/);
  });
});
