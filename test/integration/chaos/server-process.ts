/**
 * The real ingest server as a child process (`server/cli.ts`, SQLite in a temp folder), with an
 * admin created by its own CLI and enrollment codes issued over HTTP — what IT does. It can be
 * stopped (SIGTERM, or SIGKILL) and started again on the same port and data.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');
/**
 * Runs a TypeScript entry point as ONE process (`node --import tsx`), not through the `tsx` CLI,
 * which would put a wrapper process in between: kill -9 must reach the process under test.
 */
export const NODE_TS = [process.execPath, '--import', 'tsx'] as const;

/** Waits until `child` prints a line matching `pattern`; resolves with the first group. */
export function waitForOutput(
  child: ChildProcess,
  pattern: RegExp,
  what: string,
  timeoutMs = 120_000,
): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what} did not start within ${timeoutMs / 1000} s; output:\n${seen.slice(-2000)}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = pattern.exec(seen);
      if (match !== null) {
        cleanup();
        resolvePromise(match[1] ?? match[0]);
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(
        new Error(`${what} exited (${signal ?? code}) before it was ready; output:\n${seen.slice(-2000)}`),
      );
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', onExit);
  });
}

export class ServerProcess {
  private child: ChildProcess | undefined;
  url = '';
  private readonly password = randomBytes(12).toString('base64url');

  private constructor(
    readonly dataDir: string,
    private port: number,
  ) {}

  /** Creates the admin, starts the server and returns it. `port` 0 picks a free port (kept on restart). */
  static async start(dataDir: string, port = 0): Promise<ServerProcess> {
    const server = new ServerProcess(dataDir, port);
    const created = spawnSync(
      NODE_TS[0],
      [
        ...NODE_TS.slice(1),
        'server/cli.ts',
        'create-admin',
        '--username',
        'admin',
        '--display-name',
        'Chaos admin',
        '--password-stdin',
      ],
      { cwd: REPO_ROOT, env: server.env(), input: `${server.password}\n`, encoding: 'utf8' },
    );
    if (created.status !== 0) throw new Error(`create-admin failed:\n${created.stderr}`);
    await server.run();
    return server;
  }

  /** The database file (read after a stop, to check what the server holds). */
  get databaseFile(): string {
    return join(this.dataDir, 'pulsewatch.sqlite');
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  async run(): Promise<void> {
    const child = spawn(NODE_TS[0], [...NODE_TS.slice(1), 'server/cli.ts'], {
      cwd: REPO_ROOT,
      env: this.env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.on('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    this.url = await waitForOutput(child, /"url":"([^"]+)"/, 'the ingest server');
    this.port = Number(new URL(this.url).port);
  }

  /** Stops the server: SIGTERM (graceful drain) or SIGKILL. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    this.child = undefined;
    await new Promise<void>((done) => {
      child.once('exit', () => done());
      child.kill(signal);
    });
  }

  /** A one-time enrollment code, issued by the admin over HTTP. */
  async enrollmentCode(): Promise<string> {
    const login = await this.json('/v1/auth/login', { username: 'admin', password: this.password });
    const token = (login as { tokens: { accessToken: string } }).tokens.accessToken;
    const code = await this.json('/v1/enrollment-codes', { label: 'Chaos gateway' }, token);
    return (code as { code: string }).code;
  }

  private async json(path: string, body: unknown, token?: string): Promise<unknown> {
    const response = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
    return response.json();
  }

  private env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      PULSEWATCH_DATA_DIR: this.dataDir,
      PULSEWATCH_HOST: '127.0.0.1',
      PULSEWATCH_PORT: String(this.port),
      PULSEWATCH_LOG_LEVEL: 'info',
      PULSEWATCH_DECODE_WORKERS: '1',
    };
  }
}
