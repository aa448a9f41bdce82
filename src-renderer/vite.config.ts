import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The React UI, built once at install time; browser mode serves dist/renderer, the desktop app
// loads the same files (electron.vite.config.ts reuses this root).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1024,
  },
});
