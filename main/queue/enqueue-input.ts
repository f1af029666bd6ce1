/**
 * Validation of what the recorder enqueues, before anything is stored: a chunk's bytes must be a
 * chunk of the contract codec whose header names the same recording, stream and index (so the
 * uploader never sends bytes under the wrong path), and a control message must satisfy its route's
 * params and body schemas (so a bug shows at enqueue, on the gateway, not as a 400 days later).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { RouteSpec } from '../../server-contract/api/define.js';
import { MAX_CHUNK_BYTES } from '../../server-contract/api/recordings.js';
import { routes } from '../../server-contract/api/routes.js';
import { decodeChunkHeader, RecordingIdSchema, StreamNameSchema } from '../../server-contract/codec/index.js';
import { QueueError } from './queue-errors.js';
import { CONTROL_ROUTES, type ControlRoute } from './types.js';

/** What `enqueue` writes: the validated input in the columns' terms. */
export interface PreparedItem {
  kind: 'chunk' | 'control';
  route: 'chunk' | ControlRoute;
  orderKey: string;
  recordingId: string | null;
  stream: string | null;
  chunkIndex: number | null;
  paramsJson: string;
  bodyJson: string | null;
  bytes: Uint8Array | null;
  sha256: string | null;
  sizeBytes: number;
  priority: number;
  afterId: number | null;
}

const common = {
  priority: z.int().min(0).max(1000),
  afterId: z.int().positive().nullable().optional(),
};
const bytesSchema = z.instanceof(Uint8Array);

const InputSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('chunk'),
    recordingId: RecordingIdSchema,
    stream: StreamNameSchema,
    chunkIndex: z
      .int()
      .min(0)
      .max(2 ** 32 - 1),
    bytes: bytesSchema.refine((b) => b.length > 0 && b.length <= MAX_CHUNK_BYTES, {
      message: `1 to ${MAX_CHUNK_BYTES} bytes`,
    }),
    ...common,
  }),
  z.object({
    kind: z.literal('control'),
    route: z.enum(CONTROL_ROUTES),
    params: z.record(z.string(), z.string()).optional(),
    body: z.unknown(),
    file: bytesSchema.optional(),
    recordingId: RecordingIdSchema.nullable().optional(),
    ...common,
  }),
]);

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
}

function invalid(what: string, detail: string): QueueError {
  return new QueueError('invalid_item', `Cannot queue ${what}: ${detail}. Nothing was stored.`);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function checkChunkHeader(bytes: Uint8Array, recordingId: string, stream: string, index: number): void {
  const what = `chunk ${recordingId}/${stream}/${index}`;
  let header;
  try {
    header = decodeChunkHeader(bytes);
  } catch (error) {
    throw invalid(
      what,
      `its bytes are not a chunk (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (header.recordingId !== recordingId || header.stream !== stream || header.chunkIndex !== index) {
    throw invalid(what, `its bytes say ${header.recordingId}/${header.stream}/${header.chunkIndex}`);
  }
}

function controlParts(
  route: ControlRoute,
  params: Record<string, string>,
  body: unknown,
  file?: Uint8Array,
): string {
  const spec: RouteSpec = routes[route];
  const paramsCheck = spec.params?.safeParse(params);
  if (paramsCheck !== undefined && !paramsCheck.success)
    throw invalid(route, describeIssues(paramsCheck.error));
  if (spec.params === undefined && Object.keys(params).length > 0)
    throw invalid(route, 'the route takes no params');
  const bodySchema =
    spec.body?.kind === 'json'
      ? spec.body.schema
      : spec.body?.kind === 'multipart'
        ? spec.body.metadata
        : undefined;
  const bodyCheck = bodySchema?.safeParse(body);
  if (bodyCheck !== undefined && !bodyCheck.success) throw invalid(route, describeIssues(bodyCheck.error));
  if (spec.body?.kind === 'multipart') {
    if (file === undefined || file.length === 0) throw invalid(route, 'the file is missing');
    if (file.length > spec.body.file.maxBytes)
      throw invalid(route, `the file exceeds ${spec.body.file.maxBytes} bytes`);
  } else if (file !== undefined) {
    throw invalid(route, 'the route takes no file');
  }
  const json = JSON.stringify(body);
  if (typeof json !== 'string') throw invalid(route, 'the body is not JSON');
  return json;
}

/** Validates an enqueue input; throws QueueError('invalid_item') naming every problem. */
export function prepareItem(input: unknown): PreparedItem {
  const parsed = InputSchema.safeParse(input);
  if (!parsed.success) throw invalid('the item', describeIssues(parsed.error));
  const item = parsed.data;
  const afterId = item.afterId ?? null;
  if (item.kind === 'chunk') {
    checkChunkHeader(item.bytes, item.recordingId, item.stream, item.chunkIndex);
    return {
      kind: 'chunk',
      route: 'chunk',
      orderKey: `${item.recordingId}/${item.stream}`,
      recordingId: item.recordingId,
      stream: item.stream,
      chunkIndex: item.chunkIndex,
      paramsJson: '{}',
      bodyJson: null,
      bytes: item.bytes,
      sha256: sha256Hex(item.bytes),
      sizeBytes: item.bytes.length,
      priority: item.priority,
      afterId,
    };
  }
  const params = item.params ?? {};
  const bodyJson = controlParts(item.route, params, item.body, item.file);
  const bytes = item.file ?? null;
  return {
    kind: 'control',
    route: item.route,
    orderKey: 'control',
    recordingId: item.recordingId ?? null,
    stream: null,
    chunkIndex: null,
    paramsJson: JSON.stringify(params),
    bodyJson,
    bytes,
    sha256: bytes === null ? null : sha256Hex(bytes),
    sizeBytes: (bytes?.length ?? 0) + Buffer.byteLength(bodyJson),
    priority: item.priority,
    afterId,
  };
}
