// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

/**
 * Import boundaries (DESIGN.md "Layout"): each top-level folder is one side of one
 * boundary and the arrows go one way. A violation is a lint error, not a review note.
 */
const boundaryZones = [
  // server-contract/: pure, isomorphic; zod and small libraries only.
  {
    target: './server-contract',
    from: ['./main', './server', './preload', './renderer', './test', './bench'],
  },
  // preload/: the gateway API contract; may use server-contract schemas, nothing else of ours.
  { target: './preload', from: ['./main', './server', './renderer'] },
  // renderer/: talks only to window.gateway (types from preload).
  { target: './renderer', from: ['./main', './server', './server-contract'] },
  // main/ and server/ never import each other.
  { target: './main', from: ['./server', './renderer'] },
  { target: './server', from: ['./main', './renderer', './preload'] },
  // dsp/ is pure: no devices, queue, sync, electron.
  {
    target: './main/dsp',
    from: [
      './main/devices',
      './main/queue',
      './main/sync',
      './main/electron',
      './main/edge',
      './main/api',
      './main/recorder',
      './main/report',
    ],
  },
  // nothing outside main/electron imports the shell.
  { target: './main', from: ['./main/electron'], except: ['./electron'] },
];

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

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      'data/**',
      'test-results/**',
      'playwright-report/**',
      'renderer/dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // One program per runtime (see scripts/typecheck.mjs); a file is linted with its own.
        project: [
          './tsconfig.contract.json',
          './tsconfig.preload.json',
          './tsconfig.preload-electron.json',
          './tsconfig.main.json',
          './tsconfig.server.json',
          './tsconfig.renderer.json',
          './tsconfig.test.json',
        ],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/unified-signatures': 'off',
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      'import-x/no-restricted-paths': ['error', { zones: boundaryZones }],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'Only main/electron/ and preload/index.ts may import electron.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/electron/**/*.ts', 'preload/index.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['server-contract/**/*.ts', 'main/dsp/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Pure code: no electron.' }],
          patterns: [{ group: nodeBuiltins, message: 'Pure code: no Node built-ins, no I/O.' }],
        },
      ],
    },
  },
  {
    files: ['renderer/src/**/*.ts', 'renderer/src/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks only to window.gateway.' }],
          patterns: [{ group: nodeBuiltins, message: 'The renderer runs in a browser: no Node built-ins.' }],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
