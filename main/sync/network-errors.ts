/**
 * Turns whatever axios, Node's sockets or TLS threw into a {@link TransportError} that says in
 * plain words what happened. Node names socket and TLS failures by `code` (ECONNREFUSED,
 * DEPTH_ZERO_SELF_SIGNED_CERT, …); axios wraps them, keeping the original as `cause`.
 */
import { TransportError } from './errors.js';

/** Where the request was going, to tell a proxy failure from a server failure. */
export interface FailureContext {
  timeoutMs: number;
  /** The proxy's host and port when one is configured. */
  proxy: { host: string; port: number } | null;
}

const TLS_UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_CHAIN_TOO_LONG',
]);

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network unreachable',
  EHOSTDOWN: 'host down',
  EADDRNOTAVAIL: 'address not available',
};

const LOST = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'ECONNABORTED_SOCKET']);

interface ErrorFacts {
  codes: string[];
  messages: string[];
  address: string | undefined;
  port: number | undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** Codes, messages and socket address along the `cause` chain (at most 5 deep). */
function facts(error: unknown): ErrorFacts {
  const out: ErrorFacts = { codes: [], messages: [], address: undefined, port: undefined };
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    const r = record(current);
    if (!r) break;
    if (typeof r.code === 'string') out.codes.push(r.code);
    if (typeof r.message === 'string') out.messages.push(r.message);
    if (typeof r.address === 'string') out.address ??= r.address;
    if (typeof r.port === 'number') out.port ??= r.port;
    current = r.cause;
  }
  return out;
}

/** "30 s", "1.5 s", "200 ms". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

function tlsError(code: string): TransportError | undefined {
  if (TLS_UNTRUSTED.has(code))
    return new TransportError('tls', 'TLS: certificate not trusted — set the CA bundle');
  if (code === 'CERT_HAS_EXPIRED')
    return new TransportError('tls', "TLS: the server's certificate has expired");
  if (code === 'CERT_NOT_YET_VALID')
    return new TransportError(
      'tls',
      "TLS: the server's certificate is not valid yet — check this gateway's clock",
    );
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return new TransportError('tls', "TLS: the server's certificate is for another host name");
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_'))
    return new TransportError(
      'tls',
      'TLS: handshake failed — does the server URL say https:// for a server that speaks plain http?',
    );
  return undefined;
}

function isProxyEndpoint(f: ErrorFacts, context: FailureContext): boolean {
  if (!context.proxy || f.port === undefined) return false;
  return f.port === context.proxy.port;
}

function classifyCode(code: string, f: ErrorFacts, context: FailureContext): TransportError | undefined {
  if (code === 'ERR_CANCELED') return new TransportError('canceled', 'request canceled');
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT')
    return new TransportError('timeout', `timed out after ${formatDuration(context.timeoutMs)}`);
  const unreachable = UNREACHABLE[code];
  if (unreachable !== undefined) {
    return isProxyEndpoint(f, context)
      ? new TransportError('proxy', `proxy unreachable (${unreachable})`)
      : new TransportError('unreachable', `server unreachable (${unreachable})`);
  }
  if (LOST.has(code))
    return new TransportError('connection_lost', 'connection lost before the server answered');
  const tls = tlsError(code);
  if (tls) return tls;
  if (code.startsWith('HPE_'))
    return new TransportError(
      'bad_response',
      'the answer is not valid HTTP — is the server URL that of a PulseWatch server?',
    );
  if (code === 'ERR_BAD_RESPONSE' && f.messages.some((m) => m.includes('maxContentLength')))
    return new TransportError('bad_response', "the server's answer is larger than any it should send");
  return undefined;
}

/**
 * The underlying error without the request it belonged to: axios's error carries the request's
 * config (headers with the bearer token), which must not travel into logs with the cause.
 */
function safeCause(f: ErrorFacts): Error {
  const code = f.codes[f.codes.length - 1];
  const message = f.messages[f.messages.length - 1] ?? 'unknown error';
  return new Error(code === undefined ? message : `${code}: ${message}`);
}

/** Describes a failed request in plain words. */
export function describeNetworkFailure(error: unknown, context: FailureContext): TransportError {
  if (error instanceof TransportError) return error;
  const f = facts(error);
  const cause = safeCause(f);
  // The innermost recognised code is the most precise (axios's ECONNABORTED wraps none; its
  // ERR_BAD_REQUEST-style wrappers carry the socket's code underneath).
  for (const code of [...f.codes].reverse()) {
    const described = classifyCode(code, f, context);
    if (described) {
      described.cause = cause;
      return described;
    }
  }
  if (f.messages.some((m) => /socket hang up|aborted/i.test(m)))
    return new TransportError('connection_lost', 'connection lost before the server answered', { cause });
  return new TransportError('connection_lost', `request failed (${cause.message})`, { cause });
}
