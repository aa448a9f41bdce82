import type { Catalog } from '../../catalog/catalog.js';
import { cosine } from '../../engine/similarity.js';
import { computeFramePrint, hammingHex } from '../../engine/image-hash.js';
import type { Embedder } from '../../engine/types.js';
import type { StoreHit } from '../../index/types.js';
import { Aligner, IDENTITY_WINDOW, colourless } from '../duplicates/alignment.js';
import { MAX_COLOUR_DISTANCE } from '../duplicates/graph.js';
import type { DuplicateStore } from '../duplicates/store.js';
import { DEFAULT_NEAR } from '../duplicates/tiers.js';

/**
 * Stacking near-identical copies in search results. A catalog often holds one photo several
 * times (re-encoded, resized, re-uploaded by another seller); without stacking, one photo's
 * copies fill the top of a search. Two results are copies when their pixels agree (a perceptual
 * hash of the stored thumbnail) and their embeddings agree: the hash alone would join two flat
 * product shots on white, the embedding alone joins different photos of one product (the demo
 * models give cosines of 0.998+ to different photos, see features/duplicates/tiers.ts). The
 * pHash is grey, so the colours are checked as the duplicate finder does: the same picture in
 * another colour is a variant a shopper chooses between, never stacked away. A feature module,
 * not an index one: the hashes are the duplicate finder's, read through its store.
 */
export interface CopyRule {
  /** Copies when the hash distance is at most `hash` and the cosine at least `cosine`, ... */
  hash: number;
  cosine: number;
  /** ... or when the hashes alone are this close (and, for two colourless pictures, the cosine at least `greyCosine`: tiers.ts NearRule). */
  hashAlone: number;
  greyCosine: number;
  /** Never when their colours differ by more than this (degrees of hue, alignment.ts colourAt). */
  colour: number;
}

export const DEFAULT_COPY_RULE: CopyRule = { hash: 10, cosine: 0.9, hashAlone: 3, greyCosine: DEFAULT_NEAR.greyCosine, colour: MAX_COLOUR_DISTANCE };

/** What the colours of two pictures say: their distance laid on each other (NaN when either has none, or unknown) and how many have none. */
export interface CopyColours {
  distance: number;
  colourless: number;
}

const UNKNOWN_COLOURS: CopyColours = { distance: Number.NaN, colourless: 0 };

export function isCopy(hashDistance: number, cosine: number, colours: CopyColours = UNKNOWN_COLOURS, rule: CopyRule = DEFAULT_COPY_RULE): boolean {
  if (!Number.isFinite(hashDistance) || colours.distance > rule.colour) return false;
  const hashesAlone = hashDistance <= rule.hashAlone && !(colours.colourless === 2 && cosine < rule.greyCosine);
  return hashesAlone || (hashDistance <= rule.hash && cosine >= rule.cosine);
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

/** What a search hit brings to the copy test: a whole-frame pHash and the alignment signature (grey frame and colour planes). */
export interface CopyPrint {
  phash: string | null;
  signature: Uint8Array | null;
}

const NO_PRINT: CopyPrint = { phash: null, signature: null };
const cache = new Map<string, CopyPrint>();
const CACHE_MAX = 100_000;

/** The frame print (computeFramePrint) of the stored thumbnail, null fields when there is none; cached per sha256. */
async function thumbPrint(catalog: Catalog, sha256: string): Promise<CopyPrint> {
  const hit = cache.get(sha256);
  if (hit !== undefined) return hit;
  let print = NO_PRINT;
  const thumb = catalog.thumbnail(sha256);
  if (thumb) {
    try {
      const h = await computeFramePrint(thumb.bytes);
      print = { phash: h.phash, signature: h.thumb };
    } catch {
      // An unreadable thumbnail: no print, so never a copy.
    }
  }
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(sha256, print);
  return print;
}

/**
 * One print per hit, all of one kind so that distances compare like with like: the duplicate
 * finder's (its store, computed at import or by its hashes job) when every hit has one, else the
 * same hashes of the stored thumbnails for all of them.
 */
async function copyPrints(catalog: Catalog, duplicates: DuplicateStore, shas: readonly string[]): Promise<Map<string, CopyPrint>> {
  const stored = duplicates.copyPrints(shas);
  if (shas.every((s) => stored.has(s))) return stored;
  return thumbPrints(catalog, shas);
}

async function thumbPrints(catalog: Catalog, shas: readonly string[]): Promise<Map<string, CopyPrint>> {
  const out = new Map<string, CopyPrint>();
  // A few at a time: sharp decodes on its own threads.
  for (let i = 0; i < shas.length; i += 8) {
    const batch = shas.slice(i, i + 8);
    const prints = await Promise.all(batch.map((s) => thumbPrint(catalog, s)));
    batch.forEach((s, j) => out.set(s, prints[j] ?? NO_PRINT));
  }
  return out;
}

export function hashDistance(a: string | null | undefined, b: string | null | undefined): number {
  return a && b ? hammingHex(a, b) : Number.POSITIVE_INFINITY;
}

/** Near-identical copies under their best-ranked copy; at most k stacks. */
export async function stackHits(catalog: Catalog, duplicates: DuplicateStore, model: Embedder, hits: StoreHit[], k: number) {
  const shas = hits.map((h) => h.sha256);
  const [prints, vectors] = [await copyPrints(catalog, duplicates, shas), catalog.getEmbeddings(shas, model.id, model.revision)];
  const aligner = new Aligner();
  return stackCopies(
    hits,
    (leader, hit) => {
      const pa = prints.get(leader.sha256) ?? NO_PRINT;
      const pb = prints.get(hit.sha256) ?? NO_PRINT;
      // The hash first (a popcount): most pairs are told apart without a dot product.
      const distance = hashDistance(pa.phash, pb.phash);
      if (!(distance <= DEFAULT_COPY_RULE.hash)) return false;
      const a = vectors.get(leader.sha256);
      const b = vectors.get(hit.sha256);
      const [sa, sb] = [pa.signature, pb.signature];
      const colours = sa && sb ? { distance: aligner.colourAt(sa, sb, IDENTITY_WINDOW), colourless: Number(colourless(sa)) + Number(colourless(sb)) } : UNKNOWN_COLOURS;
      return isCopy(distance, a && b ? cosine(a, b) : Number.NaN, colours);
    },
    k,
  );
}
