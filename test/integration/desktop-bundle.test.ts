// The desktop app as it ships. electron-vite builds out/; the backend the desktop app forks
// (out/main/backend.js) is started as its own Node process from that layout and driven through the
// API; then electron-builder packs the app with the project's config (a stand-in for Electron's
// binary, which cannot be downloaded here) and the same backend runs from the packaged layout:
// code from app.asar, native modules unpacked beside it, resources outside the asar.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { extractAll, listPackage } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendClient, forkNodeBackend } from '../../src-main/backend/client.js';
import { appRoot } from '../../src-main/shared/paths.js';

const require = createRequire(import.meta.url);
const binOf = (pkg: string, bin: string) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), bin);
const pkg = JSON.parse(fs.readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
const NATIVE = ['onnxruntime-node', 'sharp', 'usearch', 'better-sqlite3'];

/** Starts a backend from a built entry file and drives it through a demo import, a search and a duplicates run. */
async function driveBackend(entry: string, home: string): Promise<void> {
  const client = new BackendClient({
    dbPath: path.join(home, 'catalog.db'),
    env: { LOOKALIKE_HOME: home },
    spawn: (env) => forkNodeBackend(env, { file: entry, execArgv: [] }),
  });
  try {
    const status = (await client.call('app.status', {})) as { version: string; dbPath: string; models: { id: string }[] };
    expect(status.version).toBe(pkg.version);
    expect(status.dbPath).toBe(path.join(home, 'catalog.db'));
    expect(status.models.map((m) => m.id)).toEqual(expect.arrayContaining(['demo-siglip', 'demo-clip']));

    const imported = (await client.call('catalog.loadDemo', {})) as { indexed: number; failedCount: number };
    expect(imported.indexed).toBeGreaterThan(100);
    expect(imported.failedCount).toBe(0);

    const search = (await client.call('search.query', { text: 'red striped mug', k: 5 })) as { results: { listing: { title: string } | null }[] };
    expect(search.results).toHaveLength(5);
    expect(search.results[0]?.listing?.title.toLowerCase()).toContain('mug');

    const dupes = (await client.call('duplicates.find', { tier: 'near' })) as { groups: unknown[] };
    expect(dupes.groups.length).toBeGreaterThan(0);
    // CSV export: csv-stringify is required on first use, from wherever the bundle sits (app.asar too).
    const csv = (await client.call('duplicates.export', { tier: 'near', format: 'csv' })) as { text: string };
    expect(csv.text.split('\r\n')[0]).toMatch(/^group,tier,/);

    // Error codes survive the process boundary (the desktop IPC envelope relies on them).
    await expect(client.call('catalog.thumbnail', { sha256: '0'.repeat(64) })).rejects.toMatchObject({ code: 'not_found' });
  } finally {
    await client.close();
  }
}

describe('desktop bundle', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-bundle-'));

  beforeAll(() => {
    // Builds main, preload and renderer exactly as `npm start` and `npm run dist` do; a broken bundle fails here.
    execFileSync(process.execPath, [binOf('electron-vite', 'bin/electron-vite.js'), 'build', '--logLevel', 'warn'], { cwd: appRoot, stdio: 'pipe' });
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('builds the main process, the backend, the preload bridge and the renderer', () => {
    for (const file of ['out/main/index.js', 'out/main/backend.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
      expect(fs.existsSync(path.join(appRoot, file)), file).toBe(true);
    }
  });

  it('decodes on a worker thread from the bundle, as in the sources', async () => {
    // engine/decode-pool.ts starts its worker on the preprocessing module beside the running code.
    const { ImagePreprocessor } = (await import(pathToFileURL(path.join(appRoot, 'out', 'main', 'preprocess.js')).href)) as typeof import('../../src-main/engine/preprocess.js');
    expect(typeof ImagePreprocessor).toBe('function');
    expect(fs.readFileSync(path.join(appRoot, 'out', 'main', 'backend.js'), 'utf8')).toContain('./preprocess${');
  });

  // A demo import on a machine whose cores are busy elsewhere takes minutes, not seconds.
  it('runs the bundled backend from out/ with plain Node', async () => {
    await driveBackend(path.join(appRoot, 'out', 'main', 'backend.js'), path.join(tmp, 'home-out'));
  }, 600_000);

  it('packs an app whose asar holds the bundle, with native modules unpacked and resources beside it', async () => {
    const standIn = path.join(tmp, 'electron-dist');
    fs.mkdirSync(standIn);
    fs.writeFileSync(path.join(standIn, 'electron'), '#!/bin/sh\n', { mode: 0o755 });
    const release = path.join(tmp, 'release');
    execFileSync(
      process.execPath,
      [binOf('electron-builder', 'cli.js'), '--linux', 'dir', `-c.electronDist=${standIn}`, '-c.electronVersion=45.5.0', `-c.directories.output=${release}`],
      { cwd: appRoot, stdio: 'pipe' },
    );
    const resources = path.join(release, 'linux-unpacked', 'resources');
    const asar = path.join(resources, 'app.asar');
    const files = listPackage(asar, { isPack: false }).map((f) => f.replaceAll(path.sep, '/'));
    for (const f of ['/package.json', '/out/main/index.js', '/out/main/backend.js', '/out/preload/index.cjs', '/out/renderer/index.html']) expect(files).toContain(f);
    // Only the bundle: no sources, tests or tools.
    expect(files.filter((f) => /^\/(src-main|src-renderer|test|tools|resources)\//.test(f))).toEqual([]);
    // Every runtime dependency is packed, and every package the bundle imports is one of them.
    for (const dep of Object.keys(pkg.dependencies)) expect(files, dep).toContain(`/node_modules/${dep}/package.json`);
    const bundle = ['index.js', 'backend.js'].map((f) => fs.readFileSync(path.join(appRoot, 'out', 'main', f), 'utf8')).join('\n');
    const imported = new Set([...bundle.matchAll(/(?:from |import\(|require\()\s*["']([^"'.][^"']*)["']/g)].map((m) => (m[1] as string).split('/').slice(0, (m[1] as string).startsWith('@') ? 2 : 1).join('/')));
    for (const name of imported) {
      if (name.startsWith('node:') || name === 'electron' || require('node:module').builtinModules.includes(name)) continue;
      expect(files, `${name} is imported by the bundle`).toContain(`/node_modules/${name}/package.json`);
    }
    // Native binaries for this platform are real files beside the asar; other platforms' are left out.
    const unpacked = fs.readdirSync(`${asar}.unpacked`, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.node'));
    for (const m of NATIVE) expect(unpacked.some((f) => f.includes(`${m === 'sharp' ? '@img/sharp-linux-x64' : m}/`) && f.includes('x64'))).toBe(true);
    expect(unpacked.filter((f) => /darwin|win32/.test(f))).toEqual([]);
    expect(fs.existsSync(path.join(resources, 'resources', 'models', 'demo-siglip'))).toBe(true);
    expect(fs.existsSync(path.join(resources, 'resources', 'demo-catalog', 'listings.csv'))).toBe(true);

    // The packaged layout, read the way Electron reads it (the asar's files plus the unpacked ones,
    // at the same paths), runs: version, models and demo catalog are found from inside app.asar.
    const layout = path.join(tmp, 'packaged', 'resources');
    extractAll(asar, path.join(layout, 'app.asar'));
    fs.cpSync(path.join(resources, 'resources'), path.join(layout, 'resources'), { recursive: true });
    await driveBackend(path.join(layout, 'app.asar', 'out', 'main', 'backend.js'), path.join(tmp, 'home-packaged'));
  }, 600_000);
});
