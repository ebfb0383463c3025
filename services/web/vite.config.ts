/**
 * Builds the console into dist/, which the API serves (see services/cli/src/commands/serve.ts).
 * Preact's JSX is compiled by Vite's own transformer; @casn/ledger-core is bundled from its
 * TypeScript source, and its `#sha256` import resolves to the browser implementation because
 * a browser build does not match the package's "node" condition.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // One worker file for bundle verification; everything else is one small app chunk.
    chunkSizeWarningLimit: 400,
  },
  worker: { format: 'es' },
  server: { proxy: { '/v1': 'http://localhost:3000', '/metrics': 'http://localhost:3000', '/openapi.json': 'http://localhost:3000' } },
});
