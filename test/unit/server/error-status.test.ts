/**
 * Every error the server builds carries the status the contract's `ERROR_STATUS` names for its
 * code. `HttpError` takes the status as an argument, so this reads the server's sources for
 * each place one is built and checks the pair.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_STATUS, type ErrorCode } from '../../../server-contract/api/index.js';
import { FRAMEWORK_4XX_CODES } from '../../../server/http/error-handler.js';

const SERVER = fileURLToPath(new URL('../../../server/', import.meta.url));

/** Files that build an `HttpError` from values known only at run time, and why that is fine. */
const DYNAMIC = {
  // Passes on decode-task's outcome, whose status/code pairs are checked below.
  'routes/chunks.ts': 1,
  // Koa's own 4xx errors (e.g. a malformed URL) through FRAMEWORK_4XX_CODES (checked below); the 500 is a literal.
  'http/error-handler.ts': 1,
};

interface Site {
  file: string;
  status: number;
  code: string;
}

function sites(): { literal: Site[]; dynamic: Record<string, number> } {
  const literal: Site[] = [];
  const dynamic: Record<string, number> = {};
  const files = readdirSync(SERVER, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    const text = readFileSync(join(SERVER, file), 'utf8');
    const name = file.split('\\').join('/');
    // `new HttpError(409, 'conflict'` and decode outcomes `status: 422, code: 'chunk_corrupt'`.
    for (const m of text.matchAll(/(?:new HttpError\(\s*|status:\s*)(\d{3}),\s*(?:code:\s*)?'([a-z_]+)'/g))
      literal.push({ file: name, status: Number(m[1]), code: m[2]! });
    // `ERROR_STATUS.not_found.status, 'not_found'`: the table's status, but it must be the same code.
    for (const m of text.matchAll(/ERROR_STATUS\.([a-z_]+)\.status,\s*'([a-z_]+)'/g))
      literal.push({ file: name, status: ERROR_STATUS[m[1] as ErrorCode].status, code: m[2]! });
    const others = [...text.matchAll(/new HttpError\((?!\s*(?:\d{3},|ERROR_STATUS\.))/g)].length;
    if (others > 0) dynamic[name] = others;
  }
  return { literal, dynamic };
}

describe('server errors', () => {
  const found = sites();

  it('builds every HttpError with the status ERROR_STATUS names for its code', () => {
    // The helpers in errors.ts, the auth service and the chunk path must all have been seen.
    for (const file of ['errors.ts', 'auth/auth-service.ts', 'ingest/decode-task.ts', 'routes/chunks.ts'])
      expect(
        found.literal.some((s) => s.file === file),
        file,
      ).toBe(true);
    const wrong = found.literal.filter((s) => ERROR_STATUS[s.code as ErrorCode]?.status !== s.status);
    expect(wrong).toEqual([]);
  });

  it('builds an HttpError from run-time values only where the reason is known', () => {
    expect(found.dynamic).toEqual(DYNAMIC);
  });

  it('maps every 4xx Koa or the router raises to the code the table names for that status', () => {
    for (const [status, code] of Object.entries(FRAMEWORK_4XX_CODES))
      expect(ERROR_STATUS[code].status, code).toBe(Number(status));
  });
});
