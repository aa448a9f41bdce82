// Type-checks the project; the Electron shell too where the electron package (and its types) installed.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const run = (project) => execFileSync(process.execPath, [tsc, '--noEmit', '-p', project], { stdio: 'inherit' });

run('tsconfig.json');
try {
  require.resolve('electron/electron.d.ts');
  run('tsconfig.electron.json');
} catch (err) {
  if (err.code !== 'MODULE_NOT_FOUND') throw err;
  console.log('typecheck: electron is not installed here, so src-main/app was not type-checked');
}
