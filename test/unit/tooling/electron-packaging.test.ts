/**
 * Desktop packaging, checked as far as a machine without the Electron binary can: the packaged
 * app carries exactly the native modules' runtime closure (recomputed from package-lock.json),
 * its fuses are flipped, the Debian package keeps electron-builder's own dependencies and
 * post-install while adding the serial (udev) and Bluetooth (setcap) steps, the icon set has the
 * sizes it claims, and `npm start`'s native rebuild stops with a clear message when there is no
 * Electron binary instead of downloading one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, matchesGlob } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface BuilderConfig {
  files: string[];
  electronFuses: Record<string, boolean>;
  deb: { depends: string[]; afterInstall: string; afterRemove: string };
  linux: { icon: string };
}
const config = parse(readFileSync('electron-builder.yml', 'utf8')) as BuilderConfig;
type LockEntry = { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
const lock = (
  JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockEntry> }
).packages;

/** The modules `npm start` rebuilds for Electron (NATIVE_MODULES in scripts/electron-native.mjs). */
const NATIVE_MODULES = [
  ...(
    /NATIVE_MODULES = \[([^\]]*)\]/.exec(readFileSync('scripts/electron-native.mjs', 'utf8'))?.[1] ?? ''
  ).matchAll(/'([^']+)'/g),
].map((m) => m[1]!);

/** Needed only to install or build a native module, never loaded by the app. */
const INSTALL_TIME = new Set(['prebuild-install', '@mapbox/node-pre-gyp', 'node-gyp']);
/** Bluetooth over a USB dongle without a kernel driver: off (its install script is not allowed). */
const NOT_SHIPPED = new Set(['usb']);

function runtimeClosure(roots: string[]): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name) || INSTALL_TIME.has(name) || NOT_SHIPPED.has(name)) return;
    const entry = lock[`node_modules/${name}`];
    if (entry === undefined) throw new Error(`${name} is not in package-lock.json`);
    seen.add(name);
    for (const dep of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) visit(dep);
  };
  roots.forEach(visit);
  return [...seen].sort();
}

/** The packages scripts/build-electron.mjs leaves out of the bundle (globs and electron aside). */
function bundleExternals(): string[] {
  const text = readFileSync('scripts/build-electron.mjs', 'utf8');
  const list = /const external = \[([^\]]*)\]/.exec(text)?.[1] ?? '';
  return [...list.matchAll(/'([^']+)'/g)]
    .map((m) => m[1]!)
    .filter((name) => name !== 'electron' && !name.endsWith('/*') && !NOT_SHIPPED.has(name));
}

/** The raw `external` list of scripts/build-electron.mjs (globs included). */
function rawExternals(): string[] {
  const list =
    /const external = \[([^\]]*)\]/.exec(readFileSync('scripts/build-electron.mjs', 'utf8'))?.[1] ?? '';
  return [...list.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
}

/** Optional imports the app does without: Negotiate (Kerberos) proxy sign-in, in proxy-agent-negotiate. */
const OPTIONAL_NOT_SHIPPED = new Set(['kerberos']);

