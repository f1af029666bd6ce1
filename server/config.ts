/**
 * Server configuration: defaults, then an optional JSON file (`PULSEWATCH_SERVER_CONFIG`), then
 * environment variables, validated with zod. A bad value throws a `ConfigError` naming the
 * setting (and its environment variable), which the CLI prints before exiting.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors.js';

const MB = 1024 * 1024;

/**
 * A yes/no setting: a JSON boolean, or the text `true`/`false`/`1`/`0` (environment variables).
 * Anything else is an error; `z.coerce.boolean()` read the text "false" as true.
 */
export const BooleanSettingSchema = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])], {
    error: 'must be true or false',
  })
  .transform((value) => value === true || value === 'true' || value === '1');

/** Every setting, its environment variable, and its default. */
export const ConfigSchema = z.strictObject({
  /** Address to bind; loopback unless configured. */
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65_535).default(8080),
  /** Folder for the SQLite database and generated secrets. */
  dataDir: z.string().min(1).default('./data'),
  /** `postgres://…` to use PostgreSQL; unset = SQLite in `dataDir`. */
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres://')
    .optional(),
  /** File holding the JWT signing secret (generated, mode 0600, when missing). */
  secretFile: z.string().min(1).optional(),
  /** File holding the 32-byte AES-256-GCM key for patient details (generated when missing). */
  fieldKeyFile: z.string().min(1).optional(),
  /** Origins allowed by CORS; empty = no cross-origin access. */
  corsOrigins: z.array(z.url()).default([]),
  /** Trust X-Forwarded-* headers (only behind a reverse proxy you control). */
  trustProxy: BooleanSettingSchema.default(false),
  /**
   * Bearer token a Prometheus scrape must send to `/metrics` (16+ characters). Unset: the text
   * of `metrics-token` in `dataDir`, generated (mode 0600) on first start.
   */
  metricsToken: z.string().min(16).max(256).optional(),
  tlsCertFile: z.string().min(1).optional(),
  tlsKeyFile: z.string().min(1).optional(),
  /** Largest request body, bytes (default 10 MB, the research server's limit). */
  bodyLimitBytes: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .max(512 * MB)
    .default(10 * MB),
  /** JSON bodies are smaller: largest JSON body, bytes. */
  jsonLimitBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * MB)
    .default(1 * MB),
  /** Requests per minute per authenticated principal. */
  rateLimitPerMin: z.coerce.number().int().min(1).default(6000),
  /** Requests per minute per IP on routes that need no login (research server: 100). */
  anonRateLimitPerMin: z.coerce.number().int().min(1).default(100),
  accessTokenTtlS: z.coerce.number().int().min(30).max(86_400).default(900),
  refreshTokenTtlS: z.coerce
    .number()
    .int()
    .min(300)
    .max(365 * 86_400)
    .default(30 * 86_400),
  /** Failed logins before the account is locked; the lock doubles with each further failure. */
  maxFailedLogins: z.coerce.number().int().min(1).max(100).default(5),
  lockoutBaseS: z.coerce.number().int().min(1).max(86_400).default(60),
  /**
   * Worker threads decoding uploaded chunks (0 = on the event loop). Default: one per core. The
   * event loop spends much of a chunk's time waiting on the database and the network, so leaving
   * it a core of its own idled a decoder (on 2 cores, 2 workers drained a backlog ~20 % faster than 1).
   */
  decodeWorkers: z.coerce.number().int().min(0).max(64).default(availableParallelism()),
  /**
   * On SIGTERM, how long the server keeps serving while `/ready` answers 503, before it stops
   * accepting connections, ms: set it to at least the proxy's health-check interval times the
   * failures it needs, so the proxy stops routing here first. 0: stop accepting at once (a proxy
   * then retries the refused connection on another replica). A second SIGTERM ends the wait.
   */
  drainDelayMs: z.coerce.number().int().min(0).max(600_000).default(0),
  /** How long in-flight requests may finish on shutdown, ms. */
  shutdownGraceMs: z.coerce.number().int().min(0).max(600_000).default(30_000),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type ServerConfig = z.infer<typeof ConfigSchema>;
type ConfigKey = keyof ServerConfig;

