// @ts-check
/**
 * Import boundaries (DESIGN.md "Layout"): each top-level folder is one side of one boundary and
 * the arrows go one way; inside main/, an allow-list in the style of vscode's layering check says
 * which of our folders each folder may import ({@link MAIN_LAYERS}).
 *
 * Enforced with typescript-eslint's `no-restricted-imports` (ESLint's own rule plus
 * `allowTypeImports`), one flat-config block per folder. A later block for the same files
 * replaces the rule, so each block lists everything its folder may not import.
 */
import tseslint from 'typescript-eslint';

const RULE = '@typescript-eslint/no-restricted-imports';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'net',
  'http',
  'https',
  'stream',
  'buffer',
  'util',
  'events',
  'worker_threads',
  'zlib',
];
/** Import specifiers that reach folder `name` from up to four levels below its parent. */
const ourFolder = (name) => [
  `../${name}/**`,
  `../../${name}/**`,
  `../../../${name}/**`,
  `../../../../${name}/**`,
];
const electronOnlyInShell = {
  name: 'electron',
  message: 'Only main/electron/ and preload/index.ts may import electron.',
};

/**
 * @typedef {{ files: string[], ignores?: string[], folders: Record<string, string>,
 *   typeOnly?: Record<string, string>, extraPatterns?: { group: string[], message: string }[],
 *   paths?: object[], builtins?: string }} BoundarySpec
 */

/** One flat-config block: `folders` may not be imported at all, `typeOnly` only with `import type`. */
function boundary(/** @type {BoundarySpec} */ spec) {
  const patterns = [
    ...Object.entries(spec.folders).map(([folder, message]) => ({ group: ourFolder(folder), message })),
    ...Object.entries(spec.typeOnly ?? {}).map(([folder, message]) => ({
      group: ourFolder(folder),
      message,
      allowTypeImports: true,
    })),
    ...(spec.extraPatterns ?? []),
  ];
  if (spec.builtins !== undefined) patterns.push({ group: nodeBuiltins, message: spec.builtins });
  return {
    files: spec.files,
    ...(spec.ignores === undefined ? {} : { ignores: spec.ignores }),
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: { [RULE]: ['error', { paths: spec.paths ?? [electronOnlyInShell], patterns }] },
  };
}

/**
 * Inside main/: which of our folders each folder may import (besides itself, preload/ and
 * server-contract/). Everything else in main/ is forbidden, so a new folder must be added here.
 * `typeOnly` folders may be imported with `import type` only. Nothing imports api/ but the two
 * hosts; dsp/ and base/ import nothing of ours; report/ reads the queue's sealed chunks and uses dsp/
 * (the API layer hands it the recording, so it never imports recorder/).
 */
export const MAIN_LAYERS = {
  api: { may: ['recorder', 'devices', 'queue', 'sync', 'report', 'base'], typeOnly: ['dsp'] },
  recorder: { may: ['devices', 'dsp', 'queue', 'base'] },
  sync: { may: ['queue', 'base'] },
  queue: { may: ['base'] },
  devices: { may: ['base'] },
  report: { may: ['queue', 'dsp', 'base'] },
  dsp: { may: [] },
  base: { may: [] },
  edge: { may: ['api', 'devices', 'base'] },
  electron: { may: ['api', 'devices', 'base'] },
};
const MAIN_FOLDERS = Object.keys(MAIN_LAYERS);

/**
 * The device tools: the simulators (only the hosts wire them in; tests drive them) and the
 * ECG-12 capture tool. Devices that play or record a signal, they may also use dsp/.
 */
const DEVICE_TOOL_FILES = [
  'main/devices/*/sim/**/*.ts',
  'main/devices/demo-simulators.ts',
  'main/devices/ecg12/capture.ts',
  'main/devices/ecg12/capture-cli.ts',
];
const noSimulators = {
  group: ['**/sim/**', '**/demo-simulators.js'],
  message:
    'Simulators are wired in by the hosts (edge/, electron/) and passed to the gateway core; never started from here.',
};

const mayNot = (/** @type {string} */ from, /** @type {string} */ to) =>
  `main/${from}/ may not import main/${to}/ (allowed: ${MAIN_LAYERS[from].may.join(', ') || 'nothing of ours'}; see MAIN_LAYERS in eslint.boundaries.js).`;

/** The block of one main/ folder: the top-level rules for main/ plus its allow-list. */
function mainLayer(/** @type {keyof typeof MAIN_LAYERS} */ name, extra = {}) {
  const layer = MAIN_LAYERS[name];
  /** @type {string[]} */
  const allowed = [name, ...layer.may, ...(layer.typeOnly ?? [])];
  const folders = {
    server: 'main/ and server/ never import each other.',
    renderer: 'main/ never imports the renderer.',
    ...Object.fromEntries(MAIN_FOLDERS.filter((f) => !allowed.includes(f)).map((f) => [f, mayNot(name, f)])),
  };
  const typeOnly = Object.fromEntries(
    (layer.typeOnly ?? []).map((f) => [f, `main/${name}/ may use main/${f}/ for types only (import type).`]),
  );
  return boundary({
    files: [`main/${name}/**/*.ts`],
    folders,
    typeOnly,
    ...(name === 'electron' ? { paths: [] } : {}),
    ...(name === 'edge' || name === 'electron' ? {} : { extraPatterns: [noSimulators] }),
    ...extra,
  });
}

