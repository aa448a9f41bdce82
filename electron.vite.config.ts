import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';

// Desktop build: main process + backend utilityProcess, preload, and the same renderer browser mode serves.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('src-main/app/main.ts'),
          backend: resolve('src-main/backend/entry.ts'),
          // The decode worker (engine/decode-pool.ts) imports ./preprocess.js beside the backend.
          preprocess: resolve('src-main/engine/preprocess.ts'),
        },
        external: ['better-sqlite3', 'sharp', 'onnxruntime-node'],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { index: resolve('src-main/app/preload.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: 'src-renderer',
    build: { outDir: 'out/renderer', rollupOptions: { input: resolve('src-renderer/index.html') } },
  },
});
