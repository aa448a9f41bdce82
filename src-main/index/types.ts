import type { ListingFilter } from '../catalog/listing-filter.js';
import type { VectorSpace } from '../catalog/vectors.js';

/**
 * Vector stores: where a model's image vectors live and how the k nearest ones to a query are
 * found. Two implementations answer the same calls with the same results: the local store
 * (in-process, exact or HNSW) and Qdrant (a server, for catalogs shared between machines).
 */

export interface StoreHit {
  sha256: string;
  /** Cosine similarity of the (L2-normalised) query and image vectors. */
  score: number;
}

export type StoreKind = 'exact' | 'ann' | 'qdrant';

export interface VectorStore extends Readonly<VectorSpace> {
  readonly kind: StoreKind;
  /** Vectors searchable now. */
  size(): number;
  /**
   * The k images most similar to `query` (L2-normalised, length dim), best first, at most one
   * hit per image; fewer than k when fewer images pass the filter.
   */
  search(query: Float32Array, k: number, filter?: ListingFilter): Promise<StoreHit[]>;
}
