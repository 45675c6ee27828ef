// Builds the dashboard (dashboard/) into dist/, which the server serves at /. The entry chunk holds
// only what the headline tiles need; vega, CodeMirror, Arrow and ExcelJS arrive through dynamic
// import() after the tiles render, each in its own chunk (the 150 KB gzipped budget of issue 5).
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// Absolute, so a build started from any folder (the tests' globalSetup, the benchmark) finds it.
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('./dashboard'),
  base: '/',
  plugins: [svelte({ configFile: false })],
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    target: 'es2022',
    // vega and ExcelJS are large by nature; they load on demand, so their size is not a warning.
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false,
  },
  server: {
    // `npx vite` during development: the API and SSE come from a running `npm run serve`.
    proxy: { '/api': { target: process.env.API ?? 'http://127.0.0.1:8080', changeOrigin: false } },
  },
});
