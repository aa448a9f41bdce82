import type { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import type { CallContext } from '../../features/context.js';
import type { MismatchItem, mismatchMethods } from '../../api/schemas/mismatch.js';
import type { OnnxEmbedder } from '../../engine/embedder.js';
import { firstPackOfFamily, loadModel, modelRef } from '../common/load-model.js';
import { textVectors } from '../common/vectors.js';
import { labelScores, promptSet, refreshScores } from '../common/zero-shot.js';
import { type ScoreRow, ZeroShotStore } from '../common/zero-shot-store.js';
import { dominantScript, languagesOf, needsLanguageWarning } from './language.js';
import { histogram } from './metrics.js';
import { type DecisionRow, DecisionStore } from './store.js';

type ListInput = z.output<(typeof mismatchMethods)['mismatch.list']['input']>;
type ListOutput = z.infer<(typeof mismatchMethods)['mismatch.list']['output']>;
type Notice = ListOutput['notices'][number];

export interface QueueRow {
  score: ScoreRow;
  /** The value the queue sorts and filters by. */
  value: number;
  relative: number | null;
  decision: DecisionRow | null;
}

export interface ScoredQueue {
  model: OnnxEmbedder;
  relativeModel: OnnxEmbedder | null;
  scoreField: 'probability' | 'relativeScore';
  /** Every scored listing, lowest value first. */
  all: QueueRow[];
  /** Those passing below / decision, lowest value first. */
  rows: QueueRow[];
  /** Scorable listings without a score (photo file gone, no cached vector). */
  unreadable: number;
  store: ZeroShotStore;
}

/**
 * Scores what needs scoring (the model and, for a SigLIP model, the CLIP pack shown alongside)
 * and returns the sorted queue. Ties are broken by listing id so pages are stable.
 */
export async function scoredQueue(
  input: Pick<ListInput, 'model' | 'below' | 'decision'> & { relativeModel?: string | null },
  ctx: Pick<CallContext, 'services' | 'progress' | 'signal'>,
): Promise<ScoredQueue> {
  const { services } = ctx;
  const model = await loadModel(services, input.model);
  const wantRelative = model.scoring.kind === 'sigmoid' && input.relativeModel !== null;
  const relativeId = wantRelative ? (input.relativeModel ?? (await firstPackOfFamily(services, 'clip', model.id))) : null;
  const relativeModel = relativeId ? await loadModel(services, relativeId) : null;
  if (relativeModel && relativeModel.scoring.kind !== 'softmax') {
    throw new AppError('bad_request', `relativeModel "${relativeModel.id}" is not a CLIP (softmax) pack`);
  }
  const store = new ZeroShotStore(services.catalog);
  const run = { progress: ctx.progress, signal: ctx.signal };
  await refreshScores(services.catalog, store, model, run);
  if (relativeModel) await refreshScores(services.catalog, store, relativeModel, run);

  const scoreField = model.scoring.kind === 'sigmoid' ? 'probability' : 'relativeScore';
  const scores = store.scores(model.id, model.revision);
  const relative = relativeModel ? store.scores(relativeModel.id, relativeModel.revision) : null;
  const decisions = new DecisionStore(services.catalog).currentDecisions();
  const all: QueueRow[] = [];
  for (const s of scores.values()) {
    const value = scoreField === 'probability' ? s.probability : s.relativeScore;
    if (value === null) continue;
    all.push({
      score: s,
      value,
      relative: scoreField === 'relativeScore' ? s.relativeScore : (relative?.get(s.listing)?.relativeScore ?? null),
      decision: decisions.get(s.listing) ?? null,
    });
  }
  all.sort((a, b) => a.value - b.value || (a.score.listing < b.score.listing ? -1 : a.score.listing > b.score.listing ? 1 : 0));
  const rows = all.filter(
    (r) =>
      (input.below === undefined || r.value < input.below) &&
      (input.decision === 'any' || (input.decision === 'undecided' ? r.decision === null : r.decision?.decision === input.decision)),
  );
  const scorable = store.coverage().scorable;
  return { model, relativeModel, scoreField, all, rows, unreadable: Math.max(0, scorable - scores.size), store };
}

/** `mismatch.list`: one page of the queue with alternatives, language flags and histograms. */
export async function listQueue(input: ListInput, ctx: CallContext): Promise<ListOutput> {
  const { services } = ctx;
  const q = await scoredQueue(input, ctx);
  const { model, relativeModel, store } = q;
  const page = q.rows.slice(input.offset, input.offset + input.limit);
  const catalog = services.catalog;
  const listings = new Map(catalog.listingsByIds(page.map((r) => r.score.listing)).map((l) => [l.id, l]));

  // Alternatives: the page's photos against the category prompts, scored by the model's own head.
  const prompts = promptSet(store);
  const promptVectors = prompts.prompts.length && input.alternatives > 0 ? await textVectors(store, model, prompts.prompts, ctx.signal) : new Map();
  const titleVectors = model.scoring.kind === 'softmax' && promptVectors.size ? await textVectors(store, model, page.map((r) => r.score.text), ctx.signal) : new Map();
  const images = promptVectors.size ? catalog.getEmbeddings(page.map((r) => r.score.sha256), model.id, model.revision) : new Map<string, Float32Array>();
  const language = await languagesOf(model);
  let languageWarnings = 0;
  const items: MismatchItem[] = page.map((r) => {
    const l = listings.get(r.score.listing);
    const image = images.get(r.score.sha256);
    let alternatives: MismatchItem['alternatives'] = [];
    if (image && promptVectors.size) {
      const labels = prompts.prompts.map((p) => promptVectors.get(p)!);
      // CLIP: the same softmax as the title's relative score (title first, then the prompts).
      const scored = model.scoring.kind === 'sigmoid' ? labelScores(model.scoring, image, labels) : labelScores(model.scoring, image, [titleVectors.get(r.score.text)!, ...labels]).slice(1);
      alternatives = prompts.prompts
        .map((text, i) => ({ text, kind: 'category' as const, score: scored[i]! }))
        .sort((a, b) => b.score - a.score)
        .slice(0, input.alternatives)
        .map(({ text, kind, score }) => ({
          text,
          kind,
          probability: model.scoring.kind === 'sigmoid' ? score : null,
          relativeScore: model.scoring.kind === 'softmax' ? score : null,
        }));
    }
    const languageWarning = needsLanguageWarning(language, r.score.text);
    return {
      listing: r.score.listing,
      sku: l?.sku ?? null,
      title: r.score.text,
      category: l?.category ?? null,
      seller: l?.seller ?? null,
      sha256: r.score.sha256,
      imagePath: catalog.imagePaths(r.score.sha256)[0] ?? null,
      probability: r.score.probability,
      relativeScore: r.relative,
      cosine: r.score.cosine,
      languageWarning,
      script: dominantScript(r.score.text),
      alternatives,
      decision: r.decision,
    };
  });
  for (const r of q.all) if (needsLanguageWarning(language, r.score.text)) languageWarnings++;

  const coverage = store.coverage();
  const notices: Notice[] = [];
  if (languageWarnings > 0) {
    notices.push({
      code: 'language_warning',
      count: languageWarnings,
      message: `${languageWarnings} title(s) are in a script ${model.id} was not trained on (it reads: ${language.scripts.join(', ')}); their scores may be poor — install a multilingual pack`,
    });
  }
  if (model.scoring.kind === 'softmax') {
    notices.push({ code: 'relative_only', message: `${model.id} is a CLIP pack: scores are relative to the catalog's categories, not probabilities` });
  }
  if (q.unreadable > 0) {
    notices.push({ code: 'unreadable_images', count: q.unreadable, message: `${q.unreadable} listing(s) not scored: their photo file is gone and has no cached vector` });
  }
  if (prompts.categories.length === 0) notices.push({ code: 'no_categories', message: 'the catalog has no categories: no alternatives to suggest' });
  return {
    model: modelRef(model),
    scoreField: q.scoreField,
    relativeModel: relativeModel ? modelRef(relativeModel) : null,
    below: input.below ?? null,
    total: q.rows.length,
    offset: input.offset,
    limit: input.limit,
    items,
    histogram: histogram(
      q.all.map((r) => r.value),
      input.bins,
    ),
    relativeHistogram: relativeModel
      ? histogram(
          q.all.flatMap((r) => (r.relative === null ? [] : [r.relative])),
          input.bins,
        )
      : null,
    coverage: { scored: q.all.length, noTitle: coverage.noTitle, noImage: coverage.noImage, unreadable: q.unreadable },
    categories: prompts.categories,
    language,
    notices,
  };
}
