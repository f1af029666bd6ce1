/**
 * One ingest server replica as a real child process (`server/cli.ts`) on a shared PostgreSQL, with
 * the secrets every replica shares (one data folder holding jwt-secret, field-key and the metrics
 * token). It keeps its port across restarts, so the proxy in front of it needs no change.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { NODE_TS, REPO_ROOT, waitForOutput } from '../chaos/server-process.js';

export interface ReplicaOptions {
  databaseUrl: string;
  /** Folder with the secrets shared by all replicas. */
  secretsDir: string;
  /** PULSEWATCH_DRAIN_DELAY_MS. */
  drainDelayMs?: number;
  rateLimitPerMin?: number;
}

export class ReplicaProcess {
  private child: ChildProcess | undefined;
  /** Everything the process printed, across runs. */
  output = '';
  port = 0;

  constructor(
    readonly name: string,
    readonly options: ReplicaOptions,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the process and resolves once it listens. */
  async start(): Promise<void> {
    const child = this.spawn();
    const url = await waitForOutput(child, /"url":"([^"]+)"/, `replica ${this.name}`);
    this.port = Number(new URL(url).port);
  }

  /** Sends `signal` and resolves with the exit code once the process has ended. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<number | null> {
    const child = this.child;
    if (child === undefined) return null;
    const exited = this.exited(child);
    child.kill(signal);
    return exited;
  }

  /** Sends a signal without waiting (a second SIGTERM ends the drain delay). */
  signal(signal: 'SIGTERM'): void {
    this.child?.kill(signal);
  }

  /** Resolves with the exit code of the running process when it ends. */
  exitCode(): Promise<number | null> {
    return this.child === undefined ? Promise.resolve(null) : this.exited(this.child);
  }

  /** Resolves once the process has printed a line matching `pattern`. */
  async printed(pattern: RegExp, what: string): Promise<void> {
    if (this.child === undefined) throw new Error(`replica ${this.name} is not running`);
    if (pattern.test(this.output)) return;
    await waitForOutput(this.child, pattern, what);
  }

  /** Creates a staff account with the CLI, as IT does. */
  createAdmin(username: string, password: string): void {
    const created = spawnSync(
      NODE_TS[0],
      [...NODE_TS.slice(1), 'server/cli.ts', 'create-admin', '--username', username, '--password-stdin'],
      { cwd: REPO_ROOT, env: this.env(), input: `${password}\n`, encoding: 'utf8' },
    );
    if (created.status !== 0) throw new Error(`create-admin failed:\n${created.stderr}`);
  }

  private exited(child: ChildProcess): Promise<number | null> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
    return new Promise((done) => child.once('exit', (code) => done(code)));
  }

  private spawn(): ChildProcess {
    const child = spawn(NODE_TS[0], [...NODE_TS.slice(1), 'server/cli.ts'], {
      cwd: REPO_ROOT,
      env: this.env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (piece: Buffer) => {
      this.output += piece.toString('utf8');
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    return child;
  }

  private env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      PULSEWATCH_DATABASE_URL: this.options.databaseUrl,
      PULSEWATCH_DATA_DIR: this.options.secretsDir,
      PULSEWATCH_HOST: '127.0.0.1',
      PULSEWATCH_PORT: String(this.port),
      PULSEWATCH_LOG_LEVEL: 'info',
      PULSEWATCH_DECODE_WORKERS: '0',
      PULSEWATCH_DRAIN_DELAY_MS: String(this.options.drainDelayMs ?? 0),
      PULSEWATCH_RATE_LIMIT_PER_MIN: String(this.options.rateLimitPerMin ?? 100_000),
      PULSEWATCH_ANON_RATE_LIMIT_PER_MIN: '100000',
    };
  }
}
