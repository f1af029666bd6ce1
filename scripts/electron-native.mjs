#!/usr/bin/env node
// `npm start` runs this first (prestart): the native modules the desktop app loads
// (better-sqlite3, serialport's bindings, noble's Bluetooth HCI socket) are built by `npm ci` for
// Node's ABI and would not load in Electron, so they are rebuilt for the installed Electron with
// @electron/rebuild. A stamp in node_modules/.cache records the ABI they are built for, so a
// second `npm start` does not rebuild again.
//   node scripts/electron-native.mjs          rebuild for Electron (prestart)
//   node scripts/electron-native.mjs --node   rebuild for Node again (npm run rebuild:node), which
//                                             tests, the server and the edge gateway need
// Without the Electron binary (npm's electron package downloads it, which needs the internet; our
// machines have none) it says so and stops before touching anything: `npm ci` never runs this.
// @electron/rebuild is 4.x, as electron-builder 26 uses: 3.7 (the last to declare Node 20) pulls
// @electron/node-gyp from a GitHub tarball, which `npm ci` cannot fetch without GitHub; 4.x loads
// on Node 20.20 although its engines field asks for 22.12.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Native modules of the desktop app (the externals of scripts/build-electron.mjs that hold .node files). */
export const NATIVE_MODULES = [
  'better-sqlite3',
  '@serialport/bindings-cpp',
  '@abandonware/bluetooth-hci-socket',
];
const stampFile = join('node_modules', '.cache', 'pulsewatch', 'native-abi.json');
const require = createRequire(import.meta.url);

/** The Electron executable if installed; never downloads (requiring `electron` would). */
function electronBinary(electronDir) {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return override !== undefined && existsSync(override) ? override : undefined;
  const executable = readFileSync(pathFile, 'utf8').trim();
  const full = join(override ?? join(electronDir, 'dist'), executable);
  return existsSync(full) ? full : undefined;
}

function readStamp() {
  try {
    return JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return undefined;
  }
}

function forNode() {
  const result = spawnSync('npm', ['rebuild', ...NATIVE_MODULES], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  rmSync(stampFile, { force: true });
  console.log(`native modules rebuilt for Node ${process.version}`);
}

async function forElectron() {
  const electronDir = dirname(require.resolve('electron/package.json'));
  const version = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
  if (electronBinary(electronDir) === undefined) {
    console.error(
      `npm start: the Electron ${version} binary is not installed (node_modules/electron/dist), so the ` +
        'desktop app cannot start here. npm downloads it from the internet (npx install-electron); ' +
        'on a machine without, run the same gateway in a browser with `npm run edge`.',
    );
    process.exit(1);
  }
  const stamp = readStamp();
  if (stamp?.runtime === 'electron' && stamp.version === version) {
    console.log(`native modules already built for Electron ${version}`);
    return;
  }
  const { rebuild } = await import('@electron/rebuild');
  console.log(`rebuilding ${NATIVE_MODULES.join(', ')} for Electron ${version}…`);
  await rebuild({
    buildPath: process.cwd(),
    electronVersion: version,
    onlyModules: NATIVE_MODULES,
    force: true,
  });
  mkdirSync(dirname(stampFile), { recursive: true });
  writeFileSync(stampFile, JSON.stringify({ runtime: 'electron', version, modules: NATIVE_MODULES }));
  console.log(
    `native modules built for Electron ${version}; tests, the server and the edge gateway need ` +
      'them for Node again: npm run rebuild:node',
  );
}

const runAsScript =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (runAsScript && process.argv.includes('--node')) forNode();
else if (runAsScript) await forElectron();
