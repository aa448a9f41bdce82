import os from 'node:os';

/**
 * Embedding blobs are raw little-endian float32, `dim * 4` bytes, no header (dim has its own
 * column). Why float32 and not float16: vectors come back bit-identical to what the engine
 * produced, so cached and freshly computed vectors score the same (near-duplicate thresholds sit
 * around cos 0.95-0.99, where float16's ~1e-3 rounding would move results), and reads are a
 * plain copy into a Float32Array with no conversion. The cost is size: 2 KB per 512-d vector,
 * about 200 MB per 100,000 images per model, which a desktop disk absorbs easily.
 */
if (os.endianness() !== 'LE') throw new Error('the catalog stores little-endian float32 vectors; big-endian hosts are not supported');

/**
 * A model revision's vectors: `dim` values each, one per image. A model's vectors of another
 * revision are stale (a new revision replaces them), so the three together name the vectors that
 * a store loads, a saved index was built from or a Qdrant named vector holds.
 */
export interface VectorSpace {
  modelId: string;
  revision: string;
  dim: number;
}

/** One image's vector. */
export interface VectorRow {
  sha256: string;
  vector: Float32Array;
}

export function encodeVector(vector: Float32Array): Buffer {
  // Copy: the caller's array may be a view into a larger batch buffer.
  return Buffer.from(new Float32Array(vector).buffer);
}

export function decodeVector(blob: Uint8Array, dim: number): Float32Array {
  if (blob.byteLength !== dim * 4) throw new Error(`corrupt embedding blob: ${blob.byteLength} bytes for dim ${dim}`);
  const out = new Float32Array(dim);
  new Uint8Array(out.buffer).set(blob);
  return out;
}
