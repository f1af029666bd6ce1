import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../server/store/sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'pulsewatch-cli-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[], env: Record<string, string>, input?: string) {
  const result = spawnSync(join('node_modules', '.bin', 'tsx'), ['server/cli.ts', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: dir, ...env },
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

describe('npm run server', () => {
  it('exits with a message naming the bad setting', () => {
    const r = cli(['migrate'], { PULSEWATCH_PORT: 'eighty', PULSEWATCH_DATA_DIR: join(dir, 'bad') });
    expect(r.status).toBe(1);
    expect(r.out).toContain('PULSEWATCH_PORT');
    expect(existsSync(join(dir, 'bad'))).toBe(false);
  });

  it('creates the first admin, backs up and restores into a fresh data folder', async () => {
    const env = { PULSEWATCH_DATA_DIR: join(dir, 'data') };
    const created = cli(
      ['create-admin', '--username', 'boss', '--password-stdin'],
      env,
      'a very long password\n',
    );
    expect(created.out).toContain('created admin boss');
    expect(statSync(join(dir, 'data', 'jwt-secret')).mode & 0o777).toBe(0o600);
    expect(
      cli(['create-admin', '--username', 'boss', '--password-stdin'], env, 'another long password\n').status,
    ).toBe(1);
    const backup = cli(['backup', join(dir, 'backups'), '--keep-days', '30'], env);
    expect(backup.status).toBe(0);
    expect(readdirSync(join(dir, 'backups')).filter((f) => f.endsWith('.sqlite.gz'))).toHaveLength(1);
    const restored = cli(['restore', join(dir, 'backups')], { PULSEWATCH_DATA_DIR: join(dir, 'fresh') });
    expect(restored.status).toBe(0);
    const store = await openSqliteStore(join(dir, 'fresh', 'pulsewatch.sqlite'));
    expect((await store.getUserByUsername('boss'))?.role).toBe('admin');
    await store.close();
  });
});
