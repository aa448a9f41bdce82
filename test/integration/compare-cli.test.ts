import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourcesDir } from '../../src-main/shared/paths.js';
import { cli } from '../helpers/cli.js';
import { setEnv } from '../helpers/env.js';

const demo = path.join(resourcesDir, 'demo-catalog');
const packs = path.join(resourcesDir, 'models');
const ready = fs.existsSync(path.join(demo, 'listings.csv')) && fs.existsSync(path.join(packs, 'demo-siglip')) && fs.existsSync(path.join(packs, 'demo-clip'));

/** The first `n` demo listings plus every planted mismatch and duplicate among the first 100, with their images. */
function smallCatalog(dir: string, n: number): string {
  const lines = fs.readFileSync(path.join(demo, 'listings.csv'), 'utf8').split('\n');
  const rows = lines.slice(1, n + 1).filter(Boolean);
  fs.mkdirSync(path.join(dir, 'images'));
  for (const row of rows) {
    const image = row.slice(row.lastIndexOf(',') + 1).trim();
    fs.copyFileSync(path.join(demo, 'images', image), path.join(dir, 'images', image));
  }
  const file = path.join(dir, 'listings.csv');
  fs.writeFileSync(file, [lines[0], ...rows].join('\n') + '\n');
  return file;
}

