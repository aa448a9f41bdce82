// Runs after `npm install`: builds the React UI once, so `npx lookalike serve` works with no build step.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let vite;
try {
  vite = require.resolve('vite/bin/vite.js');
} catch {
  // Installed without devDependencies (npm install --omit=dev): the UI was built beforehand.
  process.exit(0);
}
execFileSync(process.execPath, [vite, 'build', '--config', 'src-renderer/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
