import fs from 'node:fs/promises';
import path from 'node:path';
import type { IngestContext } from './ingest-context.js';
import { isUrl } from './ingest-listings.js';
import { type FoundFile, walkImageFiles } from './image-files.js';
import type { ListingRow } from './listing-files.js';

/**
 * Stage 1 of an import: every file to look at, found before any is read, so that progress has a
 * total and an ETA. The folders are walked, then images a listing file names by path but that sit
 * outside them are added; each path once. A folder or file the walk cannot read is a failure.
 */
export async function scanFiles(ctx: IngestContext, roots: string[], listing?: { file: string; rows: ListingRow[] }): Promise<FoundFile[]> {
  const files: FoundFile[] = [];
  const listed = new Set<string>();
  let lastScanReport = 0;
  for await (const entry of walkImageFiles(roots, ctx.signal)) {
    if (entry.kind === 'error') {
      ctx.fail(entry.path, entry.error);
      continue;
    }
    if (listed.has(entry.path)) continue;
    listed.add(entry.path);
    files.push(entry);
    if (Date.now() - lastScanReport > 250) {
      lastScanReport = Date.now();
      ctx.report({ phase: 'scanning', done: files.length });
    }
  }
  if (listing) {
    const base = path.dirname(listing.file);
    for (const row of listing.rows) {
      for (const ref of row.images) {
        if (isUrl(ref)) continue;
        const candidate = path.resolve(base, ref);
        if (listed.has(candidate)) continue;
        const st = await fs.stat(candidate).catch(() => undefined);
        if (!st?.isFile()) continue;
        listed.add(candidate);
        files.push({ path: candidate, size: st.size, mtimeMs: Math.trunc(st.mtimeMs) });
      }
    }
  }
  return files;
}
