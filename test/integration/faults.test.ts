import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { BackendClient } from '../../src-main/backend/client.js';
import { Catalog } from '../../src-main/catalog/catalog.js';
import { openCatalog } from '../../src-main/features/schema.js';
import { ingest } from '../../src-main/catalog/ingest.js';
import { tempDir, testEmbedder, writeJpegs } from './catalog-helpers.js';

/** Seeded PRNG so a failing mutation replays exactly. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('backend killed during an import', () => {
  const dir = tempDir('lookalike-kill-');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('restarts the backend, re-sends the import, and finishes with every image embedded once', async () => {
    const photos = path.join(dir, 'photos');
    await writeJpegs(photos, 240);
    const dbPath = path.join(dir, 'catalog.db');
    const client = new BackendClient({ dbPath, env: { LOOKALIKE_HOME: dir } });
    let killed = false;
    try {
      const summary = (await client.call(
        'catalog.import',
        { paths: [photos], models: ['demo-siglip'] },
        {
          retryOnCrash: true,
          onProgress: (p) => {
            if (!killed && p.done >= 40) {
              killed = true;
              process.kill(client.pid as number, 'SIGKILL');
            }
          },
        },
      )) as { indexed: number; cached: number; failedCount: number };
      expect(killed).toBe(true);
      expect(client.restarts).toBe(1);
      expect(summary.failedCount).toBe(0);
    } finally {
      await client.close();
    }
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare('SELECT count(*) AS n FROM images').get()).toEqual({ n: 240 });
      // One vector per image and model: nothing embedded twice, nothing lost.
      expect(db.prepare("SELECT count(*) AS n, count(DISTINCT sha256) AS d FROM embeddings WHERE model_id = 'demo-siglip'").get()).toEqual({ n: 240, d: 240 });
    } finally {
      db.close();
    }
  });
});

describe('ingest fuzz: mutated image bytes', () => {
  const dir = tempDir('lookalike-fuzz-ingest-');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('indexes or rejects every mutant with a reason, and the catalog stays consistent', async () => {
    const r = rng(20261127);
    const seeds = [
      await sharp({ create: { width: 96, height: 64, channels: 3, background: '#c04020' } }).jpeg().toBuffer(),
      await sharp({ create: { width: 80, height: 80, channels: 4, background: { r: 10, g: 200, b: 90, alpha: 0.5 } } }).png().toBuffer(),
      await sharp({ create: { width: 64, height: 96, channels: 3, background: '#2040c0' } }).webp().toBuffer(),
      await sharp({ create: { width: 50, height: 40, channels: 3, background: '#808080' } }).gif().toBuffer(),
    ];
    const exts = ['.jpg', '.png', '.webp', '.gif'];
    const count = Number(process.env.FUZZ_ITERATIONS ?? 60);
    for (let i = 0; i < count; i++) {
      const k = i % seeds.length;
      const bytes = Buffer.from(seeds[k] as Buffer);
      const kind = Math.floor(r() * 4);
      if (kind === 0) for (let f = 0; f < 1 + r() * 20; f++) bytes[Math.floor(r() * bytes.length)] = Math.floor(r() * 256); // flip bytes
      const out =
        kind === 1
          ? bytes.subarray(0, Math.floor(r() * bytes.length)) // truncate
          : kind === 2
            ? Buffer.concat([bytes.subarray(0, 24), Buffer.from(Array.from({ length: 200 }, () => Math.floor(r() * 256))), bytes.subarray(24)]) // splice noise after the header
            : bytes;
      // Header fields (dimensions) live in the first bytes: hit them too.
      if (kind === 3) for (let f = 0; f < 4; f++) out[8 + Math.floor(r() * 24)] = Math.floor(r() * 256);
      fs.writeFileSync(path.join(dir, `m${i}${exts[k]}`), out);
    }
    const catalog = openCatalog(path.join(dir, 'catalog.db'));
    try {
      const summary = await ingest(catalog, { paths: [dir], embedders: [testEmbedder()] });
      expect(summary.indexed + summary.cached + summary.failedCount).toBe(count);
      for (const f of summary.failed) expect(f.error.trim().length).toBeGreaterThan(0);
      expect(summary.failed.every((f) => !f.error.includes('\n'))).toBe(true);
      expect(catalog.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      catalog.close();
    }
  });
});
