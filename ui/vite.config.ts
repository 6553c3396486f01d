/// <reference types="node" />
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

// Tauri serves ui/dist itself; `npm run dev` serves on the port Tauri's devUrl expects, and
// in a browser talks to the dev server (`walletdesk-dev --port 1421`) through the proxy.
const DEV_SERVER = `http://127.0.0.1:${process.env.WALLETDESK_DEV_PORT ?? '1421'}`;

/**
 * Tauri freezes Object.prototype (tauri.conf.json `freezePrototype`), and ECharts' scheduler
 * copies every enumerable method name of a tslib class, `constructor` included, onto plain
 * objects at import time: plain assignment to a name the frozen prototype has throws, and the
 * Insights page would not load. Defining the property instead is the same object and
 * works under the freeze. Fails the build if ECharts changes the line, so an upgrade is
 * looked at rather than silently broken.
 */
function echartsUnderFrozenPrototype(): Plugin {
  const line = 'target[name_1] = noop;';
  return {
    name: 'echarts-under-frozen-prototype',
    transform(code, id) {
      if (!id.replaceAll('\\', '/').endsWith('/echarts/lib/core/Scheduler.js')) return null;
      if (!code.includes(line)) throw new Error(`${id}: ECharts changed; check it under a frozen Object.prototype`);
      return code.replace(
        line,
        'Object.defineProperty(target, name_1, { value: noop, writable: true, configurable: true, enumerable: true });',
      );
    },
  };
}

export default defineConfig({
  plugins: [react(), echartsUnderFrozenPrototype()],
  clearScreen: false,
  server: { port: 1420, strictPort: true, proxy: { '/invoke': DEV_SERVER } },
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 2000,
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    // One dev server for the run (the real core, crates/devserver); a world per test.
    globalSetup: ['./src/test/globalSetup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    testTimeout: 40000,
  },
});
