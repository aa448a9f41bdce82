import { unhandled } from './families.js';
import type { Scoring } from './types.js';

/** Cosine similarity of two L2-normalised vectors (the engine returns them normalised). */
export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`vector sizes differ (${a.length} vs ${b.length})`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function sigmoid(x: number): number {
  // Split by sign so that exp never overflows.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Softmax with the max subtracted first, so large logits (CLIP scale 100) stay finite. */
export function softmax(logits: readonly number[]): number[] {
  if (logits.length === 0) return [];
  const max = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - max));
  const sum = exps.reduce((s, e) => s + e, 0);
  return exps.map((e) => e / sum);
}

/** The logit a pack's head gives one image-text pair: scale*cos (+ bias for SigLIP). */
export function pairLogit(scoring: Scoring, cos: number): number {
  switch (scoring.kind) {
    case 'sigmoid':
      return scoring.scale * cos + scoring.bias;
    case 'softmax':
      return scoring.scale * cos;
    default:
      return unhandled(scoring);
  }
}

/**
 * SigLIP's absolute match probability of one image-text pair. CLIP has none: its logits only mean
 * something relative to other texts, so asking for one is a programming error.
 */
export function matchProbability(scoring: Scoring, cos: number): number {
  if (scoring.kind !== 'sigmoid') throw new Error('a CLIP (softmax) pack gives no absolute probability; use relativeScores');
  return sigmoid(pairLogit(scoring, cos));
}

/**
 * Scores of several candidate texts for one image, the way the pack's head reads them:
 * SigLIP: an independent sigmoid probability per text (they need not sum to 1);
 * CLIP: softmax over the candidates (sums to 1; meaningful only relative to this candidate set).
 */
export function candidateScores(scoring: Scoring, cosines: readonly number[]): number[] {
  switch (scoring.kind) {
    case 'sigmoid':
      return cosines.map((c) => sigmoid(pairLogit(scoring, c)));
    case 'softmax':
      return softmax(cosines.map((c) => pairLogit(scoring, c)));
    default:
      return unhandled(scoring);
  }
}
