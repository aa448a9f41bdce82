import type { z } from 'zod';
import type { CallContext } from '../../features/context.js';
import type { MethodOutput } from '../../api/contract.js';
import type { compareMethods } from '../../api/schemas/compare.js';
import { matchProbability } from '../../engine/similarity.js';
import { modelRef } from '../common/load-model.js';
import { runSearch } from '../common/search.js';
import { ensureImageEmbeddings } from '../common/vectors.js';
import { loadPair } from './pair.js';
import { overlapAtK, spearmanOverUnion } from './rank.js';

type QueryInput = z.output<(typeof compareMethods)['compare.query']['input']>;
type QueryOutput = z.infer<(typeof compareMethods)['compare.query']['output']>;

/**
 * Runs one query through the search on each pack (so both use the same store, filters and
 * timing) and aligns the two top-k lists by image. Results are images, as search returns them.
 */
export async function compareQuery(input: QueryInput, ctx: CallContext): Promise<QueryOutput> {
  const { models, loadMs } = await loadPair(ctx.services, input.models);
  // A pack installed after the import has no image vectors yet: embed them first (once).
  for (const m of models) await ensureImageEmbeddings(ctx.services.catalog, m, ctx);
  const mode = input.image && input.text ? 'both' : input.image ? 'image' : 'text';
  const searches: Array<MethodOutput<'search.query'>> = [];
  for (const m of models) {
    searches.push(
      await runSearch(
        { image: input.image, text: input.text, textWeight: 0.5, model: m.id, k: input.k, filter: input.filter, store: 'local', qdrant: undefined, stack: false },
        ctx,
      ),
    );
  }
  const keys = searches.map((s) => s.results.map((r) => r.sha256)) as [string[], string[]];
  const sets = keys.map((k) => new Set(k));
  const runs = models.map((m, i) => ({
    model: modelRef(m),
    ms: searches[i]!.ms,
    loadMs: loadMs[i]!,
    items: searches[i]!.results.map((r, rank) => ({
      rank: rank + 1,
      listing: r.listing?.id ?? null,
      sha256: r.sha256,
      // The listing's title, else the photo's file name: a photo without a listing is still named.
      title: r.name,
      category: r.listing?.category ?? null,
      price: r.listing?.price ?? null,
      seller: r.listing?.seller ?? null,
      score: r.score,
      // Only a text-to-image score is an image-text pair SigLIP's head was trained on.
      probability: mode === 'text' && m.scoring.kind === 'sigmoid' ? matchProbability(m.scoring, r.score) : null,
      onlyHere: !sets[1 - i]!.has(r.sha256),
    })),
  })) as QueryOutput['runs'];

  const union = [...new Set([...keys[0], ...keys[1]])];
  const byKey = runs.map((run) => new Map(run.items.map((it) => [it.sha256, it])));
  const aligned = union.map((sha256) => {
    const [a, b] = [byKey[0]!.get(sha256), byKey[1]!.get(sha256)];
    const any = (a ?? b)!;
    return {
      key: sha256,
      listing: any.listing,
      sha256,
      title: any.title,
      ranks: [a?.rank ?? null, b?.rank ?? null] as [number | null, number | null],
      scores: [a?.score ?? null, b?.score ?? null] as [number | null, number | null],
      foundBy: a && b ? ('both' as const) : a ? ('first' as const) : ('second' as const),
    };
  });
  // Best combined rank first; an item missing from a list counts as rank k+1 there.
  const missing = input.k + 1;
  aligned.sort((x, y) => (x.ranks[0] ?? missing) + (x.ranks[1] ?? missing) - ((y.ranks[0] ?? missing) + (y.ranks[1] ?? missing)) || (x.ranks[0] ?? missing) - (y.ranks[0] ?? missing));
  return {
    models: [models[0].id, models[1].id],
    mode,
    k: input.k,
    runs,
    aligned,
    overlapAtK: overlapAtK(keys[0], keys[1]),
    rankCorrelation: spearmanOverUnion(keys[0], keys[1]),
    rankCorrelationMethod: 'spearman-union-tied-last',
  };
}
