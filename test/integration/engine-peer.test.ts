import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { peerSection } from '../../src-main/bench/peer.js';
import { PEER_DIR, interleavedStarts, peerVersion } from '../../src-main/bench/processes.js';
import { startupSection } from '../../src-main/bench/startup.js';
import { appRoot } from '../../src-main/shared/paths.js';

const installed = fs.existsSync(path.join(PEER_DIR, 'node_modules', '@huggingface', 'transformers', 'package.json'));

describe('peer benchmark (Transformers.js)', () => {
  it('keeps Transformers.js out of the app\'s dependencies', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    for (const deps of [pkg.dependencies, pkg.optionalDependencies, pkg.devDependencies]) expect(Object.keys(deps ?? {})).not.toContain('@huggingface/transformers');
    const peer = JSON.parse(fs.readFileSync(path.join(PEER_DIR, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(peer.dependencies['@huggingface/transformers']).toMatch(/^\d+\.\d+\.\d+$/); // pinned: re-measured against one known version
  });

  it('prints fidelity, speed ratios and cold start as tables', () => {
    const table = peerSection.table({
      peer: '@huggingface/transformers 4.3.2',
      threads: { lookalikeDefault: 2, equal: 2 },
      secondsPerFigure: 1,
      fidelity: [{ pack: 'demo-siglip', check: 'CMYK JPEG vs its Pillow conversion, cosine', lookalike: 1, peer: 0.96 }],
      speed: [{ pack: 'demo-siglip', what: 'images', batch: 8, threads: 'equal', load: 'loaded', lookalike: 60, peer: 6, ratio: 10 }],
      coldStart: [{ pack: 'demo-siglip', lookalike: 0.5, peer: 0.5, ratio: 1 }],
      errors: [],
    });
    expect(table).toMatch(/CMYK JPEG vs its Pillow conversion, cosine\s+1\.000000\s+0\.960000/);
    expect(table).toMatch(/demo-siglip\s+images\s+8\s+equal\s+loaded\s+60\.0\s+6\.0\s+10\.00/);
    expect(table).toMatch(/cold start/);
  });

  it('times two programs\' cold starts in turn, after one unmeasured start of each', async () => {
    const order: string[] = [];
    let clock = 0;
    const program = (name: string) => async () => {
      order.push(name);
      return ++clock / 10;
    };
    const { a, b } = await interleavedStarts(program('a'), program('b'), 4);
    expect(order.join('')).toBe('ab' + 'abbaabba');
    expect(a).toEqual([0.3, 0.6, 0.7, 1]);
    expect(b).toEqual([0.4, 0.5, 0.8, 0.9]);
  });

  it('shows the peer\'s cold start beside `embed --image` in the startup table', () => {
    const table = startupSection.table({
      cli: 'node bin/lookalike.js',
      peer: '@huggingface/transformers 4.3.2',
      rows: [
        { id: '-', command: '--help', runs: [0.14, 0.15, 0.14], median: 0.14 },
        { id: 'demo-clip', command: 'embed --image', runs: [0.5, 0.52, 0.51], median: 0.51, peer: { runs: [0.55, 0.56, 0.57], median: 0.56 } },
      ],
      errors: [],
    });
    expect(table).toMatch(/Transformers\.js median s/);
    expect(table).toMatch(/demo-clip\s+embed --image\s+0\.510\s+0\.50 0\.52 0\.51\s+0\.560\s+0\.55 0\.56 0\.57/);
  });

  it.skipIf(!installed)('finds the installed Transformers.js and runs it on a pack folder in its own process', async () => {
    expect(await peerVersion()).toMatch(/^@huggingface\/transformers \d/);
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync(process.execPath, [path.join(PEER_DIR, 'peer.mjs'), 'embed-image', path.join(appRoot, 'resources', 'models', 'demo-clip'), path.join(appRoot, 'resources', 'demo-catalog', 'images', 'l0001.jpg')], { encoding: 'utf8' });
    const { dim, vector } = JSON.parse(out) as { dim: number; vector: number[] };
    expect(dim).toBe(128);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
  });
});
