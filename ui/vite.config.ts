/// <reference types="node" />
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Tauri serves ui/dist itself; `npm run dev` serves on the port Tauri's devUrl expects, and
// in a browser talks to the dev server (`walletdesk-dev --port 1421`) through the proxy.
const DEV_SERVER = `http://127.0.0.1:${process.env.WALLETDESK_DEV_PORT ?? '1421'}`;

export default defineConfig({
  plugins: [react()],
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
