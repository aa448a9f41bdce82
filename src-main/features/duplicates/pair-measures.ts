import { Aligner } from './alignment.js';
import { type CandidateGraph, alignPair, frameOf, nodeCosine, pairSignalsOf } from './graph.js';
import type { PairSignals } from './tiers.js';

/**
 * Measurements of node pairs a grouping asks about beyond the graph's stored evidence: the
 * relatedness test of two group members (whole-frame and crop checks) and the evidence shown for
 * member pairs that are not graph edges. Each depends on the two nodes only, not on thresholds or
 * decisions, so one instance per graph measures each pair once: the duplicates preparation job
 * runs the first visit's grouping, and the visit itself then measures nothing.
 */
export class PairMeasures {
  private readonly frames = new Map<number, ReturnType<typeof frameOf>>();
  private readonly crops = new Map<number, ReturnType<typeof alignPair>>();
  private readonly outside = new Map<number, PairSignals>();
  private readonly aligner = new Aligner();
  private edgeStart: Int32Array | undefined;
  private edgeOther: Int32Array | undefined;
  private edgeId: Int32Array | undefined;

  constructor(readonly graph: CandidateGraph) {}

  /** Whole-frame check of j laid on i (frameOf, not mirrored). */
  frame(i: number, j: number): ReturnType<typeof frameOf> {
    const key = this.key(i, j);
    let out = this.frames.get(key);
    if (!out) this.frames.set(key, (out = frameOf(this.graph.packed, this.aligner, i, j, false)));
    return out;
  }

  /** Best crop placement of one node in the other (alignPair). */
  crop(i: number, j: number): ReturnType<typeof alignPair> {
    const key = this.key(i, j);
    let out = this.crops.get(key);
    if (!out) this.crops.set(key, (out = alignPair(this.graph.packed, this.aligner, i, j)));
    return out;
  }

  /** Every signal of a pair that is not a graph edge, as the graph build would measure it. */
  signals(i: number, j: number): PairSignals {
    const key = this.key(i, j);
    let out = this.outside.get(key);
    const g = this.graph;
    if (!out) this.outside.set(key, (out = pairSignalsOf(g.packed, this.aligner, i, j, nodeCosine(g, i, j), g.pixelShas[i] === g.pixelShas[j])));
    return out;
  }

  /** The graph's edge between two nodes, if it has one (an adjacency index built on first use). */
  edge(i: number, j: number): number | undefined {
    if (!this.edgeStart) this.indexEdges();
    const [a, b] = i < j ? [i, j] : [j, i];
    for (let k = this.edgeStart![a] as number; k < (this.edgeStart![a + 1] as number); k++) if (this.edgeOther![k] === b) return this.edgeId![k];
    return undefined;
  }

  /** Pairs measured in order (i, j): some checks lay one image on the other. */
  private key(i: number, j: number): number {
    return i * this.graph.shas.length + j;
  }

  private indexEdges(): void {
    const g = this.graph;
    const n = g.shas.length;
    const start = new Int32Array(n + 1);
    for (let e = 0; e < g.length; e++) start[(g.a[e] as number) + 1]!++;
    for (let i = 0; i < n; i++) start[i + 1]! += start[i] as number;
    const fill = start.slice(0, n);
    const other = new Int32Array(g.length);
    const id = new Int32Array(g.length);
    for (let e = 0; e < g.length; e++) {
      const k = fill[g.a[e] as number]!++;
      other[k] = g.b[e] as number;
      id[k] = e;
    }
    this.edgeStart = start;
    this.edgeOther = other;
    this.edgeId = id;
  }
}