describe.skipIf(!ready)('lookalike compare (demo-clip vs demo-siglip on a small catalog)', () => {
  let dir: string;
  let db: string;
  let restoreEnv = () => {};

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-compare-'));
    restoreEnv = setEnv({ LOOKALIKE_HOME: path.join(dir, 'home') });
    db = path.join(dir, 'catalog.db');
    const listings = smallCatalog(dir, 60);
    // Import with one pack only: compare must embed the catalog for the other itself.
    const { Services } = await import('../../src-main/features/services.js');
    const { invoke } = await import('../../src-main/dispatch/invoke.js');
    const { handlers } = await import('../../src-main/dispatch/handlers.js');
    const services = new Services({ dbPath: db });
    try {
      await invoke(handlers, 'catalog.import', { paths: [path.join(dir, 'images')], listings, models: ['demo-siglip'] }, { services, progress: () => {}, signal: new AbortController().signal });
    } finally {
      services.close();
    }
  });

  afterAll(() => {
    restoreEnv();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs a text query on both packs: aligned results, overlap, rank correlation, latencies', async () => {
    const r = await cli(['compare', '--db', db, '--text', 'yellow porcelain mug', '-k', '5']);
    expect(r.code, r.stderr).toBe(0);
    const out = r.json();
    expect(out.models).toEqual(['demo-clip', 'demo-siglip']);
    for (const m of out.models) {
      expect(out.results[m]).toHaveLength(5);
      expect(out.ms[m]).toBeGreaterThan(0);
      expect(out.providers[m]).toBe('cpu');
    }
    const a = new Set(out.results['demo-clip'].map((x: { sha256: string }) => x.sha256));
    const b = new Set(out.results['demo-siglip'].map((x: { sha256: string }) => x.sha256));
    const inter = [...a].filter((x) => b.has(x)).length;
    expect(out.overlap_at_k).toBeCloseTo(inter / (a.size + b.size - inter));
    expect(out.rank_correlation === null || (out.rank_correlation >= -1 && out.rank_correlation <= 1)).toBe(true);
    for (const x of out.results['demo-clip']) expect(x.only_this_model).toBe(!b.has(x.sha256));
    expect(out.results['demo-siglip'][0].probability).toBeGreaterThan(0); // SigLIP text query: a probability
    expect(out.results['demo-clip'][0].probability).toBeNull();
    expect(out.labels).toBeNull();
  });

  it('scores zero-shot labels: CLIP softmax sums to 1, SigLIP sigmoids are independent', async () => {
    const image = path.join(dir, 'images', 'l0003.jpg'); // a yellow porcelain mug
    const r = await cli(['compare', '--db', db, '--image', image, '--labels', 'mug,sneakers,chair', '-k', '3']);
    expect(r.code, r.stderr).toBe(0);
    const out = r.json();
    expect(out.label_kinds).toEqual({ 'demo-clip': 'softmax', 'demo-siglip': 'sigmoid' });
    const clip = out.labels['demo-clip'] as Array<{ label: string; score: number }>;
    expect(clip.map((l) => l.label)).toEqual(['mug', 'sneakers', 'chair']);
    expect(clip.reduce((s, l) => s + l.score, 0)).toBeCloseTo(1);
    const best = (ls: Array<{ label: string; score: number }>) => ls.reduce((x, y) => (y.score > x.score ? y : x)).label;
    expect(best(clip)).toBe('mug');
    expect(best(out.labels['demo-siglip'])).toBe('mug');
  });

  it('compares the catalog: duplicate pairs and mismatches caught by each model', async () => {
    const r = await cli(['compare', '--db', db, '--catalog']);
    expect(r.code, r.stderr).toBe(0);
    const out = r.json();
    expect(out.models).toEqual(['demo-clip', 'demo-siglip']);
    for (const section of [out.duplicates, out.mismatches]) {
      const c = section.counts;
      expect(c.both + c['only_demo-clip']).toBe(c['demo-clip']);
      expect(c.both + c['only_demo-siglip']).toBe(c['demo-siglip']);
    }
    expect(out.mismatches.rules['demo-siglip']).toMatch(/probability < 0.5/);
    expect(out.mismatches.rules['demo-clip']).toMatch(/category/);
    for (const it of out.mismatches.items) expect(['both', 'demo-clip', 'demo-siglip']).toContain(it.found_by);
  });

  it('refuses bad input with clear errors', async () => {
    const one = await cli(['compare', '--db', db, '--text', 'mug', '--models', 'demo-siglip']);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/--models expects two pack ids/);
    const same = await cli(['compare', '--db', db, '--text', 'mug', '--models', 'demo-siglip,demo-siglip']);
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/must differ/);
    const unknown = await cli(['compare', '--db', db, '--text', 'mug', '--models', 'demo-siglip,nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no model pack "nope"/);
    const empty = await cli(['compare', '--db', db, '--image', path.join(dir, 'images', 'l0003.jpg'), '--labels', ' , ']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/--labels is empty/);
    const noQuery = await cli(['compare', '--db', db]);
    expect(noQuery.code).toBe(2);
    expect(noQuery.stderr).toMatch(/give --image FILE or --text/);
    const { Services } = await import('../../src-main/features/services.js');
    const { invoke } = await import('../../src-main/dispatch/invoke.js');
    const { handlers } = await import('../../src-main/dispatch/handlers.js');
    const services = new Services({ dbPath: db });
    const ctx = { services, progress: () => {}, signal: new AbortController().signal };
    try {
      const image = { path: path.join(dir, 'images', 'l0003.jpg') };
      await expect(invoke(handlers, 'compare.labels', { image, labels: [] }, ctx)).rejects.toThrow(/give at least one label/);
      await expect(invoke(handlers, 'compare.query', { text: 'mug', models: ['demo-clip'] }, ctx)).rejects.toThrow(/exactly two model ids/);
      await expect(invoke(handlers, 'compare.query', { models: ['demo-clip', 'demo-siglip'] }, ctx)).rejects.toThrow(/give an image, a text, or both/);
      const withCategories = (await invoke(handlers, 'compare.labels', { image, labels: ['Mug'], useCategories: true }, ctx)) as { labels: string[] };
      expect(withCategories.labels[0]).toBe('Mug');
      expect(withCategories.labels.filter((l) => l.toLowerCase() === 'mug')).toHaveLength(1); // no repeat of the category
    } finally {
      services.close();
    }
    const missing = await cli(['compare', '--db', db, '--image', path.join(dir, 'nope.jpg')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/cannot read image file/);
  });
});
