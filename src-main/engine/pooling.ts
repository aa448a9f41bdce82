import { PackError } from './pack.js';
import { type Pooling, unhandled } from './families.js';

/** The output of a tower graph that holds its embedding, the family's way; a graph without it is a broken pack. */
export function embeddingOutput(outputNames: readonly string[], pooling: Pooling, file: string): string {
  switch (pooling.kind) {
    case 'pooled': {
      const found = pooling.outputs.find((name) => outputNames.includes(name));
      if (found) return found;
      throw new PackError(file, `${file} has no ${pooling.outputs.join(' or ')} output (it has: ${outputNames.join(', ')})`);
    }
    case 'mean':
      if (outputNames.includes(pooling.output)) return pooling.output;
      throw new PackError(file, `${file} has no ${pooling.output} output to pool (it has: ${outputNames.join(', ')})`);
    default:
      return unhandled(pooling);
  }
}

/**
 * One L2-normalised vector of `dim` values for each of the `n` inputs, from a tower's output (its
 * data and dims as ONNX gives them). `mask` (1 for a token, 0 for padding, [n, tokens]) is used by
 * mean pooling; without one every position counts.
 */
export function embeddingRows(output: { data: Float32Array; dims: readonly number[] }, n: number, dim: number, pooling: Pooling, mask?: BigInt64Array): Float32Array[] {
  switch (pooling.kind) {
    case 'pooled':
      return normalizedRows(output.data, n, dim);
    case 'mean':
      return normalizedRows(maskedMean(output, n, dim, mask), n, dim);
    default:
      return unhandled(pooling);
  }
}

/** [n, tokens, dim] to [n, dim]: the mean over the tokens the mask keeps. */
function maskedMean({ data, dims }: { data: Float32Array; dims: readonly number[] }, n: number, dim: number, mask: BigInt64Array | undefined): Float32Array {
  const tokens = dims[1]!;
  if (dims.length !== 3 || dims[0] !== n || dims[2] !== dim) throw new Error(`mean pooling needs a [${n}, tokens, ${dim}] output, got [${dims.join(', ')}]`);
  if (mask && mask.length !== n * tokens) throw new Error(`the attention mask covers ${mask.length} positions, the output ${n * tokens}`);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let kept = 0;
    for (let t = 0; t < tokens; t++) {
      if (mask && mask[i * tokens + t] === 0n) continue;
      kept++;
      const from = (i * tokens + t) * dim;
      for (let j = 0; j < dim; j++) out[i * dim + j]! += data[from + j]!;
    }
    for (let j = 0; j < dim; j++) out[i * dim + j]! /= Math.max(1, kept);
  }
  return out;
}

/** L2-normalises rows of a [n, dim] output into separate vectors. */
export function normalizedRows(data: Float32Array, n: number, dim: number): Float32Array[] {
  const rows: Float32Array[] = [];
  for (let i = 0; i < n; i++) {
    const row = data.slice(i * dim, (i + 1) * dim);
    let s = 0;
    for (const x of row) s += x * x;
    const norm = Math.sqrt(s) || 1;
    for (let j = 0; j < dim; j++) row[j]! /= norm;
    rows.push(row);
  }
  return rows;
}
