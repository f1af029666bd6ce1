/** Makes sure the renderer is built (so `npm run edge` works straight after `npm ci`). */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const builtUiDir = join(repoRoot, 'dist', 'renderer');

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the UI with Vite when it is missing or older than its sources. */
export function ensureUiBuilt(log: (line: string) => void = console.log): string {
  const index = join(builtUiDir, 'index.html');
  const sources = Math.max(
    newestMtimeMs(join(repoRoot, 'renderer')),
    newestMtimeMs(join(repoRoot, 'preload')),
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return builtUiDir;
  log('edge: building the UI (vite build)…');
  const result = spawnSync(
    'npx',
    ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'],
    {
      cwd: repoRoot,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) throw new Error('edge: building the UI failed');
  return builtUiDir;
}
