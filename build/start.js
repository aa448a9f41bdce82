// `npm start`: the desktop app where the Electron runtime is installed; otherwise browser mode,
// opened in an app window of an installed Chromium-family browser (Chromium, Chrome, Edge, Brave)
// with a private profile, or, with none of them, as a URL to open.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

function electronBinary() {
  try {
    return require('electron'); // the binary's path; fetched on first use, throws where that fails
  } catch {
    return undefined;
  }
}

/** The first Chromium-family browser found: LOOKALIKE_BROWSER, then the usual places per OS. */
function findBrowser(env = process.env, platform = process.platform) {
  if (env.LOOKALIKE_BROWSER) return fs.existsSync(env.LOOKALIKE_BROWSER) ? env.LOOKALIKE_BROWSER : undefined;
  const candidates = [];
  if (platform === 'win32') {
    for (const base of [env.LOCALAPPDATA, env.PROGRAMFILES, env['PROGRAMFILES(X86)']].filter(Boolean)) {
      candidates.push(
        path.join(base, 'Google', 'Chrome', 'Application', 'chrome.exe'),
        path.join(base, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
        path.join(base, 'Chromium', 'Application', 'chrome.exe'),
        path.join(base, 'BraveSoftware', 'Brave-Browser', 'Application', 'brave.exe'),
      );
    }
  } else if (platform === 'darwin') {
    for (const app of ['Google Chrome', 'Chromium', 'Microsoft Edge', 'Brave Browser']) candidates.push(`/Applications/${app}.app/Contents/MacOS/${app}`);
  } else {
    // Without a display there is no window to open.
    if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return undefined;
    const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
    for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge', 'brave-browser']) {
      for (const dir of dirs) candidates.push(path.join(dir, name));
    }
  }
  return candidates.find((file) => fs.existsSync(file));
}

/** A window showing `url` and nothing else: app mode, its own profile (no tabs, extensions or history of the user's). */
function openAppWindow(browser, url) {
  const profile = path.join(process.env.LOOKALIKE_HOME ?? os.tmpdir(), `lookalike-window-${process.getuid?.() ?? 'user'}`);
  const flags = [`--app=${url}`, `--user-data-dir=${profile}`, '--no-first-run', '--no-default-browser-check', '--window-size=1320,860'];
  // Chromium refuses to run as root without this (containers, CI).
  if (process.getuid?.() === 0) flags.push('--no-sandbox');
  if (process.env.LOOKALIKE_BROWSER_FLAGS) flags.push(...process.env.LOOKALIKE_BROWSER_FLAGS.split(' ').filter(Boolean));
  return spawn(browser, flags, { stdio: 'ignore' });
}

function browserMode() {
  const server = spawn(process.execPath, ['bin/lookalike.js', 'serve', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let window;
  let stopping = false;
  // Ctrl+C, or the window closed: stop the server, then exit cleanly once it has.
  const stop = () => {
    stopping = true;
    window?.kill();
    server.kill('SIGTERM');
  };
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, stop);
  server.on('exit', (code) => {
    window?.kill();
    process.exit(stopping ? 0 : (code ?? 1));
  });
  // serve prints {"url", "port"} on stdout once it listens.
  readline.createInterface({ input: server.stdout }).once('line', (line) => {
    process.stdout.write(`${line}\n`);
    const { url } = JSON.parse(line);
    const browser = findBrowser();
    if (!browser || process.env.LOOKALIKE_NO_WINDOW) {
      console.error(`Open ${url} in your browser.`);
      return;
    }
    console.error(`Opening Lookalike in ${path.basename(browser)}; close the window to stop.`);
    window = openAppWindow(browser, url);
    window.on('exit', stop);
  });
}

// LOOKALIKE_BROWSER_MODE=1: browser mode even where Electron is installed.
const electron = process.env.LOOKALIKE_BROWSER_MODE ? undefined : electronBinary();
if (electron) {
  // electron-vite's `exports` hide its bin script: find it through its package.json.
  const electronVite = path.join(path.dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  execFileSync(process.execPath, [electronVite, 'build'], { stdio: 'inherit' });
  const child = spawn(electron, ['.', ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 1));
} else {
  console.error('The Electron runtime is not installed here (its download failed or was skipped): starting browser mode.');
  browserMode();
}
