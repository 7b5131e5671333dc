import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// The client is a Vite app rooted here; it builds into dist/client at the repository root, which the
// server serves in production. In development the server mounts Vite as middleware with this file.
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('../dist/client', import.meta.url)),
    emptyOutDir: true,
    // pixi.js is big; one chunk per screen family keeps the first paint of the join page small.
    chunkSizeWarningLimit: 1500,
    sourcemap: true,
  },
  server: {
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
  },
});
