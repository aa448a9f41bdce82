import type { Catalog } from '../../catalog/catalog.js';
import { toCsv } from '../csv.js';
import type { ScoredQueue } from './queue.js';
import type { DecisionRow } from './store.js';

export interface ExportText {
  text: string;
  rows: number;
}

const iso = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString() : null);

function csv(header: readonly string[], rows: Array<Array<string | number | boolean | null>>): string {
  return toCsv([[...header], ...rows]);
}

export const DECISION_COLUMNS = ['listing_id', 'sku', 'title', 'category', 'seller', 'image_path', 'decision', 'model', 'probability', 'relative_score', 'note', 'decided_at'] as const;

/** Each listing's current decision with the listing's fields. */
export function decisionsExport(catalog: Catalog, decisions: readonly DecisionRow[], format: 'csv' | 'json'): ExportText {
  const listings = new Map(catalog.listingsByIds(decisions.map((d) => d.listing)).map((l) => [l.id, l]));
  const records = decisions.map((d) => {
    const l = listings.get(d.listing);
    const sha = l?.images[0]?.sha256;
    return {
      listing_id: d.listing,
      sku: l?.sku ?? null,
      title: d.title,
      category: l?.category ?? null,
      seller: l?.seller ?? null,
      image_path: sha ? (catalog.imagePaths(sha)[0] ?? null) : null,
      decision: d.decision,
      model: d.model,
      probability: d.probability,
      relative_score: d.relativeScore,
      note: d.note,
      decided_at: iso(d.decidedAt),
    };
  });
  if (format === 'json') return { text: `${JSON.stringify({ decisions: records }, null, 1)}\n`, rows: records.length };
  return { text: csv(DECISION_COLUMNS, records.map((r) => DECISION_COLUMNS.map((c) => r[c]))), rows: records.length };
}

export const QUEUE_COLUMNS = ['rank', 'listing_id', 'sku', 'title', 'category', 'seller', 'sha256', 'image_path', 'model', 'probability', 'relative_model', 'relative_score', 'decision', 'decided_at'] as const;

/** The filtered queue, lowest score first, with each listing's current decision. */
export function queueExport(catalog: Catalog, q: ScoredQueue, format: 'csv' | 'json'): ExportText {
  const listings = new Map(catalog.listingsByIds(q.rows.map((r) => r.score.listing)).map((l) => [l.id, l]));
  const records = q.rows.map((r, i) => {
    const l = listings.get(r.score.listing);
    return {
      rank: i + 1,
      listing_id: r.score.listing,
      sku: l?.sku ?? null,
      title: r.score.text,
      category: l?.category ?? null,
      seller: l?.seller ?? null,
      sha256: r.score.sha256,
      image_path: catalog.imagePaths(r.score.sha256)[0] ?? null,
      model: q.model.id,
      probability: r.score.probability,
      relative_model: q.scoreField === 'relativeScore' ? q.model.id : (q.relativeModel?.id ?? null),
      relative_score: r.relative,
      decision: r.decision?.decision ?? null,
      decided_at: iso(r.decision?.decidedAt),
    };
  });
  if (format === 'json') return { text: `${JSON.stringify({ model: q.model.id, scoreField: q.scoreField, items: records }, null, 1)}\n`, rows: records.length };
  return { text: csv(QUEUE_COLUMNS, records.map((r) => QUEUE_COLUMNS.map((c) => r[c]))), rows: records.length };
}
