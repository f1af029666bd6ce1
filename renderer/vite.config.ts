import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

/**
 * Builds the renderer (index.html → dist/renderer) and, as a second entry, the edge bootstrap
 * (`preload/edge-bootstrap.ts` → dist/renderer/gateway-bootstrap.js) that the edge host injects
 * before the renderer's script.
 */
export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(root, '../dist/renderer'),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        index: resolve(root, 'index.html'),
        'gateway-bootstrap': resolve(root, '../preload/edge-bootstrap.ts'),
      },
      output: {
        entryFileNames: (chunk) =>
          chunk.name === 'gateway-bootstrap' ? 'gateway-bootstrap.js' : 'assets/[name]-[hash].js',
      },
    },
  },
});
