/**
 * The model families Lookalike runs, by name: what the contract (api/), the UI and the engine
 * agree on. What each family does (tokenizer, preprocessing, outputs, scoring) is in
 * engine/families.ts, typed by these names, so a name without traits does not compile.
 */
export const FAMILY_NAMES = ['siglip', 'clip'] as const;

export type FamilyName = (typeof FAMILY_NAMES)[number];

/** A family as people know it, for the UI and messages. */
export const FAMILY_LABELS: Record<FamilyName, string> = {
  siglip: 'SigLIP',
  clip: 'CLIP',
};