/** Environment variable of each setting. */
export const ENV_NAMES: Record<ConfigKey, string> = {
  host: 'PULSEWATCH_HOST',
  port: 'PULSEWATCH_PORT',
  dataDir: 'PULSEWATCH_DATA_DIR',
  databaseUrl: 'PULSEWATCH_DATABASE_URL',
  secretFile: 'PULSEWATCH_SECRET_FILE',
  fieldKeyFile: 'PULSEWATCH_FIELD_KEY_FILE',
  corsOrigins: 'PULSEWATCH_CORS_ORIGINS',
  trustProxy: 'PULSEWATCH_TRUST_PROXY',
  metricsToken: 'PULSEWATCH_METRICS_TOKEN',
  tlsCertFile: 'PULSEWATCH_TLS_CERT_FILE',
  tlsKeyFile: 'PULSEWATCH_TLS_KEY_FILE',
  bodyLimitBytes: 'PULSEWATCH_BODY_LIMIT_BYTES',
  jsonLimitBytes: 'PULSEWATCH_JSON_LIMIT_BYTES',
  rateLimitPerMin: 'PULSEWATCH_RATE_LIMIT_PER_MIN',
  anonRateLimitPerMin: 'PULSEWATCH_ANON_RATE_LIMIT_PER_MIN',
  accessTokenTtlS: 'PULSEWATCH_ACCESS_TOKEN_TTL_S',
  refreshTokenTtlS: 'PULSEWATCH_REFRESH_TOKEN_TTL_S',
  maxFailedLogins: 'PULSEWATCH_MAX_FAILED_LOGINS',
  lockoutBaseS: 'PULSEWATCH_LOCKOUT_BASE_S',
  decodeWorkers: 'PULSEWATCH_DECODE_WORKERS',
  drainDelayMs: 'PULSEWATCH_DRAIN_DELAY_MS',
  shutdownGraceMs: 'PULSEWATCH_SHUTDOWN_GRACE_MS',
  logLevel: 'PULSEWATCH_LOG_LEVEL',
};

function fromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(ENV_NAMES)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    if (key === 'corsOrigins') out[key] = value.split(',').map((s) => s.trim());
    else out[key] = value;
  }
  return out;
}

function readConfigFile(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError('PULSEWATCH_SERVER_CONFIG', `cannot read ${path}: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('PULSEWATCH_SERVER_CONFIG', `${path} must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * Loads and validates the configuration. Throws `ConfigError` naming the first bad setting
 * (all bad settings are listed in the message).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const file = env.PULSEWATCH_SERVER_CONFIG;
  const merged = { ...(file ? readConfigFile(file) : {}), ...fromEnv(env) };
  const result = ConfigSchema.safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '(config)');
      const envName = ENV_NAMES[key as ConfigKey];
      return `${key}${envName ? ` (${envName})` : ''}: ${issue.message}`;
    });
    const first = String(result.error.issues[0]?.path[0] ?? 'config');
    throw new ConfigError(first, `invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const config = result.data;
  if ((config.tlsCertFile === undefined) !== (config.tlsKeyFile === undefined)) {
    throw new ConfigError('tlsCertFile', 'set both tlsCertFile and tlsKeyFile, or neither');
  }
  return config;
}

/**
 * Creates `path` holding `text` (mode 0600) all at once: written to a temporary file, synced,
 * then linked into place (failing if `path` appeared meanwhile). A failure (a full disk) leaves
 * no `path` at all, never an empty or half-written one.
 */
function createFileAtomically(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

/**
 * Reads a secret file, or creates it with `bytes` random bytes (mode 0600) when missing. An empty
 * file (left by a start that failed on a full disk before this was atomic) counts as missing:
 * nothing can have used it. Returns the raw bytes and whether it was just created.
 */
export function readOrCreateSecret(path: string, bytes: number): { secret: Buffer; created: boolean } {
  if (existsSync(path) && statSync(path).size === 0) rmSync(path);
  if (existsSync(path)) {
    const secret = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    if (secret.length !== bytes) throw new ConfigError(path, `must hold ${bytes} base64-encoded bytes`);
    return { secret, created: false };
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const secret = randomBytes(bytes);
  try {
    createFileAtomically(path, secret.toString('base64') + '\n');
  } catch (err) {
    // Another process (a second replica starting at the same moment) created it first: use theirs.
    if ((err as { code?: string }).code === 'EEXIST') return readOrCreateSecret(path, bytes);
    throw err;
  }
  return { secret, created: true };
}

/** Secrets and paths derived from the configuration. */
export interface ResolvedSecrets {
  jwtSecret: Uint8Array;
  fieldKey: Uint8Array;
  /** The bearer token `/metrics` requires. */
  metricsToken: string;
  createdFiles: string[];
}

/** Loads (or generates) the signing secret and the patient-details key. */
export function resolveSecrets(config: ServerConfig): ResolvedSecrets {
  const dataDir = resolve(config.dataDir);
  const secretPath = config.secretFile ?? join(dataDir, 'jwt-secret');
  const keyPath = config.fieldKeyFile ?? join(dataDir, 'field-key');
  const jwt = readOrCreateSecret(secretPath, 32);
  const key = readOrCreateSecret(keyPath, 32);
  const metricsPath = join(dataDir, 'metrics-token');
  const metrics = config.metricsToken === undefined ? readOrCreateSecret(metricsPath, 24) : undefined;
  const createdFiles = [
    jwt.created ? secretPath : '',
    key.created ? keyPath : '',
    metrics?.created === true ? metricsPath : '',
  ].filter((p) => p !== '');
  return {
    jwtSecret: jwt.secret,
    fieldKey: key.secret,
    metricsToken: config.metricsToken ?? metrics!.secret.toString('base64'),
    createdFiles,
  };
}
