/**
 * What the Mismatch page says about an item's scores beyond the numbers: which alternatives are
 * worth offering, and when SigLIP and CLIP disagree (they measure different things).
 */

export interface Scored {
  /** SigLIP probability of the title, or null. */
  probability: number | null;
  /** CLIP share of the title among the category prompts, or null. */
  relativeScore: number | null;
}

export interface Alternative extends Scored {
  text: string;
}

/** SigLIP: an alternative below this probability is not a plausible description of the photo. */
export const PLAUSIBLE_PROBABILITY = 0.05;
/** CLIP: an alternative with less than this share of the softmax is not plausible. */
export const PLAUSIBLE_SHARE = 0.2;

/**
 * "Looks more like" only what is plausible and fits better than the title: "vase <0.1 % · tshirt
 * <0.1 %" under a title at <0.1 % says nothing fits, not that a vase does.
 */
export function plausibleAlternatives<A extends Alternative>(item: Scored, alternatives: readonly A[]): A[] {
  return alternatives.filter((a) => {
    if (a.probability !== null) return a.probability >= PLAUSIBLE_PROBABILITY && a.probability > (item.probability ?? 0);
    if (a.relativeScore !== null) return a.relativeScore >= PLAUSIBLE_SHARE && a.relativeScore > (item.relativeScore ?? 0);
    return false;
  });
}

export type Disagreement = 'clipHigher' | 'siglipHigher' | null;

/**
 * SigLIP and CLIP disagree when one calls the pair a match and the other a mismatch. They measure
 * different things: SigLIP an absolute probability of this title for this photo, CLIP only how the
 * title ranks against the catalog's categories. A title that beats every category wins CLIP's
 * softmax even when SigLIP finds it unlikely, and a title in a crowded category can lose CLIP's
 * softmax while SigLIP finds it fine.
 */
export function scoresDisagree(item: Scored): Disagreement {
  const { probability: p, relativeScore: r } = item;
  if (p === null || r === null) return null;
  if (p < 0.1 && r >= 0.5) return 'clipHigher';
  if (p >= 0.5 && r < 0.1) return 'siglipHigher';
  return null;
}
