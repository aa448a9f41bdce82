import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src-main/catalog/catalog.js';
import { openCatalog } from '../../src-main/features/schema.js';
import { type IngestSummary, ingest } from '../../src-main/catalog/ingest.js';
import { appRoot } from '../../src-main/shared/paths.js';
import { type HostileCorpus, hostileCorpus, tempDir, testEmbedder } from './catalog-helpers.js';

const run = promisify(execFile);

describe('ingest of a hostile folder', () => {
  let root: string;
  let corpus: HostileCorpus;
  let catalog: Catalog;
  let summary: IngestSummary;
  const embedder = testEmbedder();

  beforeAll(async () => {
    root = tempDir();
    corpus = await hostileCorpus(path.join(root, 'photos'));
    catalog = openCatalog(path.join(root, 'catalog.db'));
    summary = await ingest(catalog, { paths: [corpus.dir], embedders: [embedder] });
  });

  afterAll(() => {
    catalog?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('indexes every valid image, whatever its format, name or folder', () => {
    const indexed = new Set(catalog.db.prepare('SELECT path FROM image_files').pluck().all() as string[]);
    expect([...indexed].sort()).toEqual([...corpus.valid].sort());
    expect(summary.indexed).toBe(corpus.valid.length);
    expect(embedder.calls).toBe(catalog.imageCount());
  });

  it('reports each bad file once with a one-line reason and goes on', () => {
    const reasons = new Map(summary.failed.map((f) => [f.path, f.error]));
    console.info(summary.failed.map((f) => `${path.basename(f.path)}: ${f.error}`).join('\n'));
    for (const { file, reason } of corpus.bad) {
      expect(reasons.get(file), file).toMatch(reason);
      expect(reasons.get(file)).not.toContain('\n');
    }
    expect(summary.failed).toHaveLength(corpus.bad.length);
    expect(catalog.recentRuns(1)[0]).toMatchObject({ status: 'completed', failed: corpus.bad.length, errorCount: corpus.bad.length });
  });

  it('skips hidden files, non-image extensions and link cycles without reporting them', () => {
    const seen = [...summary.failed.map((f) => f.path), ...(catalog.db.prepare('SELECT path FROM image_files').pluck().all() as string[])];
    expect(seen.some((p) => p.includes('.hidden') || p.endsWith('.txt') || p.includes(`${path.sep}loop${path.sep}`))).toBe(false);
  });

  it('keeps oriented size and a small WebP thumbnail for odd shapes', () => {
    const wide = catalog.knownFile(path.join(corpus.dir, 'wide-6000x150.jpg'));
    const info = catalog.image(wide!.sha256)!;
    expect([info.width, info.height]).toEqual([6000, 150]);
    const thumb = catalog.thumbnail(wide!.sha256)!;
    expect(thumb.mime).toBe('image/webp');
    expect(Buffer.from(thumb.bytes).subarray(8, 12).toString('latin1')).toBe('WEBP');
    const gif = catalog.image(catalog.knownFile(path.join(corpus.dir, 'animated.gif'))!.sha256)!;
    expect([gif.width, gif.height]).toEqual([40, 30]);
  });

  it('stays under 1.5 GB peak RSS through the CLI with the real demo model', async () => {
    const db = path.join(root, 'cli.db');
    const script = `
      import { runCli } from ${JSON.stringify(path.join(appRoot, 'src-main/cli/run.ts'))};
      const out = [];
      const code = await runCli(['import', ${JSON.stringify(corpus.dir)}, '--db', ${JSON.stringify(db)}], { stdout: { write: (s) => out.push(s) }, stderr: { write: () => true } });
      console.log(JSON.stringify({ code, summary: JSON.parse(out.join('')), maxRssMb: process.resourceUsage().maxRSS / 1024 }));`;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: appRoot, maxBuffer: 16 << 20 });
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as { code: number; summary: IngestSummary; maxRssMb: number };
    expect(result.code).toBe(0);
    expect(result.summary.indexed).toBe(corpus.valid.length);
    expect(result.summary.failed).toHaveLength(corpus.bad.length);
    expect(Object.keys(result.summary.embedded)).toEqual(['demo-siglip']);
    console.info(`hostile corpus via CLI: peak RSS ${Math.round(result.maxRssMb)} MB`);
    expect(result.maxRssMb).toBeLessThan(1536);
  }, 180_000);
});
