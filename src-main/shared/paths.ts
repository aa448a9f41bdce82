// Where the app's own files are, in every layout it runs in: the TypeScript sources (tsx, tests, the
// CLI during development), the electron-vite bundle in out/, and a packaged app whose code sits in
// app.asar with resources/ copied beside it (electron-builder extraResources).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder at or above `start` holding this app's package.json. */
export function findAppRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'lookalike') return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json of lookalike above ${start}`);
  }
}

/**
 * resources/ (bundled models, demo catalog) for an app root: beside the code, or, when the code is
 * packed in app.asar, in the packaged app's resources folder (the asar's own folder) where native
 * code and ONNX Runtime can open the files directly.
 */
export function resourcesDirFor(root: string): string {
  return root.endsWith('.asar') ? path.join(path.dirname(root), 'resources') : path.join(root, 'resources');
}

/** App root: package.json, dist/ and, outside a packaged app, resources/ live there. */
export const appRoot = findAppRoot(path.dirname(fileURLToPath(import.meta.url)));
export const resourcesDir = resourcesDirFor(appRoot);
