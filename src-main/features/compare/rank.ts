/** Jaccard overlap of two top-k result sets: |A ∩ B| / |A ∪ B| (1 when both are empty). */
export function overlapAtK(a: readonly string[], b: readonly string[]): number {
  const setA = new Set(a);
  const setB = new Set(b);
  let inter = 0;
  for (const x of setA) if (setB.has(x)) inter++;
  const union = setA.size + setB.size - inter;
  return union === 0 ? 1 : inter / union;
}

/**
 * Ranks 1..n of each item of the union in one list; items the list lacks share the ranks after its
 * end (n+1 .. n+m), i.e. all get their mean, as tied last places. This is the usual treatment of
 * truncated top-k lists: "not in my top k" means "ranked below everything I returned".
 */
export function unionRanks(list: readonly string[], union: readonly string[]): number[] {
  const pos = new Map<string, number>();
  list.forEach((x, i) => {
    if (!pos.has(x)) pos.set(x, i + 1);
  });
  const missing = union.filter((x) => !pos.has(x)).length;
  const tiedLast = pos.size + (missing + 1) / 2;
  return union.map((x) => pos.get(x) ?? tiedLast);
}

function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * Spearman's rho of two ranked lists over the union of their items (ties-corrected: Pearson on
 * ranks), items missing from one list ranked as tied last there (see unionRanks). 1 for identical
 * lists, negative when the lists disagree or share nothing. Null when it is undefined: fewer than
 * two items in the union, or one list gives every item the same rank.
 */
export function spearmanOverUnion(a: readonly string[], b: readonly string[]): number | null {
  const union = [...new Set([...a, ...b])];
  if (union.length < 2) return union.length === 1 && a.length > 0 && b.length > 0 ? 1 : null;
  return pearson(unionRanks(a, union), unionRanks(b, union));
}
