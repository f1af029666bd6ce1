/**
 * A real ingest server for UI specs that follow a recording all the way up: a child process on
 * its own data folder, with a second admin ("the reviewer") made by the server's own CLI as IT
 * would, whose password only the spec knows; `get` reads the server's API as that admin.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { NODE_TS, REPO_ROOT, ServerProcess } from '../integration/chaos/server-process.js';

export interface ReviewServer {
  server: ServerProcess;
  /** GET `path` on the server's API as the reviewing admin; expects 200 and returns the JSON. */
  get(path: string): Promise<unknown>;
  close(): Promise<void>;
}

export async function startReviewServer(name: string): Promise<ReviewServer> {
  const dir = mkdtempSync(join(tmpdir(), `pulsewatch-${name}-server-`));
  const reviewer = { username: `${name}-reviewer`, password: randomBytes(12).toString('base64url') };
  const created = spawnSync(
    NODE_TS[0],
    [
      ...NODE_TS.slice(1),
      'server/cli.ts',
      'create-admin',
      '--username',
      reviewer.username,
      '--password-stdin',
    ],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, PULSEWATCH_DATA_DIR: dir },
      input: `${reviewer.password}\n`,
      encoding: 'utf8',
    },
  );
  if (created.status !== 0) throw new Error(`create-admin failed:\n${created.stderr}`);
  const server = await ServerProcess.start(dir);
  return {
    server,
    get: async (path) => {
      const login = await fetch(`${server.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(reviewer),
      });
      expect(login.status).toBe(200);
      const { tokens } = (await login.json()) as { tokens: { accessToken: string } };
      const response = await fetch(`${server.url}${path}`, {
        headers: { authorization: `Bearer ${tokens.accessToken}` },
      });
      expect(response.status, `${path}: ${response.status}`).toBe(200);
      return (await response.json()) as unknown;
    },
    close: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
