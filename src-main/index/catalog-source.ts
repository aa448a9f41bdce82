import type { Catalog } from '../catalog/catalog.js';
import type { ListingFilter } from './types.js';

/**
 * The catalog queries search needs beyond Catalog's own methods, as SQL against its tables
 * (listings, listing_images, embeddings): filters over listings, listing fields of a batch of
 * images, and a cheap "did this model's vectors change" generation.
 */

/** The listing fields search results and Qdrant payloads carry. */
export interface ListingFields {
  id: string;
  sku: string | null;
  title: string;
  category: string | null;
  price: number | null;
  seller: string | null;
}

/** Changes whenever a vector of this model revision is added or removed. */
export function embeddingsGeneration(catalog: Catalog, modelId: string, revision: string): string {
  const row = catalog.db
    .prepare('SELECT count(*) AS n, coalesce(max(rowid), 0) AS last FROM embeddings WHERE model_id = ? AND revision = ?')
    .get(modelId, revision) as { n: number; last: number };
  return `${row.n}:${row.last}`;
}

function filterSql(filter: ListingFilter): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter.category !== undefined) clauses.push('trim(l.category) = trim(?) COLLATE NOCASE') && params.push(filter.category);
  if (filter.seller !== undefined) clauses.push('trim(l.seller) = trim(?) COLLATE NOCASE') && params.push(filter.seller);
  if (filter.priceMin !== undefined) clauses.push('l.price >= ?') && params.push(filter.priceMin);
  if (filter.priceMax !== undefined) clauses.push('l.price <= ?') && params.push(filter.priceMax);
  return { where: clauses.length ? clauses.join(' AND ') : '1', params };
}

/** Shas of the images shown by at least one listing that passes the filter. */
export function shasMatching(catalog: Catalog, filter: ListingFilter): string[] {
  const { where, params } = filterSql(filter);
  return catalog.db
    .prepare(`SELECT DISTINCT li.sha256 FROM listings l JOIN listing_images li ON li.listing_id = l.id WHERE ${where}`)
    .pluck()
    .all(...params) as string[];
}

/** Listings of each image (those passing the filter, if given), in listing id order. */
export function listingsOfImages(catalog: Catalog, shas: readonly string[], filter: ListingFilter = {}): Map<string, ListingFields[]> {
  const out = new Map<string, ListingFields[]>();
  if (shas.length === 0) return out;
  const { where, params } = filterSql(filter);
  const rows = catalog.db
    .prepare(
      `SELECT DISTINCT li.sha256 AS sha256, l.id, l.sku, l.title, l.category, l.price, l.seller
       FROM listing_images li JOIN listings l ON l.id = li.listing_id
       WHERE li.sha256 IN (SELECT value FROM json_each(?)) AND ${where} ORDER BY li.sha256, l.id`,
    )
    .all(JSON.stringify(shas), ...params) as Array<ListingFields & { sha256: string }>;
  for (const { sha256, ...listing } of rows) {
    const list = out.get(sha256);
    if (list) list.push(listing);
    else out.set(sha256, [listing]);
  }
  return out;
}
