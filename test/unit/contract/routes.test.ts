import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ERROR_STATUS,
  ErrorBodySchema,
  generateOpenApi,
  routes,
  type RouteSpec,
} from '../../../server-contract/api/index.js';

const entries = Object.entries(routes) as [string, RouteSpec][];

describe('route table', () => {
  it('names every route noun.verb', () => {
    for (const [name] of entries) expect(name).toMatch(/^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/);
  });

  it('has one route per method and path', () => {
    const keys = entries.map(([, r]) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('versions every API path except the probes', () => {
    for (const [name, route] of entries) {
      if (name.startsWith('health.')) continue;
      expect(route.path, name).toMatch(/^\/v1\//);
    }
  });

  it('declares a params schema whose keys are exactly the path parameters', () => {
    for (const [name, route] of entries) {
      const inPath = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]).sort();
      const declared =
        route.params === undefined ? [] : Object.keys((route.params as z.ZodObject).shape).sort();
      expect(declared, name).toEqual(inPath);
    }
  });

  it('declares 401 and 403 on every route that needs a login, and a role list that is not empty', () => {
    for (const [name, route] of entries) {
      if (route.auth === 'public') continue;
      expect(route.auth.length, name).toBeGreaterThan(0);
      expect(route.responses[401], name).toBeDefined();
      if (!(route.auth.length === 1 && route.auth[0] === 'gateway'))
        expect(route.responses[403], name).toBeDefined();
    }
  });

  it('declares a 400 on every route that takes a body', () => {
    for (const [name, route] of entries) {
      if (route.body !== undefined) expect(route.responses[400], name).toBeDefined();
    }
  });

  it('uploads chunks as raw bytes with the hash in a header', () => {
    const upload = routes['chunks.upload'];
    expect(upload.method).toBe('PUT');
    expect(upload.body.kind).toBe('binary');
    expect(upload.body.contentType).toBe('application/octet-stream');
    expect(upload.auth).toEqual(['gateway']);
    expect(upload.responses[409]).toBeDefined();
  });
});

describe('OpenAPI document', () => {
  const doc = generateOpenApi(routes, { title: 'PulseWatch', version: 'test' }) as {
    openapi: string;
    paths: Record<
      string,
      Record<
        string,
        { operationId: string; security: unknown[]; responses: Record<string, { content?: unknown }> }
      >
    >;
    components: { schemas: Record<string, { description: string; 'x-error-status': unknown }> };
  };

  it('has one operation per route with its name as operationId', () => {
    const operations = Object.values(doc.paths).flatMap((p) => Object.values(p));
    expect(operations.map((o) => o.operationId).sort()).toEqual(entries.map(([n]) => n).sort());
  });

  it('uses OpenAPI path templates and marks public routes as needing no token', () => {
    expect(doc.paths['/v1/recordings/{recordingId}/streams/{stream}/chunks/{index}']?.put?.operationId).toBe(
      'chunks.upload',
    );
    expect(doc.paths['/health']?.get?.security).toEqual([]);
    expect(doc.paths['/v1/patients']?.get?.security).toEqual([{ bearer: [] }]);
  });

  it('publishes the status of every error code on the ErrorBody schema every error response names', () => {
    const errorBody = doc.components.schemas.ErrorBody!;
    expect(errorBody['x-error-status']).toEqual(ERROR_STATUS);
    for (const [code, { status }] of Object.entries(ERROR_STATUS))
      expect(errorBody.description).toContain(`| \`${code}\` | ${status} |`);
    const ref = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } };
    for (const [name, route] of entries) {
      const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const responses = doc.paths[path]![route.method.toLowerCase()]!.responses;
      expect(responses.default?.content, name).toEqual(ref);
      for (const [status, spec] of Object.entries(route.responses))
        if (spec === ErrorBodySchema) expect(responses[status]?.content, `${name} ${status}`).toEqual(ref);
    }
  });
});
