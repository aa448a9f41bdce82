// `npm start` where Electron's runtime is missing: browser mode in an app window of the installed
// Chromium, under a real X display (Xvfb). The UI it shows is the one `npm ci` built: this test never
// builds it, so a postinstall that skipped the build fails here.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRoot } from '../../src-main/shared/paths.js';
import { screenshotDir } from '../helpers/browser.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasXvfb = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v Xvfb'], { stdio: 'ignore' });
    return fs.existsSync(CHROMIUM);
  } catch {
    return false;
  }
})();

/** Resolves when `check` returns a value; polls a file-system condition the process under test sets. */
async function until<T>(check: () => T | undefined, what: string, timeoutMs = 90_000): Promise<T> {
  for (const started = Date.now(); Date.now() - started < timeoutMs; await new Promise((r) => setTimeout(r, 100))) {
    const value = check();
    if (value !== undefined) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(!hasXvfb)('npm start without Electron: an app window', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-start-'));
  let xvfb: ChildProcess;
  let start: ChildProcess;
  let display: string;

  beforeAll(async () => {
    // -displayfd: Xvfb picks a free display and writes its number once it accepts connections.
    xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1440x900x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
    const [chunk] = (await once(xvfb.stdio[3] as NodeJS.ReadableStream, 'data')) as [Buffer];
    display = `:${chunk.toString().trim()}`;
  });
  afterAll(async () => {
    if (start && start.exitCode === null) {
      start.kill('SIGTERM');
      await once(start, 'exit');
    }
    xvfb?.kill();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('opens the app in a Chromium app window and closes it when stopped', async () => {
    start = spawn(process.execPath, ['build/start.js', '--port', '0', '--db', path.join(home, 'catalog.db')], {
      cwd: appRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        DISPLAY: display,
        LOOKALIKE_HOME: home,
        LOOKALIKE_BROWSER_MODE: '1',
        LOOKALIKE_BROWSER: CHROMIUM,
        // Lets the test look inside the window; the port is written to the profile's DevToolsActivePort.
        LOOKALIKE_BROWSER_FLAGS: '--remote-debugging-port=0 --disable-gpu --disable-background-networking --disable-component-update --disable-sync',
      },
    });
    let stderr = '';
    start.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const profile = await until(() => fs.readdirSync(home).find((d) => d.startsWith('lookalike-window-')), 'the window profile');
    const portFile = path.join(home, profile, 'DevToolsActivePort');
    const port = await until(() => (fs.existsSync(portFile) ? fs.readFileSync(portFile, 'utf8').split('\n')[0] || undefined : undefined), 'the browser window');
    expect(stderr).toMatch(/Opening Lookalike in chromium/);

    const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
    try {
      const page = await until(() => browser.contexts()[0]?.pages().find((p) => p.url().startsWith('http://127.0.0.1')), 'the app page');
      // The app itself, not "the UI is not built" or a token error.
      await page.getByRole('navigation', { name: 'Main' }).waitFor({ timeout: 60_000 });
      await expect.poll(() => page.locator('footer').innerText(), { timeout: 60_000 }).toMatch(/0 listings/);
      expect(await page.title()).toMatch(/Lookalike/);
      fs.mkdirSync(screenshotDir, { recursive: true });
      await page.screenshot({ path: path.join(screenshotDir, 'start-window.png') });
    } finally {
      await browser.close().catch(() => undefined);
    }
    start.kill('SIGTERM');
    const [code] = await once(start, 'exit');
    expect(code).toBe(0);
  }, 240_000);
});
