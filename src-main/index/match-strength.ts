import type { Catalog } from '../catalog/catalog.js';
import type { Embedder, Scoring } from '../engine/types.js';
import { cosine, sigmoid } from '../engine/similarity.js';

/**
 * How well the best results match a text query, so that a query nothing in the catalog answers
 * ("xyzzy qwerty") does not look like 50 confident results. A cosine alone says nothing: every
 * query has a nearest image.
 *
 * - SigLIP: the model's calibrated probability that the best image shows the text,
 *   sigmoid(scale·cos + bias): absolute, comparable between queries and catalogs.
 * - CLIP has no absolute scale. Its signal is relative to the catalog: how far the best result
 *   stands above the query's typical score over the catalog, in standard deviations (the query
 *   scored against a fixed random sample of the catalog's vectors). A real match stands out; a
 *   nonsense query's best is just the top of the crowd. Calibrated on the demo catalog
 *   (demo-clip: "red chair" 3.1, "striped mug" 2.4, "xyzzy qwerty" 2.0); the top of a larger
 *   catalog stands out more by chance alone, so the threshold is a floor, not a proof.
 */
export interface MatchStrength {
  kind: 'probability' | 'relative';
  /** The best result's probability (SigLIP, 0..1) or standing above the catalog (CLIP, in standard deviations). */
  best: number;
  /** Below this the match is weak. */
  threshold: number;
  weak: boolean;
}

/** SigLIP: below a 5 % probability nothing in the results is likely to show the text. */
export const WEAK_PROBABILITY = 0.05;
/** CLIP: the best result stands less than this many standard deviations above the catalog's mean. */
export const WEAK_STANDING = 2.3;
/** Catalog vectors the CLIP distribution is estimated from. */
export const SAMPLE_SIZE = 1024;

export function sigmoidStrength(scoring: Extract<Scoring, { kind: 'sigmoid' }>, best: number | undefined): MatchStrength | null {
  if (best === undefined) return null;
  const p = sigmoid(scoring.scale * best + scoring.bias);
  return { kind: 'probability', best: p, threshold: WEAK_PROBABILITY, weak: p < WEAK_PROBABILITY };
}

/** CLIP: the best cosine in standard deviations above the mean of the query's cosines over the sample. */
export function relativeStrength(best: number | undefined, sample: readonly number[]): MatchStrength | null {
  if (best === undefined || sample.length < 2) return null;
  const mean = sample.reduce((s, x) => s + x, 0) / sample.length;
  const sd = Math.sqrt(sample.reduce((s, x) => s + (x - mean) ** 2, 0) / (sample.length - 1));
  if (!(sd > 1e-9)) return null;
  const standing = (best - mean) / sd;
  return { kind: 'relative', best: standing, threshold: WEAK_STANDING, weak: standing < WEAK_STANDING };
}

const samples = new Map<string, { generation: string; vectors: Float32Array[] }>();

/** A fixed random sample of a model's catalog vectors, kept until that model's vectors change. */
function catalogSample(catalog: Catalog, model: Embedder): Float32Array[] {
  const key = `${catalog.dbPath}\0${model.id}\0${model.revision}`;
  const generation = catalog.embeddingsGeneration(model.id, model.revision);
  const cached = samples.get(key);
  if (cached?.generation === generation) return cached.vectors;
  const shas = catalog.sampleEmbeddedShas(model.id, model.revision, SAMPLE_SIZE);
  const vectors = [...catalog.getEmbeddings(shas, model.id, model.revision).values()];
  samples.set(key, { generation, vectors });
  return vectors;
}

/** The match strength of a text-only query's results (null for photo queries: a photo always has a nearest photo). */
export function textMatchStrength(catalog: Catalog, model: Embedder, query: Float32Array, hits: ReadonlyArray<{ score: number }>): MatchStrength | null {
  const best = hits[0]?.score;
  if (model.scoring.kind === 'sigmoid') return sigmoidStrength(model.scoring, best);
  return relativeStrength(best, catalogSample(catalog, model).map((v) => cosine(query, v)));
}
