import { describe, expect, it } from 'vitest';
import { syntheticCatalog } from '../../src-main/bench/duplicates.js';
import { decodeNodes, decodePairs, encodeNodes, encodePairs } from '../../src-main/features/duplicates/graph-codec.js';
import { type CandidateGraph, EVIDENCE_COLUMNS, buildCandidateGraph, packHashes } from '../../src-main/features/duplicates/graph.js';
import { catalogKnn } from '../../src-main/features/duplicates/neighbours.js';
import { PairMeasures } from '../../src-main/features/duplicates/pair-measures.js';
import { groupCandidates } from '../../src-main/features/duplicates/regroup.js';
import { defaultTierSettings } from '../../src-main/features/duplicates/tiers.js';

/**
 * The candidate graph kept between runs (graph-codec.ts), and a build that takes the evidence of
 * unchanged pairs from an earlier graph (graph.ts ReusableGraph): the same graph as a build from
 * scratch, pair for pair.
 */
const data = syntheticCatalog(900, 64, 5);
const nodes = (count: number) => ({
  shas: data.shas.slice(0, count),
  hashes: data.hashes.slice(0, count),
  vectors: data.vectors.slice(0, count * data.dim),
  hasVector: new Uint8Array(count).fill(1),
  dim: data.dim,
  k: 16,
  knn: catalogKnn,
});
const columns = ['a', 'b', ...EVIDENCE_COLUMNS] as const;
const same = (x: CandidateGraph, y: CandidateGraph) => {
  expect(x.length).toBe(y.length);
  for (const c of columns) expect(Array.from(x[c]).every((v, e) => Object.is(v, y[c][e])), c).toBe(true);
};

describe('candidate graph: kept and reused', () => {
  it('a build reusing an earlier graph of fewer images is the build from scratch, pair for pair', async () => {
    const earlier = await buildCandidateGraph(nodes(700));
    const fresh = await buildCandidateGraph(nodes(900));
    // Images 0-699 were in the earlier graph; 690-699 had their hashes written again since.
    const nodeOf = Int32Array.from({ length: 900 }, (_, i) => (i < 690 ? i : -1));
    const reused = await buildCandidateGraph({ ...nodes(900), previous: { pairs: earlier, nodes: 700, nodeOf } });
    same(reused, fresh);
    expect(reused.reusedPairs).toBeGreaterThan(earlier.length / 2);
    expect(fresh.reusedPairs).toBe(0);
  });

  it('reports progress and stops when its signal aborts', async () => {
    const seen: number[] = [];
    const abort = new AbortController();
    const build = buildCandidateGraph({ ...nodes(900), progress: (done) => (seen.push(done), done > 0 && abort.abort()), signal: abort.signal });
    await expect(build).rejects.toThrow();
    expect(seen[0]).toBe(0);
  });

  it('its pairs and nodes survive the bytes the catalog keeps', async () => {
    const g = await buildCandidateGraph(nodes(300));
    const back = decodePairs(encodePairs(g), g.length)!;
    for (const c of columns) expect(Array.from(back[c]).every((v, e) => Object.is(v, g[c][e])), c).toBe(true);
    expect(decodePairs(encodePairs(g), g.length + 1)).toBeNull();
    expect(decodeNodes(encodeNodes(g.shas))).toEqual(g.shas);
  });

  it('groups measured once per graph are the groups measured afresh', async () => {
    const g = await buildCandidateGraph(nodes(900));
    const t = defaultTierSettings();
    const none = { notDuplicate: new Set<string>(), duplicate: [] };
    const measures = new PairMeasures(g);
    const first = groupCandidates(g, t, 'near', none, measures);
    expect(groupCandidates(g, t, 'near', none, measures)).toEqual(first);
    expect(groupCandidates(g, t, 'near', none)).toEqual(first);
    for (let e = 0; e < g.length; e += 97) expect(measures.edge(g.b[e] as number, g.a[e] as number)).toBe(e);
  });

  it('packs the sub-region hashes as their hex digits say', () => {
    const h = data.hashes[3]!;
    const crops = packHashes([{ ...h, cropHashes: h.cropHashes.toUpperCase() }, h]).crops;
    const words = Array.from({ length: h.cropHashes.length / 8 }, (_, k) => parseInt(h.cropHashes.slice(k * 8, k * 8 + 8), 16));
    expect(Array.from(crops.subarray(0, words.length))).toEqual(words);
    expect(Array.from(crops.subarray(words.length))).toEqual(words);
  });
});
