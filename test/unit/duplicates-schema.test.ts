import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src-main/catalog/migrations.js';
import { HASH_VERSION } from '../../src-main/engine/image-hash.js';
import { DuplicateStore } from '../../src-main/features/duplicates/store.js';
import { migrations, openCatalog } from '../../src-main/features/schema.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-duplicates-schema-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const sha = (c: string) => c.repeat(64);

describe('duplicates tables', () => {
  it('a catalog from before the rename (dup_* tables) keeps its hashes, verdicts and keeps under duplicates_*', () => {
    const file = path.join(dir, 'old.db');
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    // The schema as it was: every migration before 0102-duplicates-rename.
    migrate(db, migrations.slice(0, migrations.findIndex((m) => m.id === '0102-duplicates-rename')));
    const image = db.prepare("INSERT INTO images (sha256, byte_size, width, height, format, created_at) VALUES (?, 1, 1, 1, 'jpeg', 0)");
    for (const c of ['a', 'b', 'c']) image.run(sha(c));
    db.prepare(
      `INSERT INTO dup_hashes (sha256, version, pixel_sha, phash, phash_trim, trim_box, crop_hashes, phash_mirror, phash_trim_mirror, align_thumb, aspect, computed_at)
       VALUES (?, ?, 'px', '0123456789abcdef', '0123456789abcdef', '[0,0,1,1]', '', 'fedcba9876543210', 'fedcba9876543210', x'0102', 1.5, 7)`,
    ).run(sha('a'), HASH_VERSION);
    db.prepare("INSERT INTO dup_pair_decisions (a, b, decision, decided_at) VALUES (?, ?, 'not_duplicate', 8)").run(sha('a'), sha('b'));
    db.prepare('INSERT INTO dup_keeps (sha256, decided_at) VALUES (?, 9)').run(sha('c'));
    db.close();

    const catalog = openCatalog(file);
    try {
      const tables = catalog.db.prepare("SELECT name FROM sqlite_schema WHERE name LIKE 'dup%' ORDER BY name").pluck().all();
      // (duplicates_graphs and the version index come with the later 0103-duplicates-graph.)
      expect(tables).toEqual(['duplicates_graphs', 'duplicates_hashes', 'duplicates_hashes_pixel', 'duplicates_hashes_version', 'duplicates_keeps', 'duplicates_pair_decisions']);
      const store = new DuplicateStore(catalog);
      expect(store.hashCount()).toBe(1);
      expect(store.allHashes()).toMatchObject([{ sha256: sha('a'), pixelSha: 'px', phash: '0123456789abcdef', trimBox: [0, 0, 1, 1], aspect: 1.5, thumb: new Uint8Array([1, 2]) }]);
      expect(store.pairDecisions()).toEqual([{ a: sha('a'), b: sha('b'), decision: 'not_duplicate', decidedAt: 8 }]);
      expect(store.keeps()).toEqual([{ sha256: sha('c'), decidedAt: 9 }]);
      // The pixel index answers lookups on the renamed table; removing an image still removes its rows.
      const plan = catalog.db.prepare("EXPLAIN QUERY PLAN SELECT sha256 FROM duplicates_hashes WHERE pixel_sha = 'px'").all() as Array<{ detail: string }>;
      expect(plan.map((p) => p.detail).join(' ')).toMatch(/duplicates_hashes_pixel/);
      catalog.db.prepare('DELETE FROM images WHERE sha256 IN (?, ?)').run(sha('a'), sha('c'));
      expect(store.hashCount()).toBe(0);
      expect(store.pairDecisions()).toEqual([]);
      expect(store.keeps()).toEqual([]);
    } finally {
      catalog.close();
    }
  });

  it('keeps one candidate graph per model, and counts current hashes from an index', () => {
    const catalog = openCatalog(path.join(dir, 'graphs.db'));
    try {
      const store = new DuplicateStore(catalog);
      const graph = { revision: 'r1', key: 'k1', format: 1, builtAt: 5, pairs: 0, nodes: new Uint8Array(32), data: new Uint8Array(0) };
      expect(store.storedGraph('demo-siglip')).toBeUndefined();
      store.saveGraph('demo-siglip', graph);
      store.saveGraph('demo-siglip', { ...graph, key: 'k2' });
      expect(store.storedGraphKey('demo-siglip')).toBe('k2');
      expect(store.storedGraph('demo-siglip')).toMatchObject({ revision: 'r1', key: 'k2', builtAt: 5, pairs: 0 });
      expect(store.storedGraphKey('')).toBeUndefined();
      const plan = catalog.db.prepare('EXPLAIN QUERY PLAN SELECT count(*) FROM duplicates_hashes WHERE version = ?').all(HASH_VERSION) as Array<{ detail: string }>;
      expect(plan.map((p) => p.detail).join(' ')).toMatch(/COVERING INDEX duplicates_hashes_version/);
    } finally {
      catalog.close();
    }
  });
});
