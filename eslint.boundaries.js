// @ts-check
/**
 * Import boundaries (DESIGN.md "Layout"): each top-level folder is one side of one boundary and
 * the arrows go one way. ESLint's own `no-restricted-imports` enforces them, one block per
 * folder (a later block for the same files replaces the rule, so each block lists everything
 * its folder may not import).
 */
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

/** @param {{ files: string[], ignores?: string[], folders: Record<string, string>, paths?: object[], builtins?: string }} spec */
function boundary(spec) {
  const patterns = Object.entries(spec.folders).map(([folder, message]) => ({
    group: ourFolder(folder),
    message,
  }));
  if (spec.builtins !== undefined) patterns.push({ group: nodeBuiltins, message: spec.builtins });
  return {
    files: spec.files,
    ...(spec.ignores === undefined ? {} : { ignores: spec.ignores }),
    rules: { 'no-restricted-imports': ['error', { paths: spec.paths ?? [electronOnlyInShell], patterns }] },
  };
}

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
      'server-contract': 'The renderer gets its types from preload/.',
    },
    paths: [{ name: 'electron', message: 'The renderer talks only to window.gateway.' }],
    builtins: 'The renderer runs in a browser: no Node built-ins.',
  }),
  boundary({
    files: ['main/**/*.ts'],
    ignores: ['main/electron/**', 'main/dsp/**'],
    folders: {
      server: 'main/ and server/ never import each other.',
      renderer: 'main/ never imports the renderer.',
      electron: 'Only the shell imports the shell.',
    },
  }),
  boundary({
    files: ['main/electron/**/*.ts'],
    folders: {
      server: 'main/ and server/ never import each other.',
      renderer: 'main/ never imports the renderer.',
    },
    paths: [],
  }),
  boundary({
    files: ['main/dsp/**/*.ts'],
    folders: {
      server: 'main/ and server/ never import each other.',
      renderer: 'dsp/ is pure.',
      devices: 'dsp/ is pure: no devices.',
      queue: 'dsp/ is pure: no I/O.',
      sync: 'dsp/ is pure: no I/O.',
      electron: 'dsp/ is pure.',
      edge: 'dsp/ is pure.',
      api: 'dsp/ is pure.',
      recorder: 'dsp/ is pure.',
      report: 'dsp/ is pure.',
    },
    paths: [{ name: 'electron', message: 'dsp/ is pure.' }],
    builtins: 'dsp/ is pure: no Node built-ins, no I/O, no clock.',
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
