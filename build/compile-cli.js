// Compiles src-main to plain JavaScript in dist/cli, file by file with the same folder layout, so the
// CLI and the backend it forks start without compiling TypeScript (bin/lookalike.js uses this tree
// while it is newer than every source file, and the sources through tsx otherwise).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src-main');
const out = path.join(root, 'dist', 'cli');

fs.rmSync(out, { recursive: true, force: true });
let files = 0;
for (const rel of fs.readdirSync(src, { recursive: true, encoding: 'utf8' })) {
  // The Electron shell is bundled by electron-vite; everything else runs under plain Node.
  if (!rel.endsWith('.ts') || rel.startsWith(`app${path.sep}`)) continue;
  const code = fs.readFileSync(path.join(src, rel), 'utf8');
  const js = await transform(code, { loader: 'ts', format: 'esm', target: 'node22', sourcefile: rel, sourcemap: 'inline' });
  const target = path.join(out, rel.replace(/\.ts$/, '.js'));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, js.code);
  files++;
}
// Written last: its time says when the whole tree was complete.
fs.writeFileSync(path.join(out, 'BUILT'), `${files} files from src-main\n`);
