import type { AgainstOutput, DuplicateGroup, FindOutput, ListingsOutput } from '../../api/schemas/duplicates.js';
import { toCsv as csv } from '../csv.js';
import type { StoredPairDecision } from './store.js';

export const GROUP_CSV_HEADER = [
  'group', 'tier', 'group_size', 'group_sellers', 'sha256', 'centre', 'keep', 'path', 'listing_id', 'seller', 'title', 'price',
  'cosine_to_centre', 'hash_distance_to_centre', 'alignment_to_centre', 'frame_to_centre', 'colour_distance_to_centre', 'other_colour_than_centre',
  'decision_with_centre',
] as const;

/**
 * One row per (group, image, listing): a spreadsheet filters and pivots that directly. An image
 * without listings gets one row with empty listing fields; evidence is against the group centre.
 */
export function groupsToCsv(result: Pick<FindOutput, 'settings' | 'groups'>): { text: string; rows: number } {
  const rows: Array<Array<string | number | boolean | null>> = [[...GROUP_CSV_HEADER]];
  for (const g of result.groups) {
    const centre = g.images[0]?.sha256;
    for (const im of g.images) {
      const pair = im.centre ? undefined : g.pairs.find((p) => (p.a === centre && p.b === im.sha256) || (p.b === centre && p.a === im.sha256));
      const common = [g.id, result.settings.tier, g.size, g.sellers, im.sha256, im.centre, im.keep, im.paths[0] ?? null] as const;
      const evidence = [pair?.cosine ?? null, pair ? pair.hashDistance : null, pair?.alignment ?? null, pair?.frame ?? null, pair?.colourDistance ?? null, pair ? pair.otherColour : null, pair?.decision ?? null] as const;
      const listings = im.listings.length ? im.listings : [null];
      for (const l of listings) rows.push([...common, l?.id ?? null, l?.seller ?? null, l?.title ?? null, l?.price ?? null, ...evidence]);
    }
  }
  return { text: csv(rows), rows: rows.length - 1 };
}

export function groupsToJson(result: Pick<FindOutput, 'settings' | 'groups' | 'totalGroups'>): { text: string; rows: number } {
  const { settings, groups, totalGroups } = result;
  return { text: `${JSON.stringify({ settings, totalGroups, groups }, null, 1)}\n`, rows: groups.length };
}

export interface DecisionsExport {
  pairs: Array<StoredPairDecision & { aPaths: string[]; bPaths: string[] }>;
  keeps: Array<{ sha256: string; decidedAt: number; paths: string[] }>;
}

export const DECISION_CSV_HEADER = ['kind', 'decision', 'a_sha256', 'a_path', 'b_sha256', 'b_path', 'decided_at'] as const;

/** Pair verdicts and kept images in one table: kind "pair" or "keep" (b columns empty). */
export function decisionsToCsv(d: DecisionsExport): { text: string; rows: number } {
  const rows: Array<Array<string | number | null>> = [[...DECISION_CSV_HEADER]];
  for (const p of d.pairs) rows.push(['pair', p.decision, p.a, p.aPaths[0] ?? null, p.b, p.bPaths[0] ?? null, new Date(p.decidedAt).toISOString()]);
  for (const k of d.keeps) rows.push(['keep', 'keep', k.sha256, k.paths[0] ?? null, null, null, new Date(k.decidedAt).toISOString()]);
  return { text: csv(rows), rows: rows.length - 1 };
}

export function decisionsToJson(d: DecisionsExport): { text: string; rows: number } {
  return { text: `${JSON.stringify(d, null, 1)}\n`, rows: d.pairs.length + d.keeps.length };
}

export type { DuplicateGroup };

export const LISTING_CSV_HEADER = [
  'group', 'kind', 'group_listings', 'group_sellers', 'listing_id', 'seller', 'title', 'price', 'source', 'photos', 'shared_photos',
  'shared_with', 'shared_sha256',
] as const;

/** One row per (listing group, listing): who shares photos with whom, and which photos. */
export function listingsToCsv(result: Pick<ListingsOutput, 'groups'>): { text: string; rows: number } {
  const rows: Array<Array<string | number | null>> = [[...LISTING_CSV_HEADER]];
  for (const g of result.groups) {
    for (const l of g.listings) {
      const mine = g.photos.filter((p) => p.listings.includes(l.id));
      const others = [...new Set(mine.flatMap((p) => p.listings).filter((id) => id !== l.id))];
      const shas = mine.map((p) => p.images.find((im) => im.listings.includes(l.id))?.sha256 ?? p.images[0]!.sha256);
      rows.push([g.id, g.kind, g.size, g.sellers, l.id, l.seller, l.title, l.price, l.source, l.photos, l.sharedPhotos, others.join(';'), shas.join(';')]);
    }
  }
  return { text: csv(rows), rows: rows.length - 1 };
}

export const AGAINST_CSV_HEADER = [
  'listing_id', 'seller', 'title', 'match', 'match_listing_id', 'match_seller', 'match_title', 'match_source', 'cosine', 'hash_distance', 'alignment',
  'colour_distance', 'sha256', 'match_sha256',
] as const;

/** One row per (listing of A, match in B); a listing of A with no match is left out. */
export function againstToCsv(result: Pick<AgainstOutput, 'rows'>): { text: string; rows: number } {
  const rows: Array<Array<string | number | null>> = [[...AGAINST_CSV_HEADER]];
  for (const r of result.rows) {
    for (const m of [...r.near, ...r.similar]) {
      rows.push([r.listing.id, r.listing.seller, r.listing.title, m.tier, m.listing.id, m.listing.seller, m.listing.title, m.listing.source, m.score, m.pair.hashDistance, m.pair.alignment, m.pair.colourDistance, m.pair.a, m.pair.b]);
    }
  }
  return { text: csv(rows), rows: rows.length - 1 };
}
