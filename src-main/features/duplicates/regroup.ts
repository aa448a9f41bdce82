import { type CandidateGraph, alignedScore, colourlessCount, nodeCosine, packedDistance } from './graph.js';
import { PairMeasures } from './pair-measures.js';
import { type StarGroup, starGroups } from './grouping.js';
import { type PairSignals, type Tier, type TierSettings, classifyPair, pairStrength } from './tiers.js';

/** The user's verdicts as node indices: pair keys (grouping.pairKey) never grouped, pairs always near. */
export interface Verdicts {
  notDuplicate: Set<string>;
  duplicate: Array<[number, number]>;
}

/** Tier of every graph edge at these settings (one pass over the cached graph). */
export function classifyEdges(g: CandidateGraph, t: TierSettings): Array<Tier | null> {
  const out = new Array<Tier | null>(g.length);
  for (let e = 0; e < g.length; e++) out[e] = classifyPair(signalsOf(g, e), t);
  return out;
}

export function signalsOf(g: CandidateGraph, e: number): PairSignals {
  return {
    exact: g.exact[e] === 1,
    cosine: g.cosine[e] as number,
    hash: g.hash[e] as number,
    hashMirror: g.hashMirror[e] as number,
    crop: g.crop[e] as number,
    align: g.alignment[e] as number,
    alignColour: g.alignColour[e] as number,
    alignMoved: g.alignMoved[e] as number,
    frame: g.frame[e] as number,
    frameColour: g.frameColour[e] as number,
    frameMoved: g.frameMoved[e] as number,
    frameMirror: g.frameMirror[e] as number,
    frameMirrorColour: g.frameMirrorColour[e] as number,
    frameMirrorMoved: g.frameMirrorMoved[e] as number,
    colourless: colourlessCount(g.packed, g.a[e] as number, g.b[e] as number),
  };
}

/**
 * Groups of one tier from the cached candidate graph: what a threshold slider re-runs, with no
 * embedding, hash or neighbour work. Near includes exact pairs; similar is only pairs that are
 * similar but not near (and not marked duplicate), so the two tiers never mix.
 */
export function groupCandidates(g: CandidateGraph, t: TierSettings, tier: Tier, verdicts: Verdicts, measures = new PairMeasures(g)): StarGroup[] {
  const n = g.shas.length;
  const key = (i: number, j: number) => Math.min(i, j) * n + Math.max(i, j);
  const duplicates = new Set(verdicts.duplicate.map(([i, j]) => key(i, j)));
  const wanted = (x: Tier | null): boolean => (tier === 'near' ? x === 'exact' || x === 'near' : x === tier);
  const ea: number[] = [];
  const eb: number[] = [];
  const es: number[] = [];
  for (let e = 0; e < g.length; e++) {
    const signals = signalsOf(g, e);
    const pairTier = classifyPair(signals, t);
    const i = g.a[e] as number;
    const j = g.b[e] as number;
    if (!wanted(pairTier)) continue;
    if (tier === 'similar' && duplicates.has(i * n + j)) continue;
    ea.push(i);
    eb.push(j);
    es.push(pairStrength(signals, t.mirror));
  }
  if (tier === 'near') {
    for (const [i, j] of verdicts.duplicate) {
      ea.push(i);
      eb.push(j);
      es.push(4); // above any measured pair: the user said so
    }
  }
  return starGroups(
    n,
    { a: Int32Array.from(ea), b: Int32Array.from(eb), strength: Float32Array.from(es), length: ea.length },
    verdicts.notDuplicate,
    // Member pairs are few (groups are small): compute their evidence directly. A crop and a
    // greyscale copy of one photo share neither cosine nor hash, but one still aligns inside the other.
    (i, j) => {
      if (duplicates.has(key(i, j))) return true;
      // Two members must not be the same picture in other colours: a greyscale copy is near to a
      // photo and to its colour variant alike, and would otherwise join them through the centre.
      const frame = measures.frame(i, j);
      if (frame.score >= t.near.frameGrey && frame.colour > t.near.colour) return false;
      return nodeCosine(g, i, j) >= t.relatedCosine || packedDistance(g.packed, i, j) <= t.near.hash || alignedScore(measures.crop(i, j), t.near.colour, t.near.moved) >= t.near.alignScore;
    },
  );
}
