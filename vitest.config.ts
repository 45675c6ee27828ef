import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';
import { TIME_ZONE } from './domain/time.ts';

// Two projects: everything in parallel as before, and the browser tests (test/e2e), which share one
// dashboard build and demo warehouse made by their globalSetup and run one file at a time — each
// starts a server and a Chromium, and two at once would only fight over this machine's cores.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    // The default output, and the name of any file a dead worker left unfinished (see the reporter).
    reporters: ['default', './test/reporters/unfinished.ts'],
    hookTimeout: 120_000,
    env: { TZ: TIME_ZONE },
    projects: [
      {
        extends: true,
        // The dashboard's rune modules (*.svelte.ts) compile as the browser build compiles them: a
        // server-side compile would turn $state into a plain field and test something the page never runs.
        plugins: [svelte({ configFile: false, dynamicCompileOptions: () => ({ generate: 'client' }) })],
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: ['node_modules/**', 'dist/**', 'test/e2e/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
