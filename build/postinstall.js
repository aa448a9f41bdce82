// Runs after `npm install` / `npm ci`: compiles the CLI and builds the React UI once, so `npm start`
// and `npx lookalike` work with no build step. A failed build fails the install.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const node = (...args) => execFileSync(process.execPath, args, { stdio: 'inherit' });

node(path.join(import.meta.dirname, 'compile-cli.js'));

let vitePackage;
try {
  // vite's `exports` allow its package.json but not bin/vite.js: find the CLI through `bin`.
  vitePackage = require.resolve('vite/package.json');
} catch (err) {
  if (err.code !== 'MODULE_NOT_FOUND') throw err;
  // Installed without devDependencies (npm install --omit=dev): the UI was built beforehand.
  console.log('postinstall: vite is not installed (production install), the UI is not rebuilt');
  process.exit(0);
}
node(path.join(path.dirname(vitePackage), require(vitePackage).bin.vite), 'build', '--config', 'src-renderer/vite.config.ts', '--logLevel', 'warn');
