import type { Progress } from '../../shared/progress.js';
import type { Catalog } from '../../catalog/catalog.js';
import { candidateScores, cosine, matchProbability } from '../../engine/similarity.js';
import type { Embedder, Scoring } from '../../engine/types.js';
import { type ScoreRow, type ZeroShotStore, textSha } from './zero-shot-store.js';
import { imageVectors, textVectors } from './vectors.js';

/** Categories beyond this many (rarest first) are left out of the zero-shot prompt set. */
export const MAX_CATEGORIES = 200;
/** Listings scored (and stored, and reported) at a time: a progress step even where photos must be embedded first. */
const BATCH = 64;

/** The text a category is scored as: the name with separators as spaces ("home_decor" -> "home decor"). */
export function categoryPrompt(category: string): string {
  return category.replace(/[_\s]+/g, ' ').trim();
}

export interface PromptSet {
  categories: string[];
  prompts: string[];
  /** Identifies the set; CLIP relative scores are recomputed when it changes. */
  sha: string;
}

export function promptSet(store: ZeroShotStore): PromptSet {
  const categories = store.categories(MAX_CATEGORIES);
  const prompts = categories.map(categoryPrompt);
  return { categories, prompts, sha: textSha(JSON.stringify(prompts)) };
}

/**
 * Scores of candidate labels for one image, read by the pack's head: SigLIP an independent
 * probability per label, CLIP a softmax over exactly these labels.
 */
export function labelScores(scoring: Scoring, image: Float32Array, labels: readonly Float32Array[]): number[] {
  return candidateScores(
    scoring,
    labels.map((l) => cosine(image, l)),
  );
}

/**
 * CLIP's relative score of a title: its share of the softmax over the title and the category
 * prompts. Near 1: the photo fits the title better than any category; near 0: some category fits
 * far better. Relative to this prompt set only, never a probability.
 */
export function relativeTitleScore(embedder: Embedder, titleCos: number, promptCosines: readonly number[]): number {
  return candidateScores(embedder.scoring, [titleCos, ...promptCosines])[0]!;
}

export interface ScoreRunStats {
  scored: number;
  /** Listings whose image file is gone and has no cached vector: left unscored. */
  unreadable: number;
  ms: number;
}

/**
 * Brings the stored title-photo scores of one model revision up to date: scores only listings
 * that are new, retitled, re-photographed (or, for CLIP, all of them when the category set changed).
 */
export async function refreshScores(
  catalog: Catalog,
  store: ZeroShotStore,
  embedder: Embedder,
  ctx: { progress?: (p: Progress) => void; signal?: AbortSignal },
): Promise<ScoreRunStats> {
  const started = Date.now();
  const softmax = embedder.scoring.kind === 'softmax';
  const prompts = softmax ? promptSet(store) : null;
  store.dropUnscorable(embedder.id, embedder.revision);
  const stale = store.staleListings(embedder.id, embedder.revision, prompts?.sha ?? null);
  if (stale.length === 0) return { scored: 0, unreadable: 0, ms: Date.now() - started };
  // The total at once: the page shows "0 of N" rather than "Starting…" while the first batch runs.
  ctx.progress?.({ phase: 'scoring titles', done: 0, total: stale.length, message: embedder.id });
  const promptVectors = prompts ? await textVectors(store, embedder, prompts.prompts, ctx.signal) : null;
  let scored = 0;
  let unreadable = 0;
  for (let start = 0; start < stale.length; start += BATCH) {
    ctx.signal?.throwIfAborted();
    const batch = stale.slice(start, start + BATCH);
    const images = await imageVectors(catalog, embedder, batch.map((l) => l.sha256), ctx.signal);
    const titles = await textVectors(store, embedder, batch.map((l) => l.title), ctx.signal);
    const rows: ScoreRow[] = [];
    for (const l of batch) {
      const image = images.get(l.sha256);
      if (!image) {
        unreadable++;
        continue;
      }
      const cos = cosine(image, titles.get(l.title)!);
      rows.push({
        listing: l.id,
        sha256: l.sha256,
        text: l.title,
        cosine: cos,
        probability: softmax ? null : matchProbability(embedder.scoring, cos),
        relativeScore: promptVectors && prompts ? relativeTitleScore(embedder, cos, prompts.prompts.map((p) => cosine(image, promptVectors.get(p)!))) : null,
      });
    }
    store.putScores(embedder.id, embedder.revision, prompts?.sha ?? null, rows);
    scored += rows.length;
    const elapsed = (Date.now() - started) / 1000;
    const done = start + batch.length;
    ctx.progress?.({
      phase: 'scoring titles',
      done,
      total: stale.length,
      failed: unreadable,
      ratePerSecond: elapsed > 0 ? done / elapsed : undefined,
      message: embedder.id,
    });
  }
  return { scored, unreadable, ms: Date.now() - started };
}
