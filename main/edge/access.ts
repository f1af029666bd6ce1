/**
 * Who may talk to the edge host, decided per request from the raw headers without ever throwing:
 *
 * - on a loopback bind, the `Host` header must name a loopback host with our port (a DNS-rebinding
 *   page reaches us under its own name, so its `Host` is refused);
 * - with a token (always off loopback), every route and the WebSocket need it, either in `?token=`
 *   (the first load, or a script) or in the HttpOnly SameSite=Strict cookie the first load sets;
 * - a WebSocket upgrade from a browser must come from one of our own origins.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** True for `localhost`, `127.x.x.x`, `::1` (bracketed or not). */
export function isLoopback(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/** The policy one edge host enforces. */
export interface AccessPolicy {
  /** Bound to a loopback address: `Host` must be a loopback name with `port`. */
  loopbackBind: boolean;
  port: number;
  /** When set, required on every request. */
  token?: string;
  /** Whether the host serves HTTPS (the cookie then gets `Secure`). */
  tls: boolean;
}

/** Why a request was refused (status and a plain-text line for the body). */
export interface Refusal {
  status: 401 | 403 | 400;
  reason: string;
}

/** The cookie carrying the token; named per port, since cookies are shared across ports. */
export function tokenCookieName(port: number): string {
  return `pulsewatch_edge_${port}`;
}

/** `Set-Cookie` value that stores the token for later requests (never readable by scripts). */
export function tokenCookie(policy: AccessPolicy, token: string): string {
  const secure = policy.tls ? '; Secure' : '';
  return `${tokenCookieName(policy.port)}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict${secure}`;
}

/** Parses `request.url` as a path; undefined when it is not one. */
export function requestPath(rawUrl: string | undefined): URL | undefined {
  if (rawUrl === undefined || !rawUrl.startsWith('/') || rawUrl.startsWith('//')) return undefined;
  try {
    return new URL(rawUrl, 'http://edge.invalid');
  } catch {
    return undefined;
  }
}

/** The `host:port` of an Origin header value; undefined for `null`, garbage or a non-http(s) scheme. */
export function originHost(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.host;
  } catch {
    return undefined;
  }
}

function hostAllowed(policy: AccessPolicy, host: string | undefined): boolean {
  if (host === undefined) return false;
  if (!policy.loopbackBind) return true;
  const match = /^(\[[^\]]*\]|[^:[\]]+)(?::(\d+))?$/.exec(host.toLowerCase());
  if (match === null) return false;
  const [, name, port] = match;
  if (name === undefined || !isLoopback(name)) return false;
  return port === undefined ? policy.port === (policy.tls ? 443 : 80) : Number(port) === policy.port;
}

function cookieToken(policy: AccessPolicy, header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const name = tokenCookieName(policy.port);
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function sameSecret(expected: string, given: string | undefined | null): boolean {
  if (given === undefined || given === null) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The outcome of checking one request: refused, or allowed (with `fromQuery` when the URL carried the token). */
export type AccessDecision =
  { ok: false; refusal: Refusal } | { ok: true; url: URL; tokenFromQuery: boolean };

/** Checks `Host`, the path and the token of any request (plain HTTP or upgrade). */
export function checkRequest(policy: AccessPolicy, request: IncomingMessage): AccessDecision {
  if (!hostAllowed(policy, request.headers.host)) {
    return { ok: false, refusal: { status: 403, reason: 'this gateway answers only to its own address' } };
  }
  const url = requestPath(request.url);
  if (url === undefined) return { ok: false, refusal: { status: 400, reason: 'bad request path' } };
  if (policy.token === undefined) return { ok: true, url, tokenFromQuery: false };
  const fromQuery = url.searchParams.get('token');
  if (sameSecret(policy.token, fromQuery)) return { ok: true, url, tokenFromQuery: true };
  if (sameSecret(policy.token, cookieToken(policy, request.headers.cookie))) {
    return { ok: true, url, tokenFromQuery: false };
  }
  return {
    ok: false,
    refusal: { status: 401, reason: 'this gateway needs its access token: open the URL it printed' },
  };
}

/** A browser's WebSocket must come from the page this host served: same scheme-less host as `Host`. */
export function originAllowed(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true; // not a browser (browsers always send Origin on upgrades)
  const host = originHost(origin);
  return host !== undefined && host === request.headers.host?.toLowerCase();
}
