import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

/**
 * Builds the web viewer the ingest server serves at `/` (renderer/viewer/index.html →
 * dist/viewer). Absolute asset paths: the viewer routes in the URL hash, so every page is `/`.
 */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: resolve(root, '../../dist/viewer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
});
