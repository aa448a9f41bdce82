import sharp from 'sharp';
import type { Catalog } from '../../catalog/catalog.js';
import { cosine } from '../../engine/similarity.js';
import { dctHash, hammingHex } from '../../engine/image-hash.js';
import type { Embedder } from '../../engine/types.js';
import type { StoreHit } from '../../index/types.js';
import type { DuplicateStore } from '../duplicates/store.js';

/**
 * Stacking near-identical copies in search results. A catalog often holds one photo several
 * times (re-encoded, resized, re-uploaded by another seller); without stacking, one photo's
 * copies fill the top of a search. Two results are copies when their pixels agree (a perceptual
 * hash of the stored thumbnail) and their embeddings agree: the hash alone would join two flat
 * product shots on white, the embedding alone joins different photos of one product (the demo
 * models give cosines of 0.998+ to different photos, see features/duplicates/tiers.ts). A feature
 * module, not an index one: the hashes are the duplicate finder's, read through its store.
 */
export interface CopyRule {
  /** Copies when the hash distance is at most `hash` and the cosine at least `cosine`, ... */
  hash: number;
  cosine: number;
  /** ... or when the hashes alone are this close. */
  hashAlone: number;
}

export const DEFAULT_COPY_RULE: CopyRule = { hash: 10, cosine: 0.9, hashAlone: 3 };

export function isCopy(hashDistance: number, cosine: number, rule: CopyRule = DEFAULT_COPY_RULE): boolean {
  if (!Number.isFinite(hashDistance)) return false;
  return hashDistance <= rule.hashAlone || (hashDistance <= rule.hash && cosine >= rule.cosine);
}

export type Stacked<T> = T & { copies: T[] };

/**
 * Greedy stacking in rank order: each hit joins the first (best-ranked) stack whose leader it is a
 * copy of, else starts a stack. Comparing with leaders only keeps a stack from drifting through a
 * chain of small differences. Returns at most `limit` stacks, best first, each with its copies in
 * rank order.
 */
export function stackCopies<T>(hits: readonly T[], copyOf: (leader: T, hit: T) => boolean, limit = Number.POSITIVE_INFINITY): Array<Stacked<T>> {
  const stacks: Array<Stacked<T>> = [];
  for (const hit of hits) {
    const home = stacks.find((s) => copyOf(s, hit));
    if (home) home.copies.push(hit);
    else if (stacks.length < limit) stacks.push({ ...hit, copies: [] });
    // A new stack past the limit is not shown; its copies further down are dropped with it.
  }
  return stacks;
}

/** How many results to fetch so that `k` stacks are likely after stacking. */
export function overFetch(k: number): number {
  return Math.min(2000, Math.max(k + 20, k * 3));
}

const cache = new Map<string, string | null>();
const CACHE_MAX = 100_000;

/** pHash of the stored thumbnail (32x32 grey, DCT), null when there is none; cached per sha256. */
async function thumbHash(catalog: Catalog, sha256: string): Promise<string | null> {
  const hit = cache.get(sha256);
  if (hit !== undefined) return hit;
  let hash: string | null = null;
  const thumb = catalog.thumbnail(sha256);
  if (thumb) {
    try {
      const raw = await sharp(thumb.bytes).resize(32, 32, { fit: 'fill' }).greyscale().raw().toBuffer();
      hash = dctHash(Float64Array.from(raw), false);
    } catch {
      hash = null;
    }
  }
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(sha256, hash);
  return hash;
}

/**
 * One perceptual hash per hit, all of one kind so that distances compare like with like: the
 * duplicate finder's whole-frame pHash (its store, computed at import or by its hashes job) when
 * every hit has one, else the thumbnail pHash for all of them.
 */
export async function copyHashes(catalog: Catalog, duplicates: DuplicateStore, shas: readonly string[]): Promise<Map<string, string | null>> {
  const stored = duplicates.wholeFrameHashes(shas);
  if (shas.every((s) => stored.has(s))) return stored;
  return thumbHashes(catalog, shas);
}

export async function thumbHashes(catalog: Catalog, shas: readonly string[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  // A few at a time: sharp decodes on its own threads.
  for (let i = 0; i < shas.length; i += 8) {
    const batch = shas.slice(i, i + 8);
    const hashes = await Promise.all(batch.map((s) => thumbHash(catalog, s)));
    batch.forEach((s, j) => out.set(s, hashes[j] ?? null));
  }
  return out;
}

export function hashDistance(a: string | null | undefined, b: string | null | undefined): number {
  return a && b ? hammingHex(a, b) : Number.POSITIVE_INFINITY;
}

/** Near-identical copies under their best-ranked copy; at most k stacks. */
export async function stackHits(catalog: Catalog, duplicates: DuplicateStore, model: Embedder, hits: StoreHit[], k: number) {
  const shas = hits.map((h) => h.sha256);
  const [hashes, vectors] = [await copyHashes(catalog, duplicates, shas), catalog.getEmbeddings(shas, model.id, model.revision)];
  return stackCopies(
    hits,
    (leader, hit) => {
      // The hash first (a popcount): most pairs are told apart without a dot product.
      const distance = hashDistance(hashes.get(leader.sha256), hashes.get(hit.sha256));
      if (!(distance <= DEFAULT_COPY_RULE.hash)) return false;
      const a = vectors.get(leader.sha256);
      const b = vectors.get(hit.sha256);
      return isCopy(distance, a && b ? cosine(a, b) : Number.NaN);
    },
    k,
  );
}
