/** Turns zod failures of every request part into one list of field issues, for one 400. */
import type { z } from 'zod';
import type { FieldIssue } from '../errors.js';

/** Issues of one part (`params`, `query`, `headers`, `body`) with paths like `body.patient.ageYears`. */
export function issuesOf(part: string, error: z.ZodError): FieldIssue[] {
  return error.issues
    .map((issue) => {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
      return keys.map((extra) => ({
        path: [part, ...issue.path.map(String), ...(extra === undefined ? [] : [extra])].join('.'),
        message: extra === undefined ? issue.message : 'unknown field',
      }));
    })
    .flat();
}

/** Parses `value` with `schema`, pushing issues instead of throwing. */
export function parsePart<S extends z.ZodType>(
  part: string,
  schema: S | undefined,
  value: unknown,
  issues: FieldIssue[],
): z.output<S> | undefined {
  if (schema === undefined) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  issues.push(...issuesOf(part, result.error));
  return undefined;
}
