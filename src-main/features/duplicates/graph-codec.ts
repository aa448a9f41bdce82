import { EVIDENCE_COLUMNS, type PairColumns } from './graph.js';

/**
 * The candidate graph's pairs as bytes, for the catalog (store.ts saveGraph): the node list as
 * 32-byte sha256s, and every pair column one after the other, each padded to 4 bytes. Nodes'
 * hashes and vectors are not in it: they are read from their tables when the graph is loaded.
 * The format also says how the evidence was measured: a kept graph of another format is neither
 * loaded nor reused pair by pair, so the pairs are measured again. 2: crop search from cosine 0.85
 * (graph.ts ALIGN_GATE), moved blocks counted after re-registering the window (alignment.ts).
 */
export const GRAPH_FORMAT = 2;

const COLUMNS = ['a', 'b', ...EVIDENCE_COLUMNS] as const;
type Column = (typeof COLUMNS)[number];
const TYPES: { [C in Column]: Int32ArrayConstructor | Float32ArrayConstructor | Uint8ArrayConstructor } = {
  a: Int32Array,
  b: Int32Array,
  cosine: Float32Array,
  hash: Uint8Array,
  hashMirror: Uint8Array,
  crop: Uint8Array,
  alignment: Float32Array,
  alignColour: Float32Array,
  alignMoved: Uint8Array,
  frame: Float32Array,
  frameColour: Float32Array,
  frameMirror: Float32Array,
  frameMirrorColour: Float32Array,
  frameMoved: Uint8Array,
  frameMirrorMoved: Uint8Array,
  exact: Uint8Array,
};

const padded = (bytes: number) => Math.ceil(bytes / 4) * 4;

export function encodeNodes(shas: readonly string[]): Buffer {
  return Buffer.from(shas.join(''), 'hex');
}

export function decodeNodes(bytes: Uint8Array): string[] {
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  return Array.from({ length: bytes.byteLength / 32 }, (_, i) => hex.slice(i * 64, i * 64 + 64));
}

export function encodePairs(g: PairColumns): Buffer {
  const m = g.length;
  const out = Buffer.alloc(COLUMNS.reduce((sum, c) => sum + padded(m * TYPES[c].BYTES_PER_ELEMENT), 0));
  let at = 0;
  for (const c of COLUMNS) {
    const column = g[c];
    out.set(new Uint8Array(column.buffer, column.byteOffset, m * TYPES[c].BYTES_PER_ELEMENT), at);
    at += padded(m * TYPES[c].BYTES_PER_ELEMENT);
  }
  return out;
}

/** The columns of `m` pairs; null when the bytes do not hold exactly that. */
export function decodePairs(bytes: Uint8Array, m: number): PairColumns | null {
  const size = COLUMNS.reduce((sum, c) => sum + padded(m * TYPES[c].BYTES_PER_ELEMENT), 0);
  if (bytes.byteLength !== size) return null;
  // One aligned copy: a blob read from SQLite may start anywhere.
  const buffer = new ArrayBuffer(size);
  new Uint8Array(buffer).set(bytes);
  const out: Record<string, unknown> = { length: m };
  let at = 0;
  for (const c of COLUMNS) {
    out[c] = new TYPES[c](buffer, at, m);
    at += padded(m * TYPES[c].BYTES_PER_ELEMENT);
  }
  return out as unknown as PairColumns;
}