const dspIsPure = 'dsp/ is pure: no Node built-ins, no I/O, no clock.';

const notContract =
  'server-contract/ is pure and shared: it imports zod and small isomorphic libraries only.';

/** The boundary rules, one flat-config block per folder (also linted against in test/unit/tooling). */
export const boundaries = [
  boundary({
    files: ['server-contract/**/*.ts'],
    folders: { main: notContract, server: notContract, preload: notContract, renderer: notContract },
    paths: [{ name: 'electron', message: notContract }],
    builtins: 'server-contract/ is pure: no Node built-ins, no I/O.',
  }),
  boundary({
    files: ['preload/**/*.ts'],
    ignores: ['preload/index.ts'],
    folders: {
      main: 'preload/ is the gateway API contract: it may use server-contract/, nothing else of ours.',
      server: 'preload/ never imports the server.',
      renderer: 'preload/ never imports the renderer.',
    },
  }),
  boundary({
    files: ['preload/index.ts'],
    folders: {
      main: 'The preload exposes the client only.',
      server: 'The preload exposes the client only.',
      renderer: 'The preload exposes the client only.',
    },
    paths: [],
  }),
  boundary({
    files: ['renderer/src/**/*.ts', 'renderer/src/**/*.tsx'],
    folders: {
      main: 'The renderer talks only to window.gateway.',
      server: 'The renderer talks only to window.gateway.',
    },
    // The page geometry (server-contract/formats/ecg-page) is the one definition of the standard
    // 12-lead page that the live view, the web viewer and the PDF report all draw.
    extraPatterns: [
      {
        regex: '^(\\.\\./)+server-contract/(?!formats/ecg-page\\.js$)',
        message:
          'The renderer gets its types from preload/ (the page geometry in server-contract/formats/ecg-page is shared).',
      },
    ],
    paths: [{ name: 'electron', message: 'The renderer talks only to window.gateway.' }],
    builtins: 'The renderer runs in a browser: no Node built-ins.',
  }),
  // The web viewer the ingest server serves: it talks only to the ingest API through the
  // contract's typed client, and draws the ECG with the gateway UI's shared module
  // (renderer/src/ecg/), saves files with its download helper and starts from its base styles,
  // nothing else of the gateway UI.
  boundary({
    files: ['renderer/viewer/**/*.ts', 'renderer/viewer/**/*.tsx'],
    ignores: ['renderer/viewer/vite.config.ts'],
    folders: {
      main: 'The viewer talks only to the ingest API (server-contract/api client).',
      server: 'The viewer talks only to the ingest API (server-contract/api client).',
      preload: 'The viewer speaks the ingest contract, not the gateway API.',
    },
    extraPatterns: [
      {
        regex: '^(\\.\\./)+src/(?!ecg/|save-file\\.js$|base\\.css$)',
        message:
          'The viewer shares the ECG drawing module (renderer/src/ecg/), the download helper (renderer/src/save-file) and the base styles (renderer/src/base.css) with the gateway UI, nothing else of it.',
      },
    ],
    paths: [{ name: 'electron', message: 'The viewer runs in a browser.' }],
    builtins: 'The viewer runs in a browser: no Node built-ins.',
  }),
  // A file of main/ outside every folder of MAIN_LAYERS (a new folder): nothing of ours in main/
  // until the folder has its row.
  boundary({
    files: ['main/**/*.ts'],
    folders: {
      server: 'main/ and server/ never import each other.',
      renderer: 'main/ never imports the renderer.',
      ...Object.fromEntries(
        MAIN_FOLDERS.map((f) => [
          f,
          `Give this folder a row in MAIN_LAYERS (eslint.boundaries.js) before it imports main/${f}/.`,
        ]),
      ),
    },
  }),
  ...MAIN_FOLDERS.filter((name) => name !== 'dsp').map((name) =>
    mainLayer(
      /** @type {keyof typeof MAIN_LAYERS} */ (name),
      name === 'devices' ? { ignores: DEVICE_TOOL_FILES } : {},
    ),
  ),
  mainLayer('dsp', { paths: [{ name: 'electron', message: 'dsp/ is pure.' }], builtins: dspIsPure }),
  // The device tools may also use dsp/ (the synthetic ECG, lead derivation for the capture).
  boundary({
    files: DEVICE_TOOL_FILES,
    folders: Object.fromEntries([
      ['server', 'main/ and server/ never import each other.'],
      ['renderer', 'main/ never imports the renderer.'],
      ...MAIN_FOLDERS.filter((f) => !['devices', 'base', 'dsp'].includes(f)).map((f) => [
        f,
        `The device tools (simulators, capture) may use devices/, base/ and dsp/ only, not main/${f}/.`,
      ]),
    ]),
  }),
  boundary({
    files: ['server/**/*.ts'],
    folders: {
      main: 'main/ and server/ never import each other.',
      renderer: 'The server never imports the renderer.',
      preload: 'The server speaks the ingest contract, not the gateway API.',
    },
  }),
];
