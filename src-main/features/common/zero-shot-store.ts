import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Catalog } from '../../catalog/catalog.js';
import { decodeVector, encodeVector } from '../../catalog/vectors.js';

export interface ScoreRow {
  listing: string;
  sha256: string;
  text: string;
  cosine: number;
  probability: number | null;
  relativeScore: number | null;
}

/** A listing due for (re)scoring: its current title and main image. */
export interface StaleListing {
  id: string;
  title: string;
  sha256: string;
}

export function textSha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The listing's first image by position: the photo a title is checked against. */
const MAIN_IMAGE = `(SELECT li.sha256 FROM listing_images li WHERE li.listing_id = l.id ORDER BY li.position LIMIT 1)`;

/**
 * Zero-shot rows in the catalog database: cached text vectors (titles, category prompts), the
 * catalog's categories, and each listing's title-photo score per model revision. Mismatch ranks
 * these scores and compare counts them; the tables keep the names of the migration that made them
 * (0100-mismatch, features/mismatch/schema.ts), so existing catalogs keep their rows.
 */
export class ZeroShotStore {
  private readonly db: Database.Database;

  constructor(readonly catalog: Catalog) {
    this.db = catalog.db;
  }

  // ---- text vectors ---------------------------------------------------------------------------

  /** Cached vectors by text; texts without one are absent. */
  textVectors(modelId: string, revision: string, texts: readonly string[]): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    const get = this.db.prepare('SELECT dim, vector FROM mismatch_text_embeddings WHERE model_id = ? AND revision = ? AND text_sha = ?');
    for (const t of new Set(texts)) {
      const row = get.get(modelId, revision, textSha(t)) as { dim: number; vector: Buffer } | undefined;
      if (row) out.set(t, decodeVector(row.vector, row.dim));
    }
    return out;
  }

  putTextVectors(modelId: string, revision: string, rows: ReadonlyArray<[string, Float32Array]>): void {
    const put = this.db.prepare(
      'INSERT OR REPLACE INTO mismatch_text_embeddings (model_id, revision, text_sha, dim, vector, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const now = Date.now();
    this.db.transaction(() => {
      for (const [text, v] of rows) put.run(modelId, revision, textSha(text), v.length, encodeVector(v), now);
    })();
  }

  // ---- categories -----------------------------------------------------------------------------

  /** Distinct non-empty categories of the catalog, most listings first (ties by name), at most `limit`. */
  categories(limit: number): string[] {
    return this.db
      .prepare(
        `SELECT trim(category) AS c FROM listings WHERE category IS NOT NULL AND trim(category) <> ''
         GROUP BY c ORDER BY count(*) DESC, c LIMIT ?`,
      )
      .pluck()
      .all(limit) as string[];
  }

  // ---- scores ---------------------------------------------------------------------------------

  /**
   * Listings with a title and an image whose score for this model revision is missing or stale:
   * new listings, changed titles, a different main image, or (promptsSha given) a changed prompt set.
   */
  staleListings(modelId: string, revision: string, promptsSha: string | null): StaleListing[] {
    return this.db
      .prepare(
        `SELECT id, title, sha256 FROM (
           SELECT l.id, trim(l.title) AS title, ${MAIN_IMAGE} AS sha256 FROM listings l WHERE trim(l.title) <> ''
         ) c
         WHERE c.sha256 IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM mismatch_scores s WHERE s.model_id = ? AND s.revision = ? AND s.listing_id = c.id
             AND s.text = c.title AND s.sha256 = c.sha256 AND (? IS NULL OR s.prompts_sha IS ?)
         ) ORDER BY id`,
      )
      .all(modelId, revision, promptsSha, promptsSha) as StaleListing[];
  }

  /** Listings that can be scored at all (a title and at least one image), and those that cannot. */
  coverage(): { scorable: number; noTitle: number; noImage: number } {
    const row = this.db
      .prepare(
        `SELECT
           sum(CASE WHEN trim(title) <> '' AND EXISTS (SELECT 1 FROM listing_images li WHERE li.listing_id = l.id) THEN 1 ELSE 0 END) AS scorable,
           sum(CASE WHEN trim(title) = '' THEN 1 ELSE 0 END) AS noTitle,
           sum(CASE WHEN trim(title) <> '' AND NOT EXISTS (SELECT 1 FROM listing_images li WHERE li.listing_id = l.id) THEN 1 ELSE 0 END) AS noImage
         FROM listings l`,
      )
      .get() as { scorable: number | null; noTitle: number | null; noImage: number | null };
    return { scorable: row.scorable ?? 0, noTitle: row.noTitle ?? 0, noImage: row.noImage ?? 0 };
  }

  putScores(modelId: string, revision: string, promptsSha: string | null, rows: readonly ScoreRow[]): void {
    const put = this.db.prepare(
      `INSERT OR REPLACE INTO mismatch_scores (listing_id, model_id, revision, sha256, text, cosine, probability, relative_score, prompts_sha, computed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const now = Date.now();
    this.db.transaction(() => {
      for (const r of rows) put.run(r.listing, modelId, revision, r.sha256, r.text, r.cosine, r.probability, r.relativeScore, promptsSha, now);
    })();
  }

  /** Drops rows of listings that lost their title or every image since they were scored. */
  dropUnscorable(modelId: string, revision: string): number {
    return this.db
      .prepare(
        `DELETE FROM mismatch_scores WHERE model_id = ? AND revision = ? AND listing_id IN (
           SELECT l.id FROM listings l WHERE trim(l.title) = '' OR NOT EXISTS (SELECT 1 FROM listing_images li WHERE li.listing_id = l.id))`,
      )
      .run(modelId, revision).changes;
  }

  /** Current (non-stale) scores of one model revision, keyed by listing. */
  scores(modelId: string, revision: string): Map<string, ScoreRow> {
    const rows = this.db
      .prepare(
        `SELECT s.listing_id AS listing, s.sha256, s.text, s.cosine, s.probability, s.relative_score AS relativeScore
         FROM mismatch_scores s JOIN listings l ON l.id = s.listing_id
         WHERE s.model_id = ? AND s.revision = ? AND s.text = trim(l.title)`,
      )
      .all(modelId, revision) as ScoreRow[];
    return new Map(rows.map((r) => [r.listing, r]));
  }

  /** The newest score of a listing's current title (of one model revision, or of any). */
  latestScore(listing: string, model?: { id: string; revision: string }): { model: string; probability: number | null; relativeScore: number | null } | undefined {
    return this.db
      .prepare(
        `SELECT s.model_id AS model, s.probability, s.relative_score AS relativeScore FROM mismatch_scores s JOIN listings l ON l.id = s.listing_id
         WHERE s.listing_id = ? AND s.text = trim(l.title) AND (? IS NULL OR (s.model_id = ? AND s.revision = ?))
         ORDER BY s.computed_at DESC LIMIT 1`,
      )
      .get(listing, model?.id ?? null, model?.id ?? null, model?.revision ?? null) as { model: string; probability: number | null; relativeScore: number | null } | undefined;
  }
}
