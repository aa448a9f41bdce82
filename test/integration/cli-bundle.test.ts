import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRoot } from '../../src-main/shared/paths.js';

const run = promisify(execFile);

// The bundle `npm ci` builds (build/compile-cli.js) is what users and `.ci/run` start; the other
// suites run the sources. Built here into a folder of its own, then used the three ways it is
// started: the CLI itself, the decode worker's module (preprocess.js) and the backend it forks
// (entry.js).
describe('the bundled CLI (dist/cli)', () => {
  const out = path.join(appRoot, 'test-results', `cli-bundle-${process.pid}`);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-bundle-'));
  const env = { ...process.env, LOOKALIKE_HOME: home };
  const image = path.join(appRoot, 'resources', 'demo-catalog', 'images', 'l0001.jpg');
  const bundled = (...args: string[]) => run(process.execPath, [path.join(out, 'main.js'), ...args], { cwd: appRoot, env, maxBuffer: 16 << 20 });
  const fromSources = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src-main/cli/main.ts', ...args], { cwd: appRoot, env, maxBuffer: 16 << 20 });

  beforeAll(async () => {
    await run(process.execPath, ['build/compile-cli.js', out], { cwd: appRoot });
  }, 120_000);

  afterAll(() => {
    fs.rmSync(out, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('is a few bundles, not the source tree file by file', () => {
    const js = fs.readdirSync(out).filter((f) => f.endsWith('.js'));
    expect(js).toEqual(expect.arrayContaining(['main.js', 'entry.js', 'preprocess.js']));
    expect(fs.readdirSync(out, { withFileTypes: true }).filter((d) => d.isDirectory())).toEqual([]);
    expect(fs.readFileSync(path.join(out, 'BUILT'), 'utf8')).toMatch(/^\d+ files from src-main in \d+ bundles/);
  });

  it('prints the same vectors as the sources', async () => {
    for (const args of [
      ['embed', '--model', 'demo-clip', '--image', image],
      ['embed', '--model', 'demo-siglip', '--text', 'red ceramic mug'],
    ]) {
      const [a, b] = await Promise.all([bundled(...args), fromSources(...args)]);
      expect(JSON.parse(a.stdout)).toEqual(JSON.parse(b.stdout));
    }
  }, 120_000);

  it('imports a folder into a catalog', async () => {
    const folder = path.join(home, 'photos');
    fs.mkdirSync(folder);
    const names = fs.readdirSync(path.dirname(image)).sort().slice(0, 12);
    for (const n of names) fs.copyFileSync(path.join(path.dirname(image), n), path.join(folder, n));
    const db = path.join(home, 'catalog.db');
    const report = JSON.parse((await bundled('import', folder, '--model', 'demo-clip', '--db', db)).stdout) as { failedCount: number };
    expect(report.failedCount).toBe(0);
    const stats = JSON.parse((await bundled('catalog', 'stats', '--db', db)).stdout) as { models: Array<{ modelId: string; count: number }> };
    expect(stats.models).toEqual([expect.objectContaining({ modelId: 'demo-clip', count: 12 })]);
  }, 120_000);

  it("has the decode worker's module beside it, decoding like the sources", async () => {
    // engine/decode-pool.ts starts its worker on ./preprocess.js next to the code that runs it.
    const script = (module: string) =>
      `const { ImagePreprocessor } = await import(${JSON.stringify(module)});
       const spec = { resize: { kind: 'shortestEdge', shortestEdge: 224 }, crop: { height: 224, width: 224 }, kernel: 'cubic', height: 224, width: 224, rescale: 1 / 255, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] };
       const fs = await import('node:fs');
       const pixels = await new ImagePreprocessor(spec).batch([fs.readFileSync(${JSON.stringify(image)})]);
       process.stdout.write(String(pixels.reduce((a, b) => a + b, 0)));`;
    const [a, b] = await Promise.all([
      run(process.execPath, ['--input-type=module', '-e', script(pathToFileURL(path.join(out, 'preprocess.js')).href)], { cwd: appRoot }),
      run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(pathToFileURL(path.join(appRoot, 'src-main/engine/preprocess.ts')).href)], { cwd: appRoot }),
    ]);
    expect(Number(a.stdout)).not.toBeNaN();
    expect(a.stdout).toBe(b.stdout);
  }, 120_000);

  it('serves browser mode with the backend it forks', async () => {
    const child = spawn(process.execPath, [path.join(out, 'main.js'), 'serve', '--port', '0', '--db', path.join(home, 'serve.db')], { cwd: appRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (d: Buffer) => {
          text += d.toString();
          if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      const url = new URL((JSON.parse(line) as { url: string }).url);
      const res = await fetch(`${url.origin}/api/models.embed`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${url.searchParams.get('token')}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ model: 'demo-siglip', text: 'red ceramic mug' }),
      });
      expect(res.status).toBe(200);
      const body = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as { result?: { dim: number } });
      expect(body.at(-1)?.result?.dim).toBe(128);
    } finally {
      child.kill('SIGINT');
      if (child.exitCode === null) await once(child, 'exit');
    }
  }, 120_000);
});
