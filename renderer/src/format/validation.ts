/**
 * Form limits and problems in plain words. The limits come from the shared zod schemas (the
 * gateway API's, which take theirs from the ingest contract), so a form can never offer what
 * the gateway or the server would refuse; a schema's complaint becomes a sentence naming the
 * field and the expected format, never a raw list of validation issues.
 */
import type { z } from 'zod';

/** A numeric field's bounds, read from its schema (optional/nullable unwrapped). */
export interface NumberLimits {
  min: number | null;
  max: number | null;
}

interface Unwrappable {
  unwrap: () => unknown;
}
interface NumberBounds {
  minValue: number | null;
  maxValue: number | null;
}

/** The min and max a number schema allows (null where it sets none). */
export function numberLimits(schema: unknown): NumberLimits {
  let s: unknown = schema;
  for (let depth = 0; depth < 4 && typeof (s as Partial<Unwrappable>).unwrap === 'function'; depth += 1)
    s = (s as Unwrappable).unwrap();
  const bounds = s as Partial<NumberBounds>;
  return {
    min: typeof bounds.minValue === 'number' && Number.isFinite(bounds.minValue) ? bounds.minValue : null,
    max: typeof bounds.maxValue === 'number' && Number.isFinite(bounds.maxValue) ? bounds.maxValue : null,
  };
}

/** What a field is called on the form and, where it helps, the format expected. */
export interface FieldText {
  label: string;
  format?: string;
}

/** One issue as a sentence: "Age (years): must be 130 or less." */
export function issueText(issue: z.core.$ZodIssue, fields: Readonly<Record<string, FieldText>>): string {
  const key = issue.path.map(String).join('.');
  const field = fields[key] ?? fields[String(issue.path[0] ?? '')];
  const label = field?.label ?? (key === '' ? 'The form' : key);
  return `${label}: ${problemText(issue, field?.format)}.`;
}

function problemText(issue: z.core.$ZodIssue, format: string | undefined): string {
  switch (issue.code) {
    case 'too_small':
      return issue.origin === 'string'
        ? Number(issue.minimum) <= 1
          ? 'must not be empty'
          : `must be at least ${String(issue.minimum)} characters`
        : `must be ${String(issue.minimum)} or more`;
    case 'too_big':
      return issue.origin === 'string'
        ? `must be at most ${String(issue.maximum)} characters`
        : `must be ${String(issue.maximum)} or less`;
    case 'invalid_type':
      if (issue.expected === 'int') return 'must be a whole number';
      return issue.expected === 'number' ? 'must be a number' : `is missing or not ${issue.expected}`;
    case 'invalid_format':
      return format === undefined ? 'is not in the expected format' : `use ${format}`;
    case 'invalid_value':
      return `choose one of ${issue.values.map(String).join(', ')}`;
    default:
      return format === undefined ? issue.message.toLowerCase() : `use ${format}`;
  }
}

/** Every problem of a failed parse, one sentence each (the first per field). */
export function problems(error: z.ZodError, fields: Readonly<Record<string, FieldText>>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issueText(issue, fields));
  }
  return out;
}
