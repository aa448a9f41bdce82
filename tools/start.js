// `npm start`: the desktop app where the Electron runtime is installed, browser mode otherwise.
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    return require('electron'); // the path of the binary; throws when its download failed or was skipped
  } catch {
    return undefined;
  }
}

const electron = electronBinary();
const args = process.argv.slice(2);
if (electron) {
  execFileSync(process.execPath, [require.resolve('electron-vite/bin/electron-vite.js'), 'build'], { stdio: 'inherit' });
  const child = spawn(electron, ['.', ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 1));
} else {
  console.error('Electron is not installed here (its download failed or was skipped): starting browser mode instead.');
  const child = spawn(process.execPath, ['bin/lookalike.js', 'serve', ...args], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 1));
}
