import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Tauri serves ui/dist itself; `npm run dev` serves on the port Tauri's devUrl expects.
export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 2000,
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    testTimeout: 40000,
  },
});
