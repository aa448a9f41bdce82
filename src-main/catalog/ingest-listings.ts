import path from 'node:path';
import type { Catalog } from './catalog.js';
import { type IngestContext, REPORT_LIMIT } from './ingest-context.js';
import { writeListings } from './ingest-writer.js';
import type { ListingRow, RowProblem } from './listing-files.js';

export interface MissingImage {
  listing: string;
  where: string;
  image: string;
  reason: string;
}

/** A listing file as read before the import starts. */
export interface ListingInput {
  file: string;
  rows: ListingRow[];
  problems: RowProblem[];
}

/**
 * Stage 3 of an import: the listings, once every image they may point at is in. Each row's image
 * references are resolved to catalog images, the rows are written with their image links, and
 * rows with a problem and references to no imported image are recorded as the run's problems.
 */
export function importListings(
  ctx: IngestContext,
  listing: ListingInput,
  roots: string[],
  failedPaths: Map<string, string>,
): { missing: MissingImage[]; missingCount: number } {
  const { catalog, writer, counts } = ctx;
  const missing: MissingImage[] = [];
  let missingCount = 0;
  ctx.report({ phase: 'listings', done: 0, total: listing.rows.length });
  const resolved = listing.rows.map((row) => {
    const shas: string[] = [];
    for (const ref of row.images) {
      const found = resolveImageRef(catalog, ref, path.dirname(listing.file), roots, failedPaths);
      if ('sha256' in found) {
        if (!shas.includes(found.sha256)) shas.push(found.sha256);
      } else {
        missingCount++;
        if (missing.length < REPORT_LIMIT) missing.push({ listing: row.id, where: row.where, image: ref, reason: found.reason });
      }
    }
    return { row, shas };
  });
  ctx.signal.throwIfAborted();
  writeListings(catalog, resolved, listing.file);
  for (const p of listing.problems) writer.addError(p.where, p.skipped ? `${p.error} (row skipped)` : p.error, { kind: 'row' });
  for (const m of missing) writer.addError(m.where, `listing ${m.listing}: image "${m.image}" ${m.reason}`, { kind: 'missing' });
  counts.listings = listing.rows.length;
  counts.problems = listing.problems.length + missingCount;
  writer.flush();
  ctx.report({ phase: 'listings', done: listing.rows.length, total: listing.rows.length });
  return { missing, missingCount };
}

/**
 * Finds the catalog image a listing row means: a path relative to the listing file's folder or
 * absolute, else a bare file name (or the last part of an image URL) found in the imported
 * folders, else anywhere in the catalog.
 */
function resolveImageRef(
  catalog: Catalog,
  ref: string,
  base: string,
  roots: string[],
  failedPaths: Map<string, string>,
): { sha256: string } | { reason: string } {
  const url = isUrl(ref);
  if (!url) {
    const file = path.resolve(base, ref);
    const known = catalog.knownFile(file);
    if (known) return { sha256: known.sha256 };
    const failure = failedPaths.get(file);
    if (failure) return { reason: `image failed to import: ${failure}` };
  }
  const name = url ? safeUrlName(ref) : path.basename(ref.replace(/\\/g, '/'));
  if (!name) return { reason: 'file not found' };
  const byName = catalog.shasByFileName(name);
  const inRoots = byName.find((f) => roots.some((r) => f.path === r || f.path.startsWith(r + path.sep)));
  const pick = inRoots ?? byName[0];
  if (pick) return { sha256: pick.sha256 };
  return { reason: url ? 'remote image: no file with that name was imported' : 'file not found' };
}

function safeUrlName(ref: string): string | undefined {
  try {
    return decodeURIComponent(path.posix.basename(new URL(ref).pathname)) || undefined;
  } catch {
    return undefined;
  }
}

export function isUrl(ref: string): boolean {
  return /^https?:\/\//i.test(ref);
}
