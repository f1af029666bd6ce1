/**
 * The import boundaries of DESIGN.md are lint errors: each case lints a one-line file placed in
 * a folder with only the boundary rules, and checks that the crossing import is reported (and
 * that the allowed direction is not).
 */
import { ESLint } from 'eslint';
import { join } from 'node:path';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { boundaries } from '../../../eslint.boundaries.js';

const repoRoot = join(import.meta.dirname, '../../..');
const eslint = new ESLint({
  cwd: repoRoot,
  overrideConfigFile: true,
  overrideConfig: [{ languageOptions: { parser: tseslint.parser } }, ...boundaries],
});

async function violations(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(repoRoot, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const forbidden: [string, string][] = [
  ['server-contract/api/x.ts', "import { a } from '../../main/api/gateway-core.js';"],
  ['server-contract/codec/x.ts', "import { readFileSync } from 'node:fs';"],
  ['server-contract/x.ts', "import { app } from 'electron';"],
  ['main/api/x.ts', "import { a } from '../../server/app.js';"],
  ['main/devices/ecg12/x.ts', "import { a } from '../../electron/main.js';"],
  ['main/queue/x.ts', "import { app } from 'electron';"],
  ['main/dsp/x.ts', "import { a } from '../devices/record-files.js';"],
  ['main/dsp/x.ts', "import { performance } from 'node:perf_hooks';"],
  ['server/routes/x.ts', "import { a } from '../../main/dsp/qrs.js';"],
  ['server/routes/x.ts', "import { a } from '../../preload/api.js';"],
  ['renderer/src/x.tsx', "import { a } from '../../main/api/gateway-core.js';"],
  ['renderer/src/x.tsx', "import { a } from '../../server-contract/api/index.js';"],
  ['renderer/src/x.tsx', "import { readFileSync } from 'node:fs';"],
  ['preload/api.ts', "import { a } from '../main/api/gateway-core.js';"],
  ['preload/client.ts', "import { ipcRenderer } from 'electron';"],
];

const allowed: [string, string][] = [
  ['main/api/x.ts', "import { a } from '../../preload/api.js';"],
  ['main/api/x.ts', "import { a } from '../../server-contract/api/index.js';"],
  ['main/electron/x.ts', "import { app } from 'electron';"],
  ['preload/index.ts', "import { contextBridge } from 'electron';"],
  ['preload/api.ts', "import { a } from '../server-contract/api/streams.js';"],
  ['server/routes/x.ts', "import { a } from '../../server-contract/api/index.js';"],
  ['renderer/src/x.tsx', "import type { GatewayApi } from '../../preload/index-types.js';"],
  ['main/dsp/x.ts', "import { a } from './filters.js';"],
];

describe('import boundaries', () => {
  it.each(forbidden)('reports %s importing across: %s', async (file, source) => {
    expect(await violations(file, source)).toHaveLength(1);
  });

  it.each(allowed)('allows %s: %s', async (file, source) => {
    expect(await violations(file, source)).toEqual([]);
  });
});
