import type { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import type { CallContext } from '../../features/context.js';
import type { compareMethods } from '../../api/schemas/compare.js';
import { modelRef } from '../common/load-model.js';
import { queryImageVector, readImageRef } from '../common/vectors.js';
import { MAX_CATEGORIES, labelScores } from '../common/zero-shot.js';
import { ZeroShotStore } from '../common/zero-shot-store.js';
import { loadPair } from './pair.js';

type LabelsInput = z.output<(typeof compareMethods)['compare.labels']['input']>;
type LabelsOutput = z.infer<(typeof compareMethods)['compare.labels']['output']>;

/** The label list: typed labels, then (if asked) the catalog's categories, without repeats (case-insensitive). */
export function labelList(typed: readonly string[], categories: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const l of [...typed, ...categories]) {
    const key = l.trim().toLowerCase();
    if (key && !seen.has(key)) {
      seen.add(key);
      out.push(l.trim());
    }
  }
  return out;
}

/**
 * Zero-shot labels on two packs. Each pack reads the labels through its own head: CLIP's softmax
 * (a distribution over exactly these labels: adding a label changes every score) and SigLIP's
 * sigmoid (one independent probability per label: none, one or several can be high).
 */
export async function compareLabels(input: LabelsInput, ctx: CallContext): Promise<LabelsOutput> {
  const categories = input.useCategories ? new ZeroShotStore(ctx.services.catalog).categories(MAX_CATEGORIES) : [];
  const labels = labelList(input.labels, categories);
  if (labels.length === 0) {
    throw new AppError('bad_request', input.useCategories ? 'no labels: none typed and the catalog has no categories' : 'give at least one label (or useCategories)');
  }
  const bytes = await readImageRef(input.image);
  const { models } = await loadPair(ctx.services, input.models);
  const prompts = labels.map((l) => (input.template ? input.template.replaceAll('{label}', l) : l));
  const runs = [];
  for (const m of models) {
    const started = performance.now();
    const image = await queryImageVector(input.image, m, ctx.services.catalog, ctx.signal, bytes);
    const scores = labelScores(m.scoring, image, await m.embedTexts(prompts, { signal: ctx.signal }));
    const best = scores.reduce((bi, s, i) => (s > scores[bi]! ? i : bi), 0);
    runs.push({
      model: modelRef(m),
      kind: m.scoring.kind,
      ms: Math.round((performance.now() - started) * 10) / 10,
      scores: labels.map((label, i) => ({ label, score: scores[i]! })),
      best,
    });
  }
  return { models: [models[0].id, models[1].id], labels, runs: runs as LabelsOutput['runs'] };
}
