import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appRoot } from '../../src-main/shared/paths.js';
import { cli } from '../helpers/cli.js';
import { setEnv } from '../helpers/env.js';

const hasDemo = fs.existsSync(path.join(appRoot, 'resources', 'models', 'demo-siglip', 'onnx', 'vision_model.onnx'));

describe.skipIf(!hasDemo)('lookalike models / embed', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-cli-'));
  const restoreEnv = setEnv({ LOOKALIKE_HOME: home, LOOKALIKE_PROVIDER: 'cpu' });
  afterAll(() => {
    restoreEnv();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('embed --text prints an L2-normalised vector of the pack dimension', async () => {
    const { code, stdout } = await cli(['embed', '--text', 'Red striped ceramic mug']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { model: string; dim: number; vector: number[] };
    expect(Object.keys(out)).toEqual(['model', 'dim', 'vector']);
    expect(out.model).toBe('demo-siglip');
    expect(out.vector).toHaveLength(out.dim);
    expect(Math.hypot(...out.vector)).toBeCloseTo(1, 5);
  });

  it('embed --image with --model', async () => {
    const { code, stdout } = await cli(['embed', '--model', 'demo-clip', '--image', path.join(appRoot, 'resources', 'demo-catalog', 'images', 'l0001.jpg')]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { model: string; dim: number; vector: number[] };
    expect(out).toMatchObject({ model: 'demo-clip', dim: 128 });
    expect(Math.hypot(...out.vector)).toBeCloseTo(1, 5);
  });

  it.each([
    [['embed'], /exactly one of --image FILE or --text/],
    [['embed', '--text', 'a', '--image', 'b.jpg'], /exactly one/],
    [['embed', '--text', 'a', '--provider', 'gpu'], /unknown execution provider "gpu"/],
    [['embed', '--image', '/no/such/file.jpg'], /cannot read image file/],
    [['models', 'frobnicate'], /unknown models action/],
    [['models', 'install'], /exactly one source/],
    [['models', 'install', 'not a source'], /not a folder, a \.zip file or a Hugging Face repo id/],
  ])('bad usage %j exits 2 with a one-line message', async (args, message) => {
    const { code, stderr, stdout } = await cli(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  it('embed --image reads only the vision tower (works with a corrupt text tower); --text names the corrupt file', async () => {
    const pack = path.join(home, 'models', 'no-text');
    fs.cpSync(path.join(appRoot, 'resources', 'models', 'demo-siglip'), pack, { recursive: true });
    const text = path.join(pack, 'onnx', 'text_model.onnx');
    fs.writeFileSync(text, fs.readFileSync(text).subarray(0, 5000));
    const image = await cli(['embed', '--model', 'no-text', '--image', path.join(appRoot, 'resources', 'demo-catalog', 'images', 'l0001.jpg')]);
    expect(image.code).toBe(0);
    expect((JSON.parse(image.stdout) as { dim: number }).dim).toBe(128);
    const txt = await cli(['embed', '--model', 'no-text', '--text', 'x']);
    expect(txt.code).toBe(1);
    expect(txt.stderr).toMatch(/onnx\/text_model\.onnx/);
    fs.rmSync(pack, { recursive: true, force: true });
  });

  it('an unknown model exits 1', async () => {
    const { code, stderr } = await cli(['embed', '--model', 'nope', '--text', 'x']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/no model pack "nope"/);
  });

  it('models list prints the packs and the provider report as JSON', async () => {
    const { code, stdout } = await cli(['models']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { models: Array<{ id: string; demo: boolean }>; defaultModel: string; provider: { active: string } };
    expect(out.defaultModel).toBe('demo-siglip');
    expect(out.models.every((m) => m.demo)).toBe(true);
    expect(out.provider.active).toBe('cpu');
  });
});
