/** Generates the OpenAPI 3.1 document from the route table, so the published API cannot drift from it. */
import { z } from 'zod';
import { API_VERSION } from '../version.js';
import { ERROR_STATUS, ErrorBodySchema } from './common.js';
import type { ResponseSpec, RouteSpec, RouteTable } from './define.js';

type JsonObject = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonObject;
  delete json.$schema;
  return json;
}

function parametersOf(route: RouteSpec): JsonObject[] {
  const out: JsonObject[] = [];
  const add = (schema: z.ZodType | undefined, where: 'path' | 'query' | 'header') => {
    if (schema === undefined) return;
    const json = schemaOf(schema, 'input');
    const properties = (json.properties ?? {}) as Record<string, JsonObject>;
    const required = new Set((json.required ?? []) as string[]);
    for (const [name, property] of Object.entries(properties)) {
      out.push({ name, in: where, required: where === 'path' || required.has(name), schema: property });
    }
  };
  add(route.params, 'path');
  add(route.query, 'query');
  add(route.headers, 'header');
  return out;
}

function requestBodyOf(route: RouteSpec): JsonObject | undefined {
  const body = route.body;
  if (body === undefined) return undefined;
  if (body.kind === 'json')
    return { required: true, content: { 'application/json': { schema: schemaOf(body.schema, 'input') } } };
  if (body.kind === 'binary') {
    return {
      required: true,
      content: {
        [body.contentType]: { schema: { type: 'string', format: 'binary', maxLength: body.maxBytes } },
      },
    };
  }
  return {
    required: true,
    content: {
      'multipart/form-data': {
        schema: {
          type: 'object',
          required: ['metadata', body.file.field],
          properties: {
            metadata: schemaOf(body.metadata, 'input'),
            [body.file.field]: { type: 'string', format: 'binary', maxLength: body.file.maxBytes },
          },
        },
        encoding: {
          metadata: { contentType: 'application/json' },
          [body.file.field]: { contentType: body.file.contentType },
        },
      },
    },
  };
}

const ERROR_BODY_REF = { $ref: '#/components/schemas/ErrorBody' };

/**
 * The one error shape as a named schema, with the status of each code as a Markdown table for
 * people and as `x-error-status` (code → status and meaning) for generators.
 */
function errorBodyComponent(): JsonObject {
  const rows = Object.entries(ERROR_STATUS).map(
    ([code, e]) => `| \`${code}\` | ${e.status} | ${e.meaning} |`,
  );
  return {
    ...schemaOf(ErrorBodySchema, 'output'),
    description: [
      'Every 4xx/5xx body. The status of each error code:',
      '',
      '| code | status | meaning |',
      '| --- | --- | --- |',
      ...rows,
    ].join('\n'),
    'x-error-status': ERROR_STATUS,
  };
}

function responseOf(spec: ResponseSpec): JsonObject {
  if (spec === ErrorBodySchema)
    return {
      description: 'Error (see ErrorBody for each code’s status)',
      content: { 'application/json': { schema: ERROR_BODY_REF } },
    };
  if ('kind' in spec && !('safeParse' in spec)) {
    if (spec.kind === 'empty') return { description: 'No content' };
    return {
      description: 'Body',
      content: Object.fromEntries(
        [spec.contentType, ...(spec.alsoContentTypes ?? [])].map((type) => [
          type,
          { schema: { type: 'string', format: 'binary' } },
        ]),
      ),
    };
  }
  return {
    description: 'JSON',
    content: { 'application/json': { schema: schemaOf(spec as z.ZodType, 'output') } },
  };
}

/** The OpenAPI document of `table`. */
export function generateOpenApi(table: RouteTable, info: { title: string; version: string }): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const [name, route] of Object.entries(table)) {
    const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const responses: JsonObject = {};
    for (const [status, spec] of Object.entries(route.responses)) responses[status] = responseOf(spec);
    // Any other 4xx/5xx (rate limits, body limits, timeouts, outages) has the same error shape.
    responses.default = {
      ...responseOf(ErrorBodySchema),
      description: 'Any other error, with a stable code',
    };
    const operation: JsonObject = {
      operationId: name,
      summary: route.summary,
      tags: [name.split('.')[0]],
      parameters: parametersOf(route),
      responses,
      security: route.auth === 'public' ? [] : [{ bearer: [] }],
      'x-roles': route.auth,
    };
    const requestBody = requestBodyOf(route);
    if (requestBody !== undefined) operation.requestBody = requestBody;
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: { ...info, 'x-api-version': API_VERSION },
    paths,
    components: {
      schemas: { ErrorBody: errorBodyComponent() },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}
