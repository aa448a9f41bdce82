import { usearch } from './usearch.js';
import type { StoreHit } from './types.js';

/**
 * A model's vectors in one contiguous Float32Array, row r holding shas[r]. A row whose sha is
 * null was removed (the persisted ANN index keeps row numbers stable across catalog changes).
 * All vectors are L2-normalised, so cosine similarity is a plain dot product.
 */
export class VectorMatrix {
  private data: Float32Array;
  private readonly shas: Array<string | null> = [];
  private readonly rows = new Map<string, number>();

  constructor(
    readonly dim: number,
    capacity = 1024,
  ) {
    this.data = new Float32Array(Math.max(1, capacity) * dim);
  }

  /** Rows in use, holes included. */
  get rowCount(): number {
    return this.shas.length;
  }

  /** Live vectors. */
  get size(): number {
    return this.rows.size;
  }

  /** Appends a vector (or overwrites a row given explicitly, for a persisted index's numbering). */
  set(sha256: string, vector: Float32Array, row = this.shas.length): number {
    if (vector.length !== this.dim) throw new Error(`vector of ${sha256} has ${vector.length} values, expected ${this.dim}`);
    if (row >= this.data.length / this.dim) this.grow(row + 1);
    while (this.shas.length <= row) this.shas.push(null);
    const previous = this.shas[row];
    if (previous) this.rows.delete(previous);
    this.data.set(vector, row * this.dim);
    this.shas[row] = sha256;
    this.rows.set(sha256, row);
    return row;
  }

  remove(sha256: string): number | undefined {
    const row = this.rows.get(sha256);
    if (row === undefined) return undefined;
    this.rows.delete(sha256);
    this.shas[row] = null;
    this.data.fill(0, row * this.dim, (row + 1) * this.dim);
    return row;
  }

  rowOf(sha256: string): number | undefined {
    return this.rows.get(sha256);
  }

  shaAt(row: number): string | null {
    return this.shas[row] ?? null;
  }

  /** Live shas with their rows. */
  entries(): IterableIterator<[string, number]> {
    return this.rows.entries();
  }

  vector(row: number): Float32Array {
    return this.data.subarray(row * this.dim, (row + 1) * this.dim);
  }

  /** Rows [from, to) as one flat array (a view, no copy). */
  slice(from: number, to: number): Float32Array {
    return this.data.subarray(from * this.dim, to * this.dim);
  }

  dot(row: number, query: Float32Array): number {
    const d = this.dim;
    const a = this.data;
    const o = row * d;
    // Four accumulators: V8 keeps them in registers and the loop runs ~2x faster than one sum.
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let j = 0;
    for (; j + 3 < d; j += 4) {
      s0 += (a[o + j] as number) * (query[j] as number);
      s1 += (a[o + j + 1] as number) * (query[j + 1] as number);
      s2 += (a[o + j + 2] as number) * (query[j + 2] as number);
      s3 += (a[o + j + 3] as number) * (query[j + 3] as number);
    }
    for (; j < d; j++) s0 += (a[o + j] as number) * (query[j] as number);
    return s0 + s1 + s2 + s3;
  }

  /** Exact top-k over the given rows (a filtered subset), scored in JS. */
  scanRows(query: Float32Array, k: number, rows: Iterable<number>): StoreHit[] {
    const heap = new TopK(k);
    for (const row of rows) {
      const sha = this.shas[row];
      if (sha) heap.push(this.dot(row, query), sha);
    }
    return heap.sorted();
  }

  /**
   * Exact top-k over every row, with usearch's SIMD kernel (several times faster than a JS loop
   * at 768 dimensions). Scores are recomputed here so that every path returns identical numbers.
   */
  scanAll(query: Float32Array, k: number): StoreHit[] {
    const n = this.shas.length;
    if (n === 0 || k <= 0) return [];
    // Removed rows are zeros and may fill some of the top slots: ask for that many more.
    const { exactSearch, MetricKind } = usearch();
    const matches = exactSearch(this.slice(0, n), query, this.dim, Math.min(k + (n - this.size), n), MetricKind.IP, 1);
    return this.rescore(query, Array.from(matches.keys, Number), k);
  }

  /** Exact scores for candidate rows, best first, ties by sha256 so every store orders alike. */
  rescore(query: Float32Array, rows: number[], k: number): StoreHit[] {
    const heap = new TopK(k);
    for (const row of rows) {
      const sha = this.shas[row];
      if (sha) heap.push(this.dot(row, query), sha);
    }
    return heap.sorted();
  }

  private grow(minRows: number): void {
    const rows = Math.max(minRows, Math.ceil((this.data.length / this.dim) * 1.5));
    const next = new Float32Array(rows * this.dim);
    next.set(this.data);
    this.data = next;
  }
}

/** Keeps the k best (score, sha) pairs seen: a min-heap on score, so each push is O(log k). */
export class TopK {
  private readonly scores: number[] = [];
  private readonly shas: string[] = [];

  constructor(private readonly k: number) {}

  push(score: number, sha256: string): void {
    if (this.k <= 0) return;
    if (this.scores.length < this.k) {
      this.scores.push(score);
      this.shas.push(sha256);
      this.up(this.scores.length - 1);
    } else if (worse(this.scores[0] as number, this.shas[0] as string, score, sha256)) {
      this.scores[0] = score;
      this.shas[0] = sha256;
      this.down(0);
    }
  }

  sorted(): StoreHit[] {
    return this.scores
      .map((score, i) => ({ sha256: this.shas[i] as string, score }))
      .sort((a, b) => b.score - a.score || (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0));
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!worse(this.scores[i] as number, this.shas[i] as string, this.scores[p] as number, this.shas[p] as string)) break;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.scores.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && worse(this.scores[l] as number, this.shas[l] as string, this.scores[m] as number, this.shas[m] as string)) m = l;
      if (r < n && worse(this.scores[r] as number, this.shas[r] as string, this.scores[m] as number, this.shas[m] as string)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(a: number, b: number): void {
    [this.scores[a], this.scores[b]] = [this.scores[b] as number, this.scores[a] as number];
    [this.shas[a], this.shas[b]] = [this.shas[b] as string, this.shas[a] as string];
  }
}

/** True when (s1, h1) ranks below (s2, h2): lower score, or equal score and larger sha. */
function worse(s1: number, h1: string, s2: number, h2: string): boolean {
  return s1 < s2 || (s1 === s2 && h1 > h2);
}

/** A copy holding only live rows, renumbered from 0 in the current row order. */
export function compactMatrix(matrix: VectorMatrix): VectorMatrix {
  const out = new VectorMatrix(matrix.dim, matrix.size);
  for (let r = 0; r < matrix.rowCount; r++) {
    const sha = matrix.shaAt(r);
    if (sha) out.set(sha, matrix.vector(r));
  }
  return out;
}
