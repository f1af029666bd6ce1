/**
 * The contract client's `Transport` over axios (the product's requirements fix axios): JSON and
 * binary bodies, multipart for `reports.upload`, HTTPS with an optional CA bundle, an optional
 * HTTP(S) proxy, and an idle timeout. Every HTTP status comes back as a response (the contract
 * client decides what it means); every failure to get one becomes a {@link TransportError} that
 * says in plain words what happened. No axios exception leaks.
 */
import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import type { TransportRequest, TransportResponse } from '../../server-contract/api/client.js';
import { createAgents, type Agents } from './agents.js';
import { SyncError, TransportError } from './errors.js';
import { describeNetworkFailure } from './network-errors.js';

/** A multipart form: string fields plus one file (the contract's `reports.upload`). */
export interface MultipartBody {
  kind: 'multipart';
  fields: Record<string, string>;
  file: { field: string; bytes: Uint8Array; contentType: string; fileName: string };
}

/** The contract's request, plus multipart bodies (the contract client sends none yet). */
export type SyncTransportRequest = Omit<TransportRequest, 'body'> & {
  body: TransportRequest['body'] | MultipartBody;
};

export interface HttpTransportOptions {
  /** `http(s)://host[:port][/prefix]`: the server's base URL. */
  baseUrl: string;
  /** PEM file of extra trusted CAs (default none). */
  caBundlePath?: string | null;
  /** HTTP(S) proxy URL (default none). */
  proxyUrl?: string | null;
  /** No byte sent or received for this long fails the request (default 30 s). */
  timeoutMs?: number;
  /** `User-Agent` header (default `PulseWatch-Gateway`). */
  userAgent?: string;
}

/** Largest answer accepted: the contract's largest are report PDFs (10 MB). */
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** Checks a server URL; throws `SyncError('bad_config')` in plain words. */
export function parseServerUrl(serverUrl: string): URL {
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    throw new SyncError(
      'bad_config',
      `server URL ${serverUrl} is not a URL (e.g. https://pulsewatch.clinic.local)`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new SyncError('bad_config', `server URL ${serverUrl} must start with https:// or http://`);
  if (url.search !== '' || url.hash !== '')
    throw new SyncError('bad_config', `server URL ${serverUrl} must not have a query or fragment`);
  return url;
}

function headerRecord(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof headers !== 'object' || headers === null) return out;
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    if (typeof value === 'string') out[key.toLowerCase()] = value;
    else if (typeof value === 'number') out[key.toLowerCase()] = String(value);
    else if (Array.isArray(value)) out[key.toLowerCase()] = value.join(', ');
  }
  return out;
}

function requestData(body: SyncTransportRequest['body'], headers: Record<string, string>): unknown {
  if (body === undefined) return undefined;
  if (body.kind === 'json') {
    headers['content-type'] = 'application/json';
    return JSON.stringify(body.value);
  }
  if (body.kind === 'binary') {
    headers['content-type'] = body.contentType;
    return Buffer.from(body.bytes.buffer, body.bytes.byteOffset, body.bytes.byteLength);
  }
  const form = new FormData();
  for (const [name, value] of Object.entries(body.fields)) form.append(name, value);
  const bytes = Uint8Array.from(body.file.bytes);
  form.append(body.file.field, new Blob([bytes], { type: body.file.contentType }), body.file.fileName);
  return form;
}

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/([a-z.+-]*\+)?json\b/i.test(contentType.trim());
}

/** An axios transport bound to one server, CA bundle and proxy. Build a new one when they change. */
export class HttpTransport {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  private readonly agents: Agents;
  private readonly axios: AxiosInstance;
  private readonly aborter = new AbortController();

  /** Throws `SyncError('bad_config')` for a bad URL, CA bundle or proxy. */
  constructor(options: HttpTransportOptions) {
    this.baseUrl = parseServerUrl(options.baseUrl).toString().replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    if (!(this.timeoutMs > 0)) throw new SyncError('bad_config', 'timeoutMs must be > 0');
    this.agents = createAgents({
      caBundlePath: options.caBundlePath ?? null,
      proxyUrl: options.proxyUrl ?? null,
    });
    this.axios = axios.create({
      baseURL: this.baseUrl,
      adapter: 'http',
      // Proxies come from the settings through our agents, never from the environment.
      proxy: false,
      httpAgent: this.agents.http,
      httpsAgent: this.agents.https,
      timeout: this.timeoutMs,
      maxRedirects: 0,
      maxContentLength: MAX_RESPONSE_BYTES,
      maxBodyLength: Infinity,
      responseType: 'arraybuffer',
      transformResponse: [],
      // Every status is an answer; the contract client reads it.
      validateStatus: () => true,
      headers: { 'user-agent': options.userAgent ?? 'PulseWatch-Gateway' },
    });
  }

  /** The `Transport` function for `createApiClient` (bound; also takes multipart bodies). */
  readonly send = async (request: SyncTransportRequest): Promise<TransportResponse> => {
    if (this.aborter.signal.aborted) throw new TransportError('canceled', 'the uploader was stopped');
    const headers: Record<string, string> = { ...request.headers };
    const config: AxiosRequestConfig = {
      method: request.method,
      url: request.path,
      params: request.query,
      headers,
      data: requestData(request.body, headers),
      signal: this.aborter.signal,
    };
    let response;
    try {
      response = await this.axios.request<ArrayBuffer>(config);
    } catch (error) {
      throw describeNetworkFailure(error, { timeoutMs: this.timeoutMs, proxy: this.agents.proxy });
    }
    return this.toResponse(response.status, headerRecord(response.headers), response.data);
  };

  private toResponse(status: number, headers: Record<string, string>, data: unknown): TransportResponse {
    const bytes =
      data instanceof ArrayBuffer ? new Uint8Array(data) : Buffer.isBuffer(data) ? data : undefined;
    if (status === 407)
      throw new TransportError('proxy', 'the proxy asks for credentials (407) — put them in the proxy URL');
    if (bytes === undefined || bytes.byteLength === 0) return { status, headers, body: undefined };
    if (!isJson(headers['content-type'])) return { status, headers, body: new Uint8Array(bytes) };
    try {
      return { status, headers, body: JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown };
    } catch {
      throw new TransportError('bad_response', `the server answered ${status} with JSON that does not parse`);
    }
  }

  /** Cancels requests in flight (they fail with `canceled`) and closes pooled connections. */
  close(): void {
    this.aborter.abort();
    this.agents.destroy();
  }
}
