import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FAMILIES } from '../../src-main/engine/families.js';
import { inspectPack } from '../../src-main/engine/pack.js';
import { SMALL_TOWER_BYTES, defaultProviderOrder, findVulkanLoader, parseProviderOrder, physicalCores, physicalCoresFromTopology, sessionSettings, towerThreads } from '../../src-main/engine/providers.js';
import { fitLine, scoringFromConfig } from '../../src-main/engine/scoring.js';
import { pickVariant } from '../../src-main/engine/variants.js';
import { loadConfig } from '../../src-main/shared/config.js';

describe('execution provider order', () => {
  it('tries GPU providers per platform, CPU last', () => {
    expect(defaultProviderOrder('linux', 'x64')).toEqual(['cuda', 'tensorrt', 'webgpu', 'cpu']);
    expect(defaultProviderOrder('linux', 'arm64')).toEqual(['cuda', 'tensorrt', 'cpu']);
    expect(defaultProviderOrder('win32', 'x64')).toEqual(['cuda', 'tensorrt', 'dml', 'webgpu', 'cpu']);
    expect(defaultProviderOrder('darwin', 'arm64')).toEqual(['coreml', 'webgpu', 'cpu']);
  });
  it('looks for the Vulkan loader on LD_LIBRARY_PATH, then in the system folders', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lookalike-vulkan-'));
    try {
      expect(findVulkanLoader({ LD_LIBRARY_PATH: dir }, [])).toBeNull();
      await fs.writeFile(path.join(dir, 'libvulkan.so.1'), '');
      expect(findVulkanLoader({ LD_LIBRARY_PATH: `/nowhere:${dir}` }, [])).toBe(path.join(dir, 'libvulkan.so.1'));
      expect(findVulkanLoader({}, ['/nowhere', dir])).toBe(path.join(dir, 'libvulkan.so.1'));
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
  it('parses a forced provider or order and refuses unknown names', () => {
    expect(parseProviderOrder('webgpu, CPU')).toEqual(['webgpu', 'cpu']);
    expect(() => parseProviderOrder('gpu')).toThrow(/unknown execution provider "gpu"/);
  });
  it('takes LOOKALIKE_PROVIDER, LOOKALIKE_THREADS and LOOKALIKE_SPIN through the config; threads default to the physical cores, no spinning', () => {
    const settings = (env: NodeJS.ProcessEnv, flags = {}) => sessionSettings(loadConfig({ LOOKALIKE_HOME: '/tmp/x', ...env }, flags).engine);
    expect(settings({ LOOKALIKE_PROVIDER: 'cpu', LOOKALIKE_THREADS: '3' })).toEqual({ order: ['cpu'], forced: true, intraOpThreads: 3, spinning: false });
    expect(settings({ LOOKALIKE_SPIN: '1' }).spinning).toBe(true);
    const d = settings({});
    expect(d.forced).toBe(false);
    expect(d.intraOpThreads).toBe(physicalCores());
    expect(physicalCores()).toBeLessThanOrEqual(os.availableParallelism());
    expect(settings({ LOOKALIKE_PROVIDER: 'cpu' }, { provider: 'webgpu,cpu' }).order).toEqual(['webgpu', 'cpu']);
    expect(() => settings({ LOOKALIKE_THREADS: 'two' })).toThrow(/LOOKALIKE_THREADS must be/);
  });
});

describe('physical cores', () => {
  it('counts each core once however many hardware threads it has', () => {
    // 4 cores x 2 threads (Intel numbering: siblings n and n+4), then 2 cores without SMT, then ranges.
    expect(physicalCoresFromTopology(['0,4\n', '1,5\n', '2,6\n', '3,7\n', '0,4\n', '1,5\n', '2,6\n', '3,7\n'])).toBe(4);
    expect(physicalCoresFromTopology(['0\n', '1\n'])).toBe(2);
    expect(physicalCoresFromTopology(['0-1', '0-1', '2-3', '2-3'])).toBe(2);
  });
  it('gives up when a CPU has no topology file', () => {
    expect(physicalCoresFromTopology(['0', null])).toBeNull();
    expect(physicalCoresFromTopology([])).toBeNull();
  });
});

describe('threads per tower', () => {
  it('runs a small tower on one thread and a real-size one on every thread the setting allows', () => {
    expect(towerThreads(4, 2_000_000)).toBe(1); // a demo tower
    expect(towerThreads(4, SMALL_TOWER_BYTES - 1)).toBe(1);
    expect(towerThreads(4, SMALL_TOWER_BYTES)).toBe(4);
    expect(towerThreads(2, 64 * 1024 * 1024)).toBe(2); // CLIP B/32 8-bit text
    expect(towerThreads(1, 400 * 1024 * 1024)).toBe(1);
  });
});

describe('variants', () => {
  it('prefers fp32, then 8-bit, fp16 last on CPU; honours an installed request', () => {
    expect(pickVariant(['fp32', 'quantized', 'fp16'], undefined)).toBe('fp32');
    expect(pickVariant(['quantized', 'fp16'], undefined)).toBe('quantized');
    expect(pickVariant(['fp16', 'quantized'], 'fp16')).toBe('fp16');
    expect(() => pickVariant(['fp32'], 'q4')).toThrow(/variant "q4" is not installed/);
    expect(() => pickVariant(['fp32'], 'int3')).toThrow(/unknown model variant/);
  });
});

describe('score constants', () => {
  it('solves logit = a*cos + b by least squares', () => {
    const { a, b } = fitLine([0.1, 0.2, -0.05], [0.1 * 117.33 - 12.93, 0.2 * 117.33 - 12.93, -0.05 * 117.33 - 12.93]);
    expect(a).toBeCloseTo(117.33, 6);
    expect(b).toBeCloseTo(-12.93, 6);
    expect(() => fitLine([0.3, 0.3], [1, 2])).toThrow(/identical similarities/);
  });
  it('reads log-space logit_scale/logit_bias from config.json', () => {
    expect(scoringFromConfig({ lookalike: { logit_scale: Math.log(10), logit_bias: -10 } }, FAMILIES.siglip)).toEqual({ kind: 'sigmoid', scale: expect.closeTo(10, 9), bias: -10 });
    expect(scoringFromConfig({ logit_scale: Math.log(100) }, FAMILIES.clip)).toEqual({ kind: 'softmax', scale: expect.closeTo(100, 9) });
    expect(scoringFromConfig({}, FAMILIES.siglip)).toBeNull();
  });
  it('the bundled demo packs carry the same constants in config.json as their weights', async () => {
    for (const [pack, family] of [['demo-siglip', 'siglip'], ['demo-clip', 'clip']] as const) {
      const config = JSON.parse(await fs.readFile(path.join('resources/models', pack, 'config.json'), 'utf8'));
      const fixture = JSON.parse(await fs.readFile(path.join('test/fixtures/parity', `${pack}.json`), 'utf8'));
      const scoring = scoringFromConfig(config, FAMILIES[family]);
      expect(scoring?.scale).toBeCloseTo(fixture.logit_scale, 3);
      if (scoring?.kind === 'sigmoid') expect(scoring.bias).toBeCloseTo(fixture.logit_bias, 3);
    }
  });
});

describe('inspectPack', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true }))));

  async function fakePack(files: Record<string, string | Buffer>): Promise<string> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lookalike-pack-'));
    dirs.push(dir);
    for (const [name, content] of Object.entries(files)) {
      await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await fs.writeFile(path.join(dir, name), content);
    }
    return dir;
  }
  const onnx = Buffer.from([0x08, 0x07, 0x12, 0x00]);
  const base = {
    'config.json': JSON.stringify({ model_type: 'siglip', lookalike: { demo: true, name: 'Tiny' } }),
    'preprocessor_config.json': '{}',
    'tokenizer.json': '{"model": {}}',
    'tokenizer_config.json': '{}',
  };

  it('lists variants that have both towers, the family, dim and demo flag', async () => {
    const dir = await fakePack({ ...base, 'onnx/vision_model.onnx': onnx, 'onnx/text_model.onnx': onnx, 'onnx/vision_model_fp16.onnx': onnx, 'onnx/model_quantized.onnx': onnx });
    const check = await inspectPack(dir, 'tiny');
    expect(check.ok && check.pack).toMatchObject({ id: 'tiny', name: 'Tiny', family: 'siglip', dim: 768, variants: ['fp32'], combinedVariants: ['quantized'], demo: true });
  });

  it.each([
    ['a missing tokenizer.json', { 'tokenizer.json': undefined }, /tokenizer\.json is missing/],
    ['a corrupt config.json', { 'config.json': '{"model_type": "sig' }, /config\.json is corrupt: not valid JSON/],
    ['a truncated tokenizer.json', { 'tokenizer.json': '{"model": {"vocab": [' }, /tokenizer\.json is corrupt/],
    ['an unsupported model_type', { 'config.json': '{"model_type": "bert"}' }, /model_type is "bert"/],
    ['a missing text tower', { 'onnx/text_model.onnx': undefined }, /onnx\/text_model\.onnx is missing/],
    ['an HTML page saved as a tower', { 'onnx/vision_model.onnx': '<html>rate limited</html>' }, /onnx\/vision_model\.onnx is corrupt \(not an ONNX model\)/],
  ])('names the file for %s', async (_label, change, message) => {
    const files: Record<string, string | Buffer> = { ...base, 'onnx/vision_model.onnx': onnx, 'onnx/text_model.onnx': onnx };
    for (const [k, v] of Object.entries(change)) {
      if (v === undefined) delete files[k];
      else files[k] = v;
    }
    const check = await inspectPack(await fakePack(files), 'bad');
    expect(check.ok).toBe(false);
    expect(!check.ok && check.error).toMatch(message);
  });
});
