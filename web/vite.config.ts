/**
 * The console's build: one static bundle in web/dist, served by the local gateway at `/` (npm start)
 * and by the cloud distribution. The API is on the same origin, so no proxy or base URL is configured.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The budget test reads the manifest to find the initial chunks.
    manifest: true,
  },
  logLevel: 'warn',
});
