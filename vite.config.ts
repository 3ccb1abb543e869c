// The browser client's build. The page lives in client/, imports the game from shared/, and
// is built to dist/client, which the game server serves. In development (`vite`), the dev
// server forwards /colyseus (HTTP matchmaking and the room's WebSocket) to the game server.
// A build also writes compressed copies (.br, .gz) of its text files for the server to send.

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { precompressPlugin } from './server/precompress.js';

const repo = fileURLToPath(new URL('.', import.meta.url));
const gameServer = process.env.GAME_SERVER ?? 'http://localhost:2567';

export default defineConfig({
  root: 'client',
  base: './',
  publicDir: '../assets',
  plugins: [precompressPlugin()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: 'es2022',
    // Phaser alone is about 1.2 MB before gzip: keep it in its own chunk, and stop warning about it.
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      output: {
        codeSplitting: { groups: [{ name: 'phaser', test: /node_modules[\\/]phaser/ }] },
      },
    },
  },
  server: {
    port: 5173,
    fs: { allow: [repo] },
    proxy: {
      '/colyseus': {
        target: gameServer,
        ws: true,
        changeOrigin: true,
        rewrite: (path) => path.replace(/^\/colyseus/, ''),
      },
    },
  },
  preview: { port: 4173 },
});
