import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yazl from 'yazl';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ModelRegistry } from '../../src-main/engine/registry.js';
import { appRoot } from '../../src-main/shared/paths.js';

const demo = path.join(appRoot, 'resources', 'models', 'demo-siglip');
const hasDemo = fs.existsSync(path.join(demo, 'onnx', 'vision_model.onnx'));

async function zipFolder(src: string, zipPath: string, prefix: string, extra: Array<[string, string]> = []): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const entry of fs.readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    zip.addFile(full, `${prefix}${path.relative(src, full).split(path.sep).join('/')}`);
  }
  for (const [name, content] of extra) zip.addBuffer(Buffer.from(content), name);
  zip.end();
  await new Promise<void>((resolve, reject) => zip.outputStream.pipe(fs.createWriteStream(zipPath)).on('close', resolve).on('error', reject));
}

describe.skipIf(!hasDemo)('model manager', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-models-'));
  let installedDir: string;
  let registry: ModelRegistry;
  beforeEach(async () => {
    await registry?.close();
    installedDir = fs.mkdtempSync(path.join(root, 'user-'));
    registry = new ModelRegistry({ bundledDir: path.join(appRoot, 'resources', 'models'), installedDir, embedder: { provider: 'cpu', threads: 1 }, log: () => undefined });
  });
  afterAll(async () => {
    await registry?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('lists the bundled demo packs flagged as demo, demo-siglip the default', async () => {
    const { models, defaultModel } = await registry.list();
    expect(defaultModel).toBe('demo-siglip');
    const siglip = models.find((m) => m.id === 'demo-siglip')!;
    expect(siglip).toMatchObject({ family: 'siglip', dim: 128, demo: true, source: 'bundled', status: 'ok', variants: ['fp32'], isDefault: true });
    expect(siglip.sizeBytes).toBeGreaterThan(1000);
  });

  it('installs from a folder, loads it, and removes it', async () => {
    const listing = await registry.install(demo, { id: 'my-siglip' });
    expect(listing).toMatchObject({ id: 'my-siglip', source: 'installed', status: 'ok' });
    expect(fs.existsSync(path.join(installedDir, 'my-siglip', 'onnx', 'text_model.onnx'))).toBe(true);
    const [v] = await (await registry.embedder('my-siglip')).embedTexts(['red mug']);
    expect(v).toHaveLength(128);
    await expect(registry.install(demo, { id: 'my-siglip' })).rejects.toThrow(/already exists/);
    await registry.remove('my-siglip');
    expect(fs.existsSync(path.join(installedDir, 'my-siglip'))).toBe(false);
    expect((await registry.list()).models.map((m) => m.id)).toEqual(['demo-clip', 'demo-siglip']);
  });

  it('refuses to remove a bundled demo pack', async () => {
    await expect(registry.remove('demo-siglip')).rejects.toThrow(/bundled demo pack and cannot be removed/);
    await expect(registry.remove('nope')).rejects.toThrow(/no model pack "nope"/);
  });

  it('installs from a .zip that wraps the pack in a folder', async () => {
    const zipPath = path.join(root, 'packed-siglip.zip');
    await zipFolder(demo, zipPath, 'siglip-pack/');
    const listing = await registry.install(zipPath);
    expect(listing).toMatchObject({ id: 'packed-siglip', status: 'ok', family: 'siglip' });
    expect(fs.readdirSync(installedDir).filter((n) => !n.startsWith('.'))).toEqual(['packed-siglip']);
  });

  it('refuses a zip with a path-traversal entry and writes nothing', async () => {
    const zipPath = path.join(root, 'evil.zip');
    // yazl refuses to write "../" names, so write a same-length name and patch the bytes.
    await zipFolder(demo, zipPath, '', [['xx/evil.txt', 'pwned']]);
    const bytes = fs.readFileSync(zipPath);
    let at = bytes.indexOf('xx/evil.txt');
    while (at >= 0) {
      bytes.write('../evil.txt', at, 'latin1');
      at = bytes.indexOf('xx/evil.txt', at + 1);
    }
    fs.writeFileSync(zipPath, bytes);
    await expect(registry.install(zipPath)).rejects.toThrow(/"\.\.\/evil\.txt" points outside the pack folder/);
    expect(fs.existsSync(path.join(installedDir, 'evil.txt'))).toBe(false);
    expect(fs.existsSync(path.join(root, 'evil.txt'))).toBe(false);
    expect(fs.readdirSync(installedDir).filter((n) => !n.startsWith('.'))).toEqual([]);
  });

  it('refuses an incomplete pack naming the missing file, and lists a broken installed pack with its reason', async () => {
    const broken = path.join(root, 'broken-pack');
    fs.cpSync(demo, broken, { recursive: true });
    fs.rmSync(path.join(broken, 'onnx', 'text_model.onnx'));
    await expect(registry.install(broken)).rejects.toThrow(/onnx\/text_model\.onnx is missing/);

    // A pack damaged after install: the listing still works and says why.
    fs.cpSync(demo, path.join(installedDir, 'damaged'), { recursive: true });
    fs.writeFileSync(path.join(installedDir, 'damaged', 'config.json'), '{"model_type": ');
    const { models } = await registry.list();
    expect(models.find((m) => m.id === 'damaged')).toMatchObject({ status: 'broken', error: expect.stringMatching(/config\.json is corrupt/) });
    expect(models.find((m) => m.id === 'demo-siglip')?.status).toBe('ok');
    await expect(registry.embedder('damaged')).rejects.toThrow(/config\.json is corrupt/);
  });

  it('reports an ONNX file that fails to load as broken, naming it', async () => {
    fs.cpSync(demo, path.join(installedDir, 'garbled'), { recursive: true });
    const file = path.join(installedDir, 'garbled', 'onnx', 'vision_model.onnx');
    fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 5000)); // truncated download
    // Towers load on first use: the bad file is found by the first image embed.
    await expect((await registry.embedder('garbled')).embedImages([fs.readFileSync(path.join(appRoot, 'resources', 'demo-catalog', 'images', 'l0001.jpg'))])).rejects.toThrow(/onnx\/vision_model\.onnx/);
    expect((await registry.list()).models.find((m) => m.id === 'garbled')).toMatchObject({ status: 'broken', error: expect.stringMatching(/vision_model\.onnx/) });
  });

  it('finds a pack through a symbolic link in the models folder, and removing it removes only the link', async () => {
    const target = path.join(root, 'elsewhere-pack');
    fs.cpSync(demo, target, { recursive: true });
    fs.symlinkSync(target, path.join(installedDir, 'linked'));
    expect((await registry.list()).models.find((m) => m.id === 'linked')).toMatchObject({ status: 'ok', family: 'siglip' });
    await registry.remove('linked');
    expect(fs.existsSync(path.join(target, 'config.json'))).toBe(true);
    expect((await registry.list()).models.find((m) => m.id === 'linked')).toBeUndefined();
  });

  it('prefers a real SigLIP pack over the demo as default', async () => {
    fs.cpSync(demo, path.join(installedDir, 'real-siglip'), { recursive: true });
    const config = JSON.parse(fs.readFileSync(path.join(installedDir, 'real-siglip', 'config.json'), 'utf8'));
    config.lookalike.demo = false;
    fs.writeFileSync(path.join(installedDir, 'real-siglip', 'config.json'), JSON.stringify(config));
    expect((await registry.list()).defaultModel).toBe('real-siglip');
    expect((await registry.embedder()).id).toBe('real-siglip');
  });
});