function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(path);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('the packaged app', () => {
  it('carries from node_modules exactly the runtime closure of the modules the bundle leaves external', () => {
    const packed = config.files
      .filter((f) => f.startsWith('node_modules/') && f.endsWith('/**'))
      .map((f) => f.slice('node_modules/'.length, -'/**'.length))
      .sort();
    expect(bundleExternals().sort()).toEqual(['@abandonware/noble', 'better-sqlite3', 'serialport']);
    expect(packed).toEqual(runtimeClosure(bundleExternals()));
    expect(config.files).toContain('!node_modules/**');
    expect(NATIVE_MODULES).toHaveLength(3);
    for (const native of NATIVE_MODULES) {
      expect(packed).toContain(native);
      expect(existsSync(join('node_modules', native, 'binding.gyp')), native).toBe(true);
    }
  });

  it('needs at run time nothing from node_modules but what it carries', async () => {
    const packed = new Set(
      config.files
        .filter((f) => f.startsWith('node_modules/') && f.endsWith('/**'))
        .map((f) => f.slice('node_modules/'.length, -'/**'.length)),
    );
    const result = await build({
      entryPoints: ['main/electron/main.ts', 'preload/index.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node22',
      write: false,
      metafile: true,
      logLevel: 'silent',
      outdir: 'out-not-written',
      external: rawExternals(),
    });
    const imported = new Set<string>();
    for (const output of Object.values(result.metafile.outputs))
      for (const i of output.imports) if (i.external) imported.add(i.path);
    const fromNodeModules = [...imported].filter(
      (name) => !isBuiltin(name) && name !== 'electron' && !OPTIONAL_NOT_SHIPPED.has(name),
    );
    expect(fromNodeModules.length).toBeGreaterThan(0);
    for (const name of fromNodeModules) expect(packed, name).toContain(name);
  });

  it("keeps every packed module's entry file: no exclusion pattern removes it", () => {
    const exclusions = config.files.filter((f) => f.startsWith('!node_modules/**/')).map((f) => f.slice(1));
    expect(exclusions.length).toBeGreaterThan(0);
    const packed = config.files.filter((f) => f.startsWith('node_modules/') && f.endsWith('/**'));
    for (const folder of packed.map((f) => f.slice(0, -'/**'.length))) {
      const pkg = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { main?: string };
      const main = join(folder, pkg.main ?? 'index.js');
      for (const candidate of [main, `${main}.js`, join(main, 'index.js')].filter((p) => existsSync(p)))
        for (const pattern of exclusions)
          expect(matchesGlob(candidate, pattern), `${pattern} drops ${candidate}`).toBe(false);
    }
  });

  it('flips the fuses that would let the binary run other code', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
    });
    // kept only while the UI is loaded from file:// (its ES modules need file://'s privileges)
    const loadsFromFile = readFileSync('main/electron/main.ts', 'utf8').includes('.loadFile(');
    expect(config.electronFuses.grantFileProtocolExtraPrivileges).toBe(loadsFromFile);
  });

  it("keeps electron-builder's own deb dependencies and post-install steps, and adds serial and Bluetooth access", () => {
    const fpm = readFileSync('node_modules/app-builder-lib/out/targets/FpmTarget.js', 'utf8');
    const defaults = /case "deb":\s*return (\[[^\]]*\])/.exec(fpm)?.[1];
    expect(config.deb.depends).toEqual(expect.arrayContaining(JSON.parse(defaults!) as string[]));
    expect(config.deb.depends).toEqual(expect.arrayContaining(['libudev1', 'libcap2-bin']));
    for (const [ours, template] of [
      [config.deb.afterInstall, 'after-install.tpl'],
      [config.deb.afterRemove, 'after-remove.tpl'],
    ] as const) {
      const script = readFileSync(ours, 'utf8');
      const theirs = readFileSync(join('node_modules/app-builder-lib/templates/linux', template), 'utf8');
      for (const line of theirs.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#!')))
        expect(script, `${ours} lacks: ${line}`).toContain(line);
      const syntax = spawnSync('bash', ['-n', ours], { encoding: 'utf8' });
      expect(syntax.status, syntax.stderr).toBe(0);
    }
    const install = readFileSync(config.deb.afterInstall, 'utf8');
    const spec = readFileSync('../shared/specs/ecg12-serial-protocol.md', 'utf8');
    const [, vid, pid] = /USB vendor id `(\w+)`, product id `(\w+)`/.exec(spec) ?? [];
    expect(install).toContain(
      `ATTRS{idVendor}=="${vid!.toLowerCase()}", ATTRS{idProduct}=="${pid!.toLowerCase()}"`,
    );
    expect(install).toMatch(/GROUP="dialout", MODE="0660", TAG\+="uaccess"/);
    expect(install).toContain(`setcap 'cap_net_raw,cap_net_admin+eip' "$APP_DIR/\${executable}"`);
    expect(readFileSync(config.deb.afterRemove, 'utf8')).toContain(
      '/etc/udev/rules.d/60-pulsewatch-ecg12.rules',
    );
  });

  it('has an icon set of the sizes its file names give', () => {
    expect(pngSize('build/icon.png')).toEqual({ width: 1024, height: 1024 });
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512])
      expect(pngSize(join(config.linux.icon, `${size}x${size}.png`))).toEqual({ width: size, height: size });
  });
});

describe('npm start without an Electron binary', () => {
  it.skipIf(existsSync('node_modules/electron/path.txt'))(
    'stops with what to do instead, downloads nothing and rebuilds nothing',
    () => {
      const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
      expect(pkg.scripts.prestart).toBe('node scripts/electron-native.mjs');
      expect(pkg.scripts.postinstall).toBeUndefined();
      const run = spawnSync(process.execPath, ['scripts/electron-native.mjs'], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '' },
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/Electron [\d.]+ binary is not installed.*npm run edge/s);
      expect(`${run.stdout}${run.stderr}`).not.toMatch(/Downloading|rebuilding/);
      expect(existsSync('node_modules/.cache/pulsewatch/native-abi.json')).toBe(false);
    },
  );
});
