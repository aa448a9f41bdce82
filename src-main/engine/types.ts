import type { FamilyName } from '../shared/families.js';

/** How raw cosine similarities become scores for this pack. */
export type Scoring =
  /** SigLIP: p = sigmoid(scale * cos + bias), an absolute probability per image-text pair. */
  | { kind: 'sigmoid'; scale: number; bias: number }
  /** CLIP: softmax(scale * cos) across candidate texts; relative, never a probability on its own. */
  | { kind: 'softmax'; scale: number };

/**
 * What the rest of the app needs from a loaded model pack. Features (ingest, search, duplicates,
 * mismatch, compare) depend on this interface only, never on ONNX details.
 */
export interface Embedder {
  /** Stable id used in the cache, the CLI (--model) and the UI, e.g. "demo-siglip". */
  readonly id: string;
  /** Changes when the pack's weights change; cache rows of other revisions are stale. */
  readonly revision: string;
  readonly family: FamilyName;
  readonly dim: number;
  readonly scoring: Scoring;
  /** Execution provider actually in use, e.g. "cpu", "webgpu", "cuda". */
  readonly provider: string;
  /** Image bytes (any format sharp reads) to L2-normalised vectors, in input order. */
  embedImages(images: Uint8Array[], options?: { signal?: AbortSignal }): Promise<Float32Array[]>;
  /** Texts to L2-normalised vectors, in input order. */
  embedTexts(texts: string[], options?: { signal?: AbortSignal }): Promise<Float32Array[]>;
}
