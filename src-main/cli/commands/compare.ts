import type { MethodOutput } from '../../api/contract.js';
import { type Command, UsageError, numberOption, stringOption } from '../command.js';

function list(raw: string | undefined): string[] | undefined {
  return raw === undefined ? undefined : raw.split(',').map((s) => s.trim()).filter(Boolean);
}

export const compareCommand: Command = {
  name: 'compare',
  summary: 'CLIP vs SigLIP (or any two packs) side by side: one query, zero-shot labels, or the whole catalog',
  usage:
    'compare (--image FILE | --text "...") [--models A,B] [-k N] [--labels "a,b,c"] [--db FILE]\n' +
    '       prints {"models": [A, B], "results": {A: [...], B: [...]}, "overlap_at_k", "rank_correlation", "labels": {A: [{"label", "score"}], B: [...]}, "ms": {A, B}}\n' +
    '       --labels needs --image: CLIP scores are a softmax over the labels, SigLIP scores independent probabilities\n' +
    '       compare --catalog [--models A,B] [--below P]   near-duplicate pairs and mismatches each model catches that the other misses',
  options: {
    image: { type: 'string' },
    text: { type: 'string' },
    models: { type: 'string' },
    k: { type: 'string', short: 'k' },
    labels: { type: 'string' },
    catalog: { type: 'boolean' },
    below: { type: 'string' },
  },
  async run(values, _positionals, io) {
    const models = list(stringOption(values, 'models'));
    if (models && models.length !== 2) throw new UsageError(`--models expects two pack ids, A,B; got ${models.length}`);
    const modelsInput = models ? { models } : {};
    if (values.catalog === true) {
      if (values.image !== undefined || values.text !== undefined || values.labels !== undefined) throw new UsageError('--catalog takes no --image, --text or --labels');
      const below = numberOption(values, 'below', { min: 0, max: 1 });
      const out = await io.call('compare.catalog', { ...modelsInput, ...(below !== undefined ? { mismatchBelow: below } : {}) });
      return catalogShape(out);
    }
    const image = stringOption(values, 'image');
    const text = stringOption(values, 'text');
    if (image === undefined && text === undefined) throw new UsageError('give --image FILE or --text "..." (or --catalog)');
    const labels = list(stringOption(values, 'labels'));
    if (labels !== undefined) {
      if (image === undefined) throw new UsageError('--labels needs --image: labels are scored against a photo');
      if (labels.length === 0) throw new UsageError('--labels is empty: give comma-separated labels, e.g. --labels "mug,vase,lamp"');
    }
    const k = numberOption(values, 'k', { min: 1, max: 200, integer: true }) ?? 10;
    const query = await io.call('compare.query', { ...(image ? { image: { path: image } } : {}), ...(text ? { text } : {}), ...modelsInput, k });
    const labelled = labels ? await io.call('compare.labels', { image: { path: image! }, labels, models: query.models }) : undefined;
    return queryShape(query, labelled);
  },
};

/** The CLI's documented JSON, keyed by model id, snake_case. */
export function queryShape(q: MethodOutput<'compare.query'>, labels?: MethodOutput<'compare.labels'>) {
  const [a, b] = q.models;
  const results = Object.fromEntries(
    q.runs.map((run) => [
      run.model.id,
      run.items.map((it) => ({
        rank: it.rank,
        listing: it.listing,
        sha256: it.sha256,
        title: it.title,
        score: it.score,
        probability: it.probability,
        only_this_model: it.onlyHere,
      })),
    ]),
  );
  return {
    models: [a, b],
    mode: q.mode,
    k: q.k,
    results,
    overlap_at_k: q.overlapAtK,
    rank_correlation: q.rankCorrelation,
    rank_correlation_method: q.rankCorrelationMethod,
    labels: labels ? Object.fromEntries(labels.runs.map((r) => [r.model.id, r.scores])) : null,
    label_kinds: labels ? Object.fromEntries(labels.runs.map((r) => [r.model.id, r.kind])) : null,
    ms: Object.fromEntries(q.runs.map((r) => [r.model.id, r.ms])),
    providers: Object.fromEntries(q.runs.map((r) => [r.model.id, r.model.provider])),
  };
}

export function catalogShape(c: MethodOutput<'compare.catalog'>) {
  const [a, b] = c.models.map((m) => m.id) as [string, string];
  const snake = (n: MethodOutput<'compare.catalog'>['duplicates']['counts']) => ({ [a]: n.first, [b]: n.second, both: n.both, [`only_${a}`]: n.onlyFirst, [`only_${b}`]: n.onlySecond });
  const by = (f: 'both' | 'first' | 'second') => (f === 'both' ? 'both' : f === 'first' ? a : b);
  return {
    models: [a, b],
    duplicates: {
      tier: c.duplicates.tier,
      thresholds: { [a]: c.duplicates.thresholds[0], [b]: c.duplicates.thresholds[1] },
      counts: snake(c.duplicates.counts),
      pairs: c.duplicates.pairs.map((p) => ({ a: p.a, b: p.b, a_listings: p.aListings, b_listings: p.bListings, found_by: by(p.foundBy) })),
    },
    mismatches: {
      rules: { [a]: c.mismatches.rules[0], [b]: c.mismatches.rules[1] },
      counts: snake(c.mismatches.counts),
      items: c.mismatches.items.map((m) => ({ listing: m.listing, title: m.title, found_by: by(m.foundBy), scores: { [a]: m.scores[0], [b]: m.scores[1] } })),
    },
  };
}
