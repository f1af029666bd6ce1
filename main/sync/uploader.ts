/**
 * Sends one queue item to the server and says how it went (an {@link AttemptResult}); it never
 * throws for anything the server or the network did. Chunks go as their stored bytes
 * (`chunks.upload`, SHA-256 in the header); control messages to their route with their params
 * and JSON body; `reports.upload` as multipart (metadata JSON + the PDF). Every answer is checked
 * against the contract.
 */
import {
  ApiError,
  createApiClient,
  type ApiClient,
  type TransportResponse,
} from '../../server-contract/api/client.js';
import { ErrorBodySchema, type StreamName } from '../../server-contract/api/common.js';
import { fillPath } from '../../server-contract/api/define.js';
import { CHUNK_SHA256_HEADER } from '../../server-contract/api/recordings.js';
import { routes, type Routes } from '../../server-contract/api/routes.js';
import type { QueueItem } from '../queue/types.js';
import type { AttemptResult } from './classify.js';
import { TransportError } from './errors.js';
import type { HttpTransport, SyncTransportRequest } from './http-transport.js';

/** A route called with untyped input (a control item's stored params and body). */
type LooseCall = (input: {
  params?: Record<string, string>;
  body?: unknown;
  authToken: string;
}) => Promise<{ status: number; body: unknown }>;

function retryAfterMs(headers: Record<string, string> | undefined): number | null {
  const value = headers?.['retry-after'];
  if (value === undefined) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 3600) * 1000;
  return null;
}

/** Turns what a send threw into a result; rethrows what is not about the server or network. */
function failureResult(error: unknown, headers: Record<string, string> | undefined): AttemptResult {
  if (error instanceof TransportError) return { kind: 'network', error };
  if (error instanceof ApiError) {
    if (error.code === 'bad_response')
      return { kind: 'bad_response', status: error.status, message: error.message };
    return {
      kind: 'http_error',
      status: error.status,
      code: error.body?.error.code ?? null,
      message: error.body?.error.message ?? `HTTP ${error.status}`,
      retryAfterMs: retryAfterMs(headers),
    };
  }
  throw error;
}

function isRepeat(route: QueueItem['route'], status: number): boolean {
  // Idempotent creates answer 201 the first time and 200 for a repeat.
  return status === 200 && route !== 'chunk' && 201 in routes[route].responses;
}

/** Sends queue items with a given access token. One item at a time. */
export class ItemSender {
  private readonly client: ApiClient<Routes>;
  private lastHeaders: Record<string, string> | undefined;

  constructor(private readonly transport: HttpTransport) {
    // Its own client over a wrapper that keeps the last answer's headers (for `retry-after`).
    this.client = createApiClient(routes, async (request) => {
      this.lastHeaders = undefined;
      const response = await transport.send(request);
      this.lastHeaders = response.headers;
      return response;
    });
  }

  /** Sends `item`; resolves with how it went. Throws only for programming errors. */
  async send(item: QueueItem, authToken: string): Promise<AttemptResult> {
    this.lastHeaders = undefined;
    try {
      const route = item.route;
      if (route === 'chunk') return await this.sendChunk(item, authToken);
      if (route === 'reports.upload') return await this.sendReport(item, authToken);
      const call = this.client[route] as unknown as LooseCall;
      const input = { params: item.params, body: item.body, authToken };
      const result = await call(input);
      return { kind: 'ok', status: result.status, duplicate: isRepeat(item.route, result.status) };
    } catch (error) {
      return failureResult(error, this.lastHeaders);
    }
  }

  private async sendChunk(item: QueueItem, authToken: string): Promise<AttemptResult> {
    if (
      item.bytes === null ||
      item.sha256 === null ||
      item.recordingId === null ||
      item.stream === null ||
      item.chunkIndex === null
    )
      throw new Error(`queue item ${item.id} is a chunk without bytes, hash or place`);
    const result = await this.client['chunks.upload']({
      params: { recordingId: item.recordingId, stream: item.stream as StreamName, index: item.chunkIndex },
      headers: { [CHUNK_SHA256_HEADER]: item.sha256 },
      body: item.bytes,
      authToken,
    });
    return { kind: 'ok', status: result.status, duplicate: !result.body.stored };
  }

  private async sendReport(item: QueueItem, authToken: string): Promise<AttemptResult> {
    const route = routes['reports.upload'];
    if (item.bytes === null) throw new Error(`queue item ${item.id} is a report without its PDF`);
    const request: SyncTransportRequest = {
      method: route.method,
      path: fillPath(route.path, item.params),
      query: {},
      headers: { authorization: `Bearer ${authToken}` },
      body: {
        kind: 'multipart',
        fields: { metadata: JSON.stringify(item.body) },
        file: {
          field: route.body.file.field,
          bytes: item.bytes,
          contentType: route.body.file.contentType,
          fileName: 'report.pdf',
        },
      },
    };
    const response = await this.transport.send(request);
    this.lastHeaders = response.headers;
    return multipartResult(response);
  }
}

/** Reads a `reports.upload` answer as the contract client would. */
function multipartResult(response: TransportResponse): AttemptResult {
  const spec =
    routes['reports.upload'].responses[
      response.status as keyof (typeof routes)['reports.upload']['responses']
    ];
  if (response.status >= 200 && response.status < 300) {
    if (spec === undefined || !spec.safeParse(response.body).success)
      return {
        kind: 'bad_response',
        status: response.status,
        message: 'reports.upload: answer outside the contract',
      };
    return { kind: 'ok', status: response.status, duplicate: response.status === 200 };
  }
  const body = ErrorBodySchema.safeParse(response.body);
  return {
    kind: 'http_error',
    status: response.status,
    code: body.success ? body.data.error.code : null,
    message: body.success ? body.data.error.message : `HTTP ${response.status}`,
    retryAfterMs: retryAfterMs(response.headers),
  };
}
