import type { DuplicateGroup, FindOutput } from '../../api/schemas/duplicates.js';
import { toCsv as csv } from '../csv.js';
import type { StoredPairDecision } from './store.js';

export const GROUP_CSV_HEADER = [
  'group', 'tier', 'group_size', 'group_sellers', 'sha256', 'centre', 'keep', 'path', 'listing_id', 'seller', 'title', 'price',
  'cosine_to_centre', 'hash_distance_to_centre', 'alignment_to_centre', 'decision_with_centre',
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
      const evidence = [pair?.cosine ?? null, pair ? pair.hashDistance : null, pair?.alignment ?? null, pair?.decision ?? null] as const;
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
