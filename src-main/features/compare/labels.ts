import fs from 'node:fs/promises';
import type { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import type { CallContext } from '../../features/context.js';
import type { ImageRef } from '../../api/schemas/common.js';
import type { compareMethods } from '../../api/schemas/compare.js';
import type { OnnxEmbedder } from '../../engine/embedder.js';
import { modelRef } from '../mismatch/models.js';
import { candidateScores, cosine } from '../../engine/similarity.js';
import { MismatchStore } from '../mismatch/store.js';
import { MAX_CATEGORIES } from '../mismatch/scorer.js';
import { imageVectors } from '../mismatch/vectors.js';
import { loadPair } from './pair.js';

type LabelsInput = z.output<(typeof compareMethods)['compare.labels']['input']>;
type LabelsOutput = z.infer<(typeof compareMethods)['compare.labels']['output']>;

/** The bytes of a file or upload; null for a catalog image (its vectors are cached per model). */
async function uploadedBytes(ref: ImageRef): Promise<Uint8Array | null> {
  if ('sha256' in ref) return null;
  if ('path' in ref) {
    return fs.readFile(ref.path).catch((err: NodeJS.ErrnoException) => {
      throw new AppError('bad_request', `cannot read image file ${ref.path} (${err.code ?? err.message})`);
    });
  }
  const bytes = Buffer.from(ref.bytes, 'base64');
  if (bytes.length === 0) throw new AppError('bad_request', 'the uploaded image is empty or not base64');
  return bytes;
}

async function imageVector(ref: ImageRef, bytes: Uint8Array | null, model: OnnxEmbedder, ctx: CallContext): Promise<Float32Array> {
  if (bytes === null && 'sha256' in ref) {
    const v = (await imageVectors(ctx.services.catalog, model, [ref.sha256], ctx.signal)).get(ref.sha256);
    if (!v) throw new AppError('not_found', ctx.services.catalog.hasImage(ref.sha256) ? `the file of image ${ref.sha256.slice(0, 12)}… is no longer on disk` : `no image ${ref.sha256.slice(0, 12)}… in the catalog`);
    return v;
  }
  return (await model.embedImages([bytes!], { signal: ctx.signal }))[0]!;
}

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
  const categories = input.useCategories ? new MismatchStore(ctx.services.catalog).categories(MAX_CATEGORIES) : [];
  const labels = labelList(input.labels, categories);
  if (labels.length === 0) {
    throw new AppError('bad_request', input.useCategories ? 'no labels: none typed and the catalog has no categories' : 'give at least one label (or useCategories)');
  }
  const bytes = await uploadedBytes(input.image);
  const { models } = await loadPair(ctx.services, input.models);
  const prompts = labels.map((l) => (input.template ? input.template.replaceAll('{label}', l) : l));
  const runs = [];
  for (const m of models) {
    const started = performance.now();
    const image = await imageVector(input.image, bytes, m, ctx);
    const texts = await m.embedTexts(prompts, { signal: ctx.signal });
    const scores = candidateScores(
      m.scoring,
      texts.map((t) => cosine(image, t)),
    );
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
