import path from 'node:path';
import type { Handler } from '../features/context.js';
import type { Catalog } from '../catalog/catalog.js';

/**
 * Photos as first-class things: every catalog image has a display name (its listing's title when
 * a listing shows it, else its file name) and a path, whether or not a listing uses it. Read-only
 * queries over the catalog's tables (images, image_files, listing_images, listings, ingest_runs).
 */

export interface ImageLabel {
  /** The first listing's title (by listing id), else the file's base name, else the short hash. */
  name: string;
  /** The file last seen holding the image; null when no file is known. */
  path: string | null;
}

/** Display name and path of each image, for results, groups, compare and mismatch. */
export function imageLabels(catalog: Catalog, shas: readonly string[]): Map<string, ImageLabel> {
  const out = new Map<string, ImageLabel>();
  if (shas.length === 0) return out;
  const rows = catalog.db
    .prepare(
      `SELECT s.value AS sha256,
         (SELECT f.path FROM image_files f WHERE f.sha256 = s.value ORDER BY f.seen_at DESC, f.path LIMIT 1) AS path,
         (SELECT l.title FROM listing_images li JOIN listings l ON l.id = li.listing_id
            WHERE li.sha256 = s.value AND trim(l.title) <> '' ORDER BY l.id LIMIT 1) AS title
       FROM json_each(?) s`,
    )
    .all(JSON.stringify([...new Set(shas)])) as Array<{ sha256: string; path: string | null; title: string | null }>;
  for (const r of rows) out.set(r.sha256, { name: displayName(r.sha256, r.title, r.path), path: r.path });
  return out;
}

export function displayName(sha256: string, title: string | null | undefined, file: string | null | undefined): string {
  if (title?.trim()) return title.trim();
  if (file) return path.basename(file.replaceAll('\\', '/'));
  return `${sha256.slice(0, 12)}…`;
}

export interface BrowseFilter {
  /** Images with a file directly in this folder. */
  folder?: string;
  /** any: every image; with: shown by a listing; without: no listing shows it. */
  listing?: 'any' | 'with' | 'without';
  /** Images recorded (new or changed files) by this import run. */
  run?: number;
  /** Case-insensitive part of the file name, path, listing title or listing id. */
  text?: string;
}

const FOLDER = 'substr(f.path, 1, length(f.path) - length(f.name) - 1)';

function browseWhere(catalog: Catalog, filter: BrowseFilter): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter.folder !== undefined) {
    clauses.push(`EXISTS (SELECT 1 FROM image_files f WHERE f.sha256 = i.sha256 AND ${FOLDER} = ?)`);
    params.push(filter.folder);
  }
  if (filter.listing === 'with') clauses.push('EXISTS (SELECT 1 FROM listing_images li WHERE li.sha256 = i.sha256)');
  if (filter.listing === 'without') clauses.push('NOT EXISTS (SELECT 1 FROM listing_images li WHERE li.sha256 = i.sha256)');
  if (filter.run !== undefined) {
    const run = catalog.db.prepare('SELECT started_at AS startedAt, finished_at AS finishedAt FROM ingest_runs WHERE id = ?').get(filter.run) as
      | { startedAt: number; finishedAt: number | null }
      | undefined;
    if (!run) clauses.push('0');
    else {
      clauses.push('EXISTS (SELECT 1 FROM image_files f WHERE f.sha256 = i.sha256 AND f.seen_at BETWEEN ? AND ?)');
      params.push(run.startedAt, run.finishedAt ?? Date.now());
    }
  }
  const text = filter.text?.trim();
  if (text) {
    const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    clauses.push(
      `(EXISTS (SELECT 1 FROM image_files f WHERE f.sha256 = i.sha256 AND f.path LIKE ? ESCAPE '\\')
        OR EXISTS (SELECT 1 FROM listing_images li JOIN listings l ON l.id = li.listing_id WHERE li.sha256 = i.sha256 AND (l.title LIKE ? ESCAPE '\\' OR l.id LIKE ? ESCAPE '\\')))`,
    );
    params.push(like, like, like);
  }
  return { where: clauses.length ? clauses.join(' AND ') : '1', params };
}

export interface BrowsedImage extends ImageLabel {
  sha256: string;
  width: number;
  height: number;
  /** Listings showing the image, by id (at most 20). */
  listings: Array<{ id: string; title: string }>;
  listingCount: number;
}

