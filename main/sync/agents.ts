/**
 * The connection agents the uploader's axios instance uses: direct HTTP/HTTPS with keep-alive,
 * or through an HTTP(S) proxy (CONNECT tunnel for https targets, absolute-form requests for http
 * targets). A CA bundle adds a clinic's own CA to Node's built-in roots, for the server and for
 * the server behind the tunnel.
 */
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, type ClientRequest } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isIP } from 'node:net';
import { checkServerIdentity, rootCertificates, type PeerCertificate } from 'node:tls';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { SyncError, messageOf } from './errors.js';

/** What the agents need to know. */
export interface AgentOptions {
  /** PEM file of extra trusted CA certificates; null = Node's built-in roots only. */
  caBundlePath: string | null;
  /** `http://host:port` or `https://host:port` (credentials in the URL are sent as Basic auth); null = direct. */
  proxyUrl: string | null;
}

export interface Agents {
  http: HttpAgent;
  /** An `https.Agent`, or the tunnelling agent (an `http.Agent` subclass) behind a proxy. */
  https: HttpAgent;
  /** Host and port of the proxy, for telling its failures from the server's. */
  proxy: { host: string; port: number } | null;
  destroy(): void;
}

/**
 * Pooled connections idle this long are closed by us, before a server or reverse proxy closes
 * them (Node's own server closes idle keep-alive connections after 5 s): a request written into a
 * connection the server is closing would fail as "connection lost" for no reason.
 */
const IDLE_SOCKET_MS = 4_000;
const pool = { keepAlive: true, timeout: IDLE_SOCKET_MS } as const;

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Reads a PEM bundle; throws `SyncError('bad_config')` naming the file and what is wrong. */
export function readCaBundle(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SyncError('bad_config', `CA bundle ${path} cannot be read (${messageOf(error)})`, {
      cause: error,
    });
  }
  const certificates = text.match(PEM_CERTIFICATE) ?? [];
  if (certificates.length === 0)
    throw new SyncError(
      'bad_config',
      `CA bundle ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
    );
  return certificates;
}

/** Parses and checks a proxy URL; throws `SyncError('bad_config')`. */
export function parseProxyUrl(proxyUrl: string): URL {
  let url: URL;
  try {
    url = new URL(proxyUrl);
  } catch {
    throw new SyncError('bad_config', `proxy URL ${proxyUrl} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new SyncError('bad_config', `proxy URL ${proxyUrl} must start with http:// or https://`);
  return url;
}

/**
 * https-proxy-agent applies its constructor's TLS options to the proxy connection only; the
 * target's TLS options must come with each request (TooTallNate/proxy-agents#234). axios passes
 * none, so this agent adds the CA bundle to the target's TLS upgrade itself.
 */
class TunnelAgent extends HttpsProxyAgent<string> {
  constructor(
    proxy: string,
    private readonly targetCa: string[] | undefined,
  ) {
    super(proxy, { ...pool, ...(targetCa ? { ca: targetCa } : {}) });
  }

  override connect(req: ClientRequest, opts: Parameters<HttpsProxyAgent<string>['connect']>[1]) {
    if (!opts.secureEndpoint) return super.connect(req, opts);
    const host = opts.host;
    return super.connect(req, {
      ...opts,
      ...(this.targetCa ? { ca: this.targetCa } : {}),
      // The agent drops `host` from the TLS options and sets a server name only for host names,
      // so an IP target would be checked against "localhost": check it against its own address.
      ...(host !== undefined && isIP(host) !== 0
        ? { checkServerIdentity: (_name: string, cert: PeerCertificate) => checkServerIdentity(host, cert) }
        : {}),
    });
  }
}

/** Builds the agents; throws `SyncError('bad_config')` for an unreadable bundle or a bad proxy URL. */
export function createAgents(options: AgentOptions): Agents {
  const extra = options.caBundlePath === null ? undefined : readCaBundle(options.caBundlePath);
  const ca = extra === undefined ? undefined : [...rootCertificates, ...extra];
  if (options.proxyUrl === null) {
    const http = new HttpAgent(pool);
    const https = new HttpsAgent({ ...pool, ...(ca ? { ca } : {}) });
    return {
      http,
      https,
      proxy: null,
      destroy() {
        http.destroy();
        https.destroy();
      },
    };
  }
  const url = parseProxyUrl(options.proxyUrl);
  const http = new HttpProxyAgent(options.proxyUrl, { ...pool, ...(ca ? { ca } : {}) });
  const https = new TunnelAgent(options.proxyUrl, ca);
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return {
    http,
    https,
    proxy: { host: url.hostname, port },
    destroy() {
      http.destroy();
      https.destroy();
    },
  };
}
