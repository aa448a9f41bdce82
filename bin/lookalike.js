#!/usr/bin/env node
// The CLI. Runs the JavaScript bundled at install (build/compile-cli.js → dist/cli) while it is
// newer than every source file; otherwise (sources edited since) straight from the TypeScript
// sources through tsx, so `npx lookalike` is always the code in src-main.
import fs from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function compiledIsCurrent() {
  let built;
  try {
    built = fs.statSync(path.join(root, 'dist', 'cli', 'BUILT')).mtimeMs;
  } catch {
    return false;
  }
  const src = path.join(root, 'src-main');
  for (const rel of fs.readdirSync(src, { recursive: true, encoding: 'utf8' })) {
    if (fs.statSync(path.join(src, rel)).mtimeMs > built) return false;
  }
  return true;
}

if (compiledIsCurrent()) {
  // V8 keeps the compiled bundle and packages on disk (in the OS temp folder): ~40 ms of each start.
  module.enableCompileCache?.();
  await import('../dist/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src-main/cli/main.ts');
}
