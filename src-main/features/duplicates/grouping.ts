/**
 * Groups images around centres without chaining.
 *
 * Plain union-find over qualifying pairs links A to C through B when A~B and B~C, however far A
 * is from C: with borderline pairs a whole catalog can collapse into one group. Here every group
 * is a star: a centre and the images whose own pair with the centre qualifies for the tier.
 * Centres are picked greedily, most-connected first (then by total strength, then by input
 * order, so results are deterministic), and an image joins the first centre that claims it, and
 * only if it is also `related` to every member already in (for the finder: their pair is at
 * least "similar"). So a chain A~B~C with A far from C never yields {A, B, C}, while two edits of
 * one photo (a crop and a padded copy, say) that are each near the original but only similar to
 * each other still share its group. Two images the user marked "not duplicate" never share one.
 *
 * Cost: O(E log E) for E qualifying pairs, independent of the number of images without pairs.
 */
export interface GroupEdges {
  /** Node indices of each qualifying pair (a[i], b[i]) and how strong it is (higher = surer). */
  a: Int32Array;
  b: Int32Array;
  strength: Float32Array;
  length: number;
}

export interface StarGroup {
  centre: number;
  /** Members other than the centre, strongest pair with the centre first. */
  members: number[];
}

/** Pair key for cannot-link sets: order-independent. */
export function pairKey(i: number, j: number): string {
  return i < j ? `${i}:${j}` : `${j}:${i}`;
}

export function starGroups(
  nodeCount: number,
  edges: GroupEdges,
  cannotLink: ReadonlySet<string> = new Set(),
  related: (i: number, j: number) => boolean = () => true,
): StarGroup[] {
  // Adjacency in CSR form (two passes over the edges, no per-node arrays).
  const degree = new Int32Array(nodeCount);
  const strengthSum = new Float64Array(nodeCount);
  for (let e = 0; e < edges.length; e++) {
    const a = edges.a[e] as number;
    const b = edges.b[e] as number;
    if (a === b || cannotLink.has(pairKey(a, b))) continue;
    degree[a]!++;
    degree[b]!++;
    strengthSum[a]! += edges.strength[e] as number;
    strengthSum[b]! += edges.strength[e] as number;
  }
  const start = new Int32Array(nodeCount + 1);
  for (let i = 0; i < nodeCount; i++) start[i + 1] = (start[i] as number) + (degree[i] as number);
  const fill = start.slice(0, nodeCount);
  const nbr = new Int32Array(start[nodeCount] as number);
  const nbrStrength = new Float32Array(start[nodeCount] as number);
  for (let e = 0; e < edges.length; e++) {
    const a = edges.a[e] as number;
    const b = edges.b[e] as number;
    if (a === b || cannotLink.has(pairKey(a, b))) continue;
    const s = edges.strength[e] as number;
    nbr[fill[a]!] = b;
    nbrStrength[fill[a]!++] = s;
    nbr[fill[b]!] = a;
    nbrStrength[fill[b]!++] = s;
  }

  const order: number[] = [];
  for (let i = 0; i < nodeCount; i++) if ((degree[i] as number) > 0) order.push(i);
  order.sort((x, y) => (degree[y] as number) - (degree[x] as number) || (strengthSum[y] as number) - (strengthSum[x] as number) || x - y);

  const assigned = new Uint8Array(nodeCount);
  const groups: StarGroup[] = [];
  for (const centre of order) {
    if (assigned[centre]) continue;
    const candidates: Array<{ node: number; strength: number }> = [];
    for (let k = start[centre] as number; k < (start[centre + 1] as number); k++) {
      const node = nbr[k] as number;
      if (!assigned[node]) candidates.push({ node, strength: nbrStrength[k] as number });
    }
    if (candidates.length === 0) continue;
    candidates.sort((x, y) => y.strength - x.strength || x.node - y.node);
    const members: number[] = [];
    const seen = new Set<number>();
    for (const { node } of candidates) {
      if (seen.has(node)) continue; // the same pair may come from several candidate sources
      seen.add(node);
      if (members.some((m) => cannotLink.has(pairKey(m, node)) || !related(m, node))) continue;
      members.push(node);
    }
    assigned[centre] = 1;
    for (const m of members) assigned[m] = 1;
    groups.push({ centre, members });
  }
  return groups;
}
