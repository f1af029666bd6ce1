/**
 * The viewer's only way to the server: the contract's typed client (`createApiClient(routes)`)
 * over a `fetch` transport to the page's own origin. Every response is validated against the
 * route table, so a server that drifts from the contract shows an error instead of bad data.
 */
import {
  ApiError,
  createApiClient,
  routes,
  type ApiClient,
  type Routes,
  type Transport,
  type TransportRequest,
} from '../../../server-contract/api/index.js';

export type IngestClient = ApiClient<Routes>;
export { ApiError };

function requestBody(body: TransportRequest['body']): BodyInit | undefined {
  if (body === undefined) return undefined;
  if (body.kind === 'json') return JSON.stringify(body.value);
  return new Blob([body.bytes as Uint8Array<ArrayBuffer>], { type: body.contentType });
}

/** A transport over `fetch` to `baseUrl` (the page's origin by default): JSON parsed, other bodies as bytes. */
export function fetchTransport(baseUrl = ''): Transport {
  return async (request) => {
    const query = new URLSearchParams(request.query).toString();
    const headers: Record<string, string> = { ...request.headers };
    if (request.body !== undefined) {
      headers['content-type'] = request.body.kind === 'json' ? 'application/json' : request.body.contentType;
    }
    const response = await fetch(`${baseUrl}${request.path}${query === '' ? '' : `?${query}`}`, {
      method: request.method,
      headers,
      body: requestBody(request.body),
    });
    const type = response.headers.get('content-type') ?? '';
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      responseHeaders[key] = value;
    });
    const body: unknown =
      /[/+]json\b/.test(type) && !type.includes('fhir')
        ? await response.json()
        : new Uint8Array(await response.arrayBuffer());
    return { status: response.status, headers: responseHeaders, body };
  };
}

/** The client the viewer uses. */
export function createIngestClient(baseUrl = ''): IngestClient {
  return createApiClient(routes, fetchTransport(baseUrl));
}

/** A message for people from anything a call threw. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.body?.error.message ?? error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
