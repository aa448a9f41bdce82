// Bundles src-main for plain Node into dist/cli (or the folder given as the first argument): the CLI
// (main.js), the backend it forks (entry.js) and the decode worker's module (preprocess.js), with the
// code they share in chunks beside them, so a start neither compiles TypeScript nor resolves and reads
// some 150 source files (`lookalike embed` with a demo pack: 0.75 s compiled file by file, 0.58 s
// bundled and with the compile cache; docs/PERFORMANCE.md "Cold start").
// bin/lookalike.js uses this build while it is newer than every source file, the sources through tsx
// otherwise. Packages stay in node_modules (native ones must; the rest load as fast either way).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src-main');
const out = path.resolve(process.argv[2] ?? path.join(root, 'dist', 'cli'));

fs.rmSync(out, { recursive: true, force: true });
// One flat folder: the code finds entry.js and preprocess.js beside itself (backend/node-runtime.ts,
// engine/decode-pool.ts), from an entry or a chunk alike.
const result = await build({
  entryPoints: {
    main: path.join(src, 'cli', 'main.ts'),
    entry: path.join(src, 'backend', 'entry.ts'),
    preprocess: path.join(src, 'engine', 'preprocess.ts'),
  },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  // zod and the tokenizer are many small ES modules: bundled, they cost no resolving and reading at
  // start. Native packages and CommonJS ones stay in node_modules.
  external: ['better-sqlite3', 'onnxruntime-node', 'sharp', 'usearch', 'csv-parse', 'csv-stringify', 'yauzl', 'tsx', '@qdrant/js-client-rest'],
  chunkNames: 'chunk-[hash]',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});
const files = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js')).length;
const sources = Object.keys(result.metafile.inputs).filter((f) => f.startsWith('src-main/')).length;
// Written last: its time says when the whole build was complete.
fs.writeFileSync(path.join(out, 'BUILT'), `${sources} files from src-main in ${files} bundles\n`);
