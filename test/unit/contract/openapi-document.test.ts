/**
 * The published /openapi.json is valid OpenAPI 3.1, checked by independent validators: the
 * document against the OpenAPI 3.1 schema (@seriousme/openapi-schema-validator), and every
 * schema in it compiled by Ajv as strict JSON Schema 2020-12 (the dialect 3.1 uses), which
 * refuses the OpenAPI 3.0 forms zod's 3.0 target produced (`nullable`, boolean `exclusiveMinimum`).
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { generateOpenApi, routes } from '../../../server-contract/api/index.js';

const document = generateOpenApi(routes, { title: 'PulseWatch ingest API', version: 'test' });
const BASE = 'https://pulsewatch.invalid/openapi.json';

type Json = unknown;

/** Every Schema Object of the document (parameter, media type and component schemas). */
function schemasOf(node: Json, into: { where: string; schema: Json }[] = [], where = '#'): typeof into {
  if (Array.isArray(node)) node.forEach((item, i) => schemasOf(item, into, `${where}/${i}`));
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'schema' && typeof value === 'object' && value !== null)
        into.push({ where: `${where}/schema`, schema: value });
      else schemasOf(value, into, `${where}/${key}`);
    }
  }
  return into;
}

describe('/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(document);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });

  it('holds only strict JSON Schema 2020-12 schemas', () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    const addFormats = addFormatsModule as unknown as (instance: Ajv2020) => void;
    addFormats(ajv);
    ajv.addFormat('binary', true);
    ajv.addKeyword('x-error-status');
    const components = (document.components as { schemas: Record<string, Json> }).schemas;
    const rewrite = (schema: Json) =>
      JSON.parse(
        JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${BASE}#/components/schemas/`),
      ) as object;
    for (const [name, schema] of Object.entries(components)) {
      ajv.addSchema(rewrite(schema), `${BASE}#/components/schemas/${name}`);
    }
    const schemas = [
      ...Object.entries(components).map(([name, schema]) => ({ where: `components/${name}`, schema })),
      ...schemasOf(document.paths),
    ];
    expect(schemas.length).toBeGreaterThan(100);
    const failures: string[] = [];
    for (const { where, schema } of schemas) {
      try {
        ajv.compile(rewrite(schema));
      } catch (error) {
        failures.push(`${where}: ${(error as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
