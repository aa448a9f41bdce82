import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImageAnalyzer } from '../../src-main/catalog/image-analyzer.js';
import { ingest } from '../../src-main/catalog/ingest.js';
import { openCatalog } from '../../src-main/features/schema.js';
import { tempDir, writeJpegs } from './catalog-helpers.js';

const root = tempDir('lookalike-analyzers-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Records what it was given and whether each image row was in `db` when its result was stored; fails on the content `failOn`. */
function recordingAnalyzer(db: Database.Database, failOn?: string) {
  const analysed: string[] = [];
  const stored: Array<{ sha256: string; result: number; imageStored: boolean }> = [];
  const analyzer: ImageAnalyzer<number> = {
    name: 'byte length',
    async analyze(bytes, sha256) {
      analysed.push(sha256);
      if (sha256 === failOn) throw new Error('cannot analyse this one');
      return bytes.length;
    },
    store(rows) {
      for (const r of rows) stored.push({ ...r, imageStored: db.prepare('SELECT 1 FROM images WHERE sha256 = ?').get(r.sha256) !== undefined });
    },
  };
  return { analyzer, analysed, stored };
}

describe('image analyzers at import', () => {
  it('analyse each new image once from its bytes and store the results with the image; known content is not analysed again', async () => {
    const photos = path.join(root, 'photos');
    const files = await writeJpegs(photos, 3);
    fs.copyFileSync(files[0] as string, path.join(photos, 'copy-of-first.jpg'));
    const catalog = openCatalog(path.join(root, 'a.db'));
    try {
      const rec = recordingAnalyzer(catalog.db);
      const summary = await ingest(catalog, { paths: [photos], analyzers: [rec.analyzer] });
      expect(summary.indexed).toBe(3);
      const shas = catalog.db.prepare('SELECT sha256, byte_size AS size FROM images ORDER BY sha256').all() as Array<{ sha256: string; size: number }>;
      expect(rec.analysed.sort()).toEqual(shas.map((s) => s.sha256));
      expect(rec.stored.sort((a, b) => a.sha256.localeCompare(b.sha256))).toEqual(shas.map((s) => ({ sha256: s.sha256, result: s.size, imageStored: true })));

      fs.copyFileSync(files[1] as string, path.join(photos, 'renamed.jpg'));
      const again = recordingAnalyzer(catalog.db);
      await ingest(catalog, { paths: [photos], analyzers: [again.analyzer] });
      expect(again.analysed).toEqual([]);
    } finally {
      catalog.close();
    }
  });

  it('an analyzer that fails on an image leaves that image without a result and the import goes on', async () => {
    const photos = path.join(root, 'photos-b');
    await writeJpegs(photos, 3, 100);
    const catalog = openCatalog(path.join(root, 'b.db'));
    try {
      const probe = recordingAnalyzer(catalog.db);
      await ingest(catalog, { paths: [photos], analyzers: [probe.analyzer] });
      const failOn = probe.analysed.sort()[1] as string;
      catalog.db.prepare('DELETE FROM images').run();
      const rec = recordingAnalyzer(catalog.db, failOn);
      const summary = await ingest(catalog, { paths: [photos], analyzers: [rec.analyzer] });
      expect(summary.failedCount).toBe(0);
      expect(catalog.imageCount()).toBe(3);
      expect(rec.stored.map((r) => r.sha256).sort()).toEqual(probe.analysed.filter((s) => s !== failOn));
    } finally {
      catalog.close();
    }
  });
});
