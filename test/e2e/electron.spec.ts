/**
 * The desktop shell in a real Electron window. Electron's binary is downloaded from the network
 * on first use, which these machines cannot do: without it, this test is skipped and says so.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The Electron binary if it is already on disk. `require('electron')` would try to download it,
 * so look for it the way electron's index.js does, without the download.
 */
function electronBinary(): string | undefined {
  const packageDir = join(import.meta.dirname, '../../node_modules/electron');
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

const binary = electronBinary();
if (binary === undefined) {
  console.log(
    'electron.spec: SKIPPED, no Electron binary on this machine (it is downloaded on first use; this machine has no network)',
  );
}

test('opens the gateway window with the UI over IPC', async () => {
  test.skip(
    binary === undefined,
    'SKIPPED: no Electron binary on this machine (it is downloaded on first use; no network here)',
  );
  execFileSync('node', ['scripts/build-electron.mjs'], { stdio: 'inherit' });
  const app = await electron.launch({ executablePath: binary, args: ['.', '--simulate'] });
  const window = await app.firstWindow();
  await expect(window.getByRole('heading', { name: 'PulseWatch gateway' })).toBeVisible();
  await expect(window.getByText('desktop mode')).toBeVisible();
  await app.close();
});
