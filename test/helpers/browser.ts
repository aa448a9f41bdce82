import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const screenshotDir = path.resolve(import.meta.dirname, '../../test-results/screenshots');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/**
 * Calls the API from inside the page, with its session cookie, as the UI does, and returns the
 * result line of the answer (progress lines before it are skipped).
 */
export async function pageApi<T = any>(page: Page, method: string, input: unknown = {}): Promise<T> {
  return page.evaluate(
    async ({ method, input }) => {
      const res = await fetch(`/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/x-ndjson' }, body: JSON.stringify(input), credentials: 'same-origin' });
      const text = await res.text();
      const last = text.trim().split('\n').map((l) => JSON.parse(l)).at(-1);
      if (!last || !('result' in last)) throw new Error(`${method} failed: ${text.slice(0, 300)}`);
      return last.result;
    },
    { method, input },
  ) as Promise<T>;
}

/** Saves a screenshot as a test artifact (test-results/screenshots/NAME.png); look at them. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

const root = path.resolve(import.meta.dirname, '../..');
const rendererSrc = path.join(root, 'src-renderer');
const builtIndex = path.join(root, 'dist/renderer/index.html');
const lockDir = path.join(root, 'dist/.renderer-build.lock');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function rendererIsFresh(): boolean {
  const built = fs.statSync(builtIndex, { throwIfNoEntry: false });
  return built !== undefined && built.mtimeMs >= newestMtime(rendererSrc);
}

/**
 * Builds the UI beside dist/renderer and swaps it in, so servers of test files running meanwhile
 * never find it half-written. The previous build's hashed assets are kept in the new one: a page
 * that loaded the old index.html still finds its scripts.
 */
function buildRendererInPlace(): void {
  const target = path.dirname(builtIndex);
  const next = `${target}-next-${process.pid}`;
  const old = `${target}-old-${process.pid}`;
  const vite = path.join(root, 'node_modules/vite/bin/vite.js');
  execFileSync(process.execPath, [vite, 'build', '--config', 'src-renderer/vite.config.ts', '--outDir', next, '--emptyOutDir', '--logLevel', 'warn'], { cwd: root, stdio: 'pipe' });
  if (fs.existsSync(path.join(target, 'assets'))) fs.cpSync(path.join(target, 'assets'), path.join(next, 'assets'), { recursive: true, force: false });
  if (fs.existsSync(target)) fs.renameSync(target, old);
  fs.renameSync(next, target);
  fs.rmSync(old, { recursive: true, force: true });
}

/**
 * Browser mode serves dist/renderer: rebuild it (vite, ~2 s) when a source file is newer. Test files
 * run in parallel, so one builds under a lock folder while the others wait for it.
 */
export async function ensureRendererBuilt(): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 180_000; ) {
    if (rendererIsFresh()) return;
    fs.mkdirSync(path.dirname(lockDir), { recursive: true });
    try {
      fs.mkdirSync(lockDir);
    } catch {
      const lock = fs.statSync(lockDir, { throwIfNoEntry: false });
      if (lock && Date.now() - lock.mtimeMs > 120_000) fs.rmSync(lockDir, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    try {
      buildRendererInPlace();
      return;
    } finally {
      fs.rmSync(lockDir, { recursive: true, force: true });
    }
  }
  throw new Error('timed out waiting for another test file to build the renderer');
}

/** Drops files on an element the way a user's drag-and-drop does: dragenter, dragover, drop with a DataTransfer. */
export async function dropFiles(
  page: Page,
  selector: string,
  files: Array<{ name: string; mime: string; bytes: Buffer }>,
  events: Array<'dragenter' | 'dragover' | 'drop'> = ['dragenter', 'dragover', 'drop'],
): Promise<void> {
  await page.evaluate(
    ({ selector, files, events }) => {
      const data = new DataTransfer();
      for (const f of files) {
        const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
        data.items.add(new File([bytes], f.name, { type: f.mime }));
      }
      const target = document.querySelector(selector);
      if (!target) throw new Error(`no drop target ${selector}`);
      for (const type of events) {
        target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
      }
    },
    { selector, events, files: files.map((f) => ({ name: f.name, mime: f.mime, b64: f.bytes.toString('base64') })) },
  );
}

/** Pastes a file as Ctrl/Cmd+V would: a paste event whose clipboardData holds the file. */
export async function pasteFile(page: Page, file: { name: string; mime: string; bytes: Buffer }): Promise<void> {
  await page.evaluate(
    ({ name, mime, b64 }) => {
      const data = new DataTransfer();
      data.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name, { type: mime }));
      document.body.dispatchEvent(new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: data }));
    },
    { name: file.name, mime: file.mime, b64: file.bytes.toString('base64') },
  );
}