/** One page of the catalog's images, with or without listings, in path order. */
export function browseImages(catalog: Catalog, filter: BrowseFilter, offset: number, limit: number): { total: number; images: BrowsedImage[] } {
  const { where, params } = browseWhere(catalog, filter);
  const total = catalog.db.prepare(`SELECT count(*) FROM images i WHERE ${where}`).pluck().get(...params) as number;
  const rows = catalog.db
    .prepare(
      `SELECT i.sha256, i.width, i.height,
         (SELECT f.path FROM image_files f WHERE f.sha256 = i.sha256 ORDER BY f.seen_at DESC, f.path LIMIT 1) AS path
       FROM images i WHERE ${where} ORDER BY path IS NULL, path, i.sha256 LIMIT ? OFFSET ?`,
    )
    .all(...params, limit, offset) as Array<{ sha256: string; width: number; height: number; path: string | null }>;
  const listings = catalog.db.prepare(
    `SELECT l.id, l.title FROM listing_images li JOIN listings l ON l.id = li.listing_id WHERE li.sha256 = ? GROUP BY l.id ORDER BY l.id LIMIT 21`,
  );
  const counts = catalog.db.prepare('SELECT count(DISTINCT listing_id) FROM listing_images WHERE sha256 = ?').pluck();
  return {
    total,
    images: rows.map((r) => {
      const of = listings.all(r.sha256) as Array<{ id: string; title: string }>;
      const title = of.find((l) => l.title.trim())?.title;
      return { ...r, name: displayName(r.sha256, title, r.path), listings: of.slice(0, 20), listingCount: counts.get(r.sha256) as number };
    }),
  };
}

/** What the Catalog page's filters offer: folders and import runs with their image counts. */
export function browseFacets(catalog: Catalog): {
  total: number;
  withListing: number;
  folders: Array<{ folder: string; count: number }>;
  runs: Array<{ id: number; startedAt: number; status: string; inputs: unknown; count: number }>;
} {
  const db = catalog.db;
  const total = db.prepare('SELECT count(*) FROM images').pluck().get() as number;
  const withListing = db.prepare('SELECT count(DISTINCT sha256) FROM listing_images').pluck().get() as number;
  const folders = db
    .prepare(`SELECT ${FOLDER} AS folder, count(DISTINCT f.sha256) AS count FROM image_files f GROUP BY folder ORDER BY folder LIMIT 500`)
    .all() as Array<{ folder: string; count: number }>;
  const runRows = db
    .prepare('SELECT id, started_at AS startedAt, finished_at AS finishedAt, status, inputs FROM ingest_runs ORDER BY id DESC LIMIT 20')
    .all() as Array<{ id: number; startedAt: number; finishedAt: number | null; status: string; inputs: string }>;
  const inRun = db.prepare('SELECT count(DISTINCT sha256) FROM image_files WHERE seen_at BETWEEN ? AND ?').pluck();
  const runs = runRows.map((r) => {
    let inputs: unknown = null;
    try {
      inputs = JSON.parse(r.inputs);
    } catch {
      inputs = null;
    }
    return { id: r.id, startedAt: r.startedAt, status: r.status, inputs, count: inRun.get(r.startedAt, r.finishedAt ?? Date.now()) as number };
  });
  return { total, withListing, folders, runs };
}

/** Distinct category and seller values with their listing counts, for the search filters' pick lists. */
export function listingFacets(catalog: Catalog): { categories: Array<{ value: string; count: number }>; sellers: Array<{ value: string; count: number }> } {
  const facet = (column: 'category' | 'seller') =>
    catalog.db
      .prepare(
        `SELECT min(trim(${column})) AS value, count(*) AS count FROM listings
         WHERE ${column} IS NOT NULL AND trim(${column}) <> '' GROUP BY lower(trim(${column})) ORDER BY count DESC, value LIMIT 1000`,
      )
      .all() as Array<{ value: string; count: number }>;
  return { categories: facet('category'), sellers: facet('seller') };
}

export const catalogImages: Handler<'catalog.images'> = async (input, { services }) => {
  const { offset, limit, ...filter } = input;
  return browseImages(services.catalog, filter, offset, limit);
};

export const catalogFacets: Handler<'catalog.facets'> = async (_input, { services }) => ({
  ...browseFacets(services.catalog),
  ...listingFacets(services.catalog),
});
