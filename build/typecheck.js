// Type-checks the project: the Node side and renderer (tsconfig.json), then the Electron shell
// (tsconfig.electron.json, against electron's own types, a devDependency).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
for (const project of ['tsconfig.json', 'tsconfig.electron.json']) {
  execFileSync(process.execPath, [tsc, '--noEmit', '-p', project], { stdio: 'inherit' });
}
