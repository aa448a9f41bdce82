import type { z } from 'zod';
import type { CallContext } from '../../features/context.js';
import type { compareMethods } from '../../api/schemas/compare.js';
import type { OnnxEmbedder } from '../../engine/embedder.js';
import { cosine } from '../../engine/similarity.js';
import { modelRef } from '../common/load-model.js';
import { ensureImageEmbeddings, textVectors } from '../common/vectors.js';
import { promptSet, refreshScores } from '../common/zero-shot.js';
import { ZeroShotStore } from '../common/zero-shot-store.js';
import { loadPair } from './pair.js';

type CatalogInput = z.output<(typeof compareMethods)['compare.catalog']['input']>;
type CatalogOutput = z.infer<(typeof compareMethods)['compare.catalog']['output']>;
type FoundBy = 'both' | 'first' | 'second';

/** Sizes of two sets and of their intersection and differences. */
export function setCounts<T>(a: ReadonlySet<T>, b: ReadonlySet<T>) {
  let both = 0;
  for (const x of a) if (b.has(x)) both++;
  return { first: a.size, second: b.size, both, onlyFirst: a.size - both, onlySecond: b.size - both };
}

/** Items of either set, labelled by which set holds them; the disagreements first. */
function labelled<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): Array<{ item: T; foundBy: FoundBy }> {
  const rows: Array<{ item: T; foundBy: FoundBy }> = [];
  for (const x of a) rows.push({ item: x, foundBy: b.has(x) ? 'both' : 'first' });
  for (const x of b) if (!a.has(x)) rows.push({ item: x, foundBy: 'second' });
  const order: Record<FoundBy, number> = { first: 0, second: 1, both: 2 };
  return rows.sort((x, y) => order[x.foundBy] - order[y.foundBy]);
}

/** Every pair of images grouped together by the duplicates feature with one model, as "a|b" (a < b). */
async function duplicatePairs(model: OnnxEmbedder, input: CatalogInput, ctx: CallContext): Promise<{ pairs: Set<string>; threshold: number | null }> {
  const found = await ctx.services.duplicates.find(
    { tier: input.tier, threshold: input.threshold, mirror: false, model: model.id, offset: 0, limit: 100_000, sort: 'size' },
    ctx,
  );
  const pairs = new Set<string>();
  for (const g of found.groups) {
    const shas = g.images.map((im) => im.sha256).sort();
    for (let i = 0; i < shas.length; i++) for (let j = i + 1; j < shas.length; j++) pairs.add(`${shas[i]}|${shas[j]}`);
  }
  return { pairs, threshold: found.settings.threshold };
}

export function mismatchRule(model: OnnxEmbedder, below: number): string {
  return model.scoring.kind === 'sigmoid'
    ? `${model.id}: probability < ${below}`
    : `${model.id}: the photo's top category prompt differs from the title's closest category prompt`;
}

/**
 * Listings one model counts as mismatched, with its score for each scored listing.
 * SigLIP: probability below `below`. CLIP has no absolute probability, so a CLIP "catch" is a
 * disagreement between the two sides of its own zero-shot reading: the category prompt that best
 * fits the photo is not the category prompt closest to the title's text.
 */
async function mismatchCatches(
  model: OnnxEmbedder,
  store: ZeroShotStore,
  below: number,
  ctx: CallContext,
): Promise<{ caught: Set<string>; scores: Map<string, number | null>; titles: Map<string, { title: string; sha256: string }> }> {
  const catalog = ctx.services.catalog;
  await refreshScores(catalog, store, model, ctx);
  const rows = [...store.scores(model.id, model.revision).values()];
  const caught = new Set<string>();
  const scores = new Map<string, number | null>();
  const titles = new Map(rows.map((r) => [r.listing, { title: r.text, sha256: r.sha256 }]));
  if (model.scoring.kind === 'sigmoid') {
    for (const r of rows) {
      scores.set(r.listing, r.probability);
      if (r.probability !== null && r.probability < below) caught.add(r.listing);
    }
    return { caught, scores, titles };
  }
  const prompts = promptSet(store).prompts;
  if (prompts.length === 0) return { caught, scores, titles };
  const promptVectors = await textVectors(store, model, prompts, ctx.signal);
  const vectors = prompts.map((p) => promptVectors.get(p)!);
  const argmax = (v: Float32Array) => {
    let best = 0;
    let bestCos = -Infinity;
    vectors.forEach((p, i) => {
      const c = cosine(v, p);
      if (c > bestCos) [best, bestCos] = [i, c];
    });
    return best;
  };
  for (let i = 0; i < rows.length; i += 512) {
    ctx.signal.throwIfAborted();
    const batch = rows.slice(i, i + 512);
    const images = catalog.getEmbeddings(batch.map((r) => r.sha256), model.id, model.revision);
    const texts = await textVectors(store, model, batch.map((r) => r.text), ctx.signal);
    for (const r of batch) {
      scores.set(r.listing, r.relativeScore);
      const image = images.get(r.sha256);
      if (image && argmax(image) !== argmax(texts.get(r.text)!)) caught.add(r.listing);
    }
  }
  return { caught, scores, titles };
}

export async function compareCatalog(input: CatalogInput, ctx: CallContext): Promise<CatalogOutput> {
  const { models } = await loadPair(ctx.services, input.models);
  for (const m of models) await ensureImageEmbeddings(ctx.services.catalog, m, ctx);
  const catalog = ctx.services.catalog;

  const dup = [await duplicatePairs(models[0], input, ctx), await duplicatePairs(models[1], input, ctx)];
  const pairRows = labelled(dup[0]!.pairs, dup[1]!.pairs).slice(0, input.limit);
  const pairShas = [...new Set(pairRows.flatMap((r) => r.item.split('|')))];
  const listingsOf = new Map(pairShas.map((s) => [s, catalog.listingIdsForImage(s)]));

  const store = new ZeroShotStore(catalog);
  const mm = [await mismatchCatches(models[0], store, input.mismatchBelow, ctx), await mismatchCatches(models[1], store, input.mismatchBelow, ctx)];
  const items = labelled(mm[0]!.caught, mm[1]!.caught)
    .slice(0, input.limit)
    .map(({ item, foundBy }) => {
      const t = mm[0]!.titles.get(item) ?? mm[1]!.titles.get(item)!;
      return { listing: item, title: t.title, sha256: t.sha256, foundBy, scores: [mm[0]!.scores.get(item) ?? null, mm[1]!.scores.get(item) ?? null] as [number | null, number | null] };
    });

  return {
    models: [modelRef(models[0]), modelRef(models[1])],
    duplicates: {
      tier: input.tier,
      thresholds: [dup[0]!.threshold, dup[1]!.threshold],
      counts: setCounts(dup[0]!.pairs, dup[1]!.pairs),
      pairs: pairRows.map(({ item, foundBy }) => {
        const [a, b] = item.split('|') as [string, string];
        return { a, b, aListings: listingsOf.get(a) ?? [], bListings: listingsOf.get(b) ?? [], foundBy };
      }),
    },
    mismatches: {
      rules: [mismatchRule(models[0], input.mismatchBelow), mismatchRule(models[1], input.mismatchBelow)],
      counts: setCounts(mm[0]!.caught, mm[1]!.caught),
      items,
    },
  };
}
